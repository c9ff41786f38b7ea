package dev.logtide;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs only in the {@code old-dependencies} execution (logtide-core/pom.xml), on the Kotlin and
 * Jackson Spring Boot 2.7.18 manages: OkHttp 5.3.2 on Kotlin stdlib 1.6.21, which lacks
 * {@code kotlin.enums}, with Jackson 2.13.5, which lacks what the query API reads JSON with. Without the class path check the client fails with a
 * {@code NoClassDefFoundError} from inside OkHttp; with it, one message names every version found.
 */
class OldDependenciesTest {
    @Test
    void theClientDoesNotStartAndOneMessageNamesTheVersionsFoundAndWhatToDeclare() {
        assertEquals("1.6.21", System.getProperty("logtide.test.kotlinVersion"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new LogTideClient(
                ClientOptions.builder().apiUrl("http://127.0.0.1:9").apiKey("lp_test").registerShutdownHook(false).build()));

        String message = e.getMessage();
        assertTrue(message.startsWith("LogTide cannot send from this class path: OkHttp 5.3.2 (okhttp-jvm-5.3.2.jar)"
                + " needs Kotlin stdlib 1.8.20 or newer (kotlin.enums), found Kotlin stdlib 1.6.21 (kotlin-stdlib-1.6.21.jar);"
                + " declare org.jetbrains.kotlin:kotlin-stdlib 2.2.21"), message);
        assertTrue(message.contains("jackson-databind 2.13.5 and jackson-core 2.13.5 deliver, but the query API"
                + " (query, stats, live tail) needs 2.15 or newer"), message);
        assertTrue(message.endsWith("(docs/compatibility.md)"), message);
    }
}
