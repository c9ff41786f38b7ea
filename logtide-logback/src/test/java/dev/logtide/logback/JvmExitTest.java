package dev.logtide.logback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JVM that ends without stopping Logback still delivers what it logged. */
class JvmExitTest {
    private IngestServer server;

    @BeforeEach
    void setUp() {
        server = new IngestServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void entriesLoggedBeforeTheJvmExitsAreDeliveredByTheShutdownHook() throws Exception {
        ChildJvm.Result child = ChildJvm.run(ChildMain.class, Arrays.asList(
                        "-Dlogback.configurationFile=child-exit.xml",
                        "-Dlogtide.test.url=" + server.url(),
                        "-Dlogtide.test.key=" + IngestServer.API_KEY),
                Collections.emptyList(), 60_000);

        assertTrue(child.exited, child.toString());
        assertEquals(0, child.exitCode, child.toString());
        List<JsonNode> entries = server.awaitEntries(3, Duration.ofSeconds(5));
        assertEquals(Arrays.asList("from child 0", "from child 1", "from child 2"),
                entries.stream().map(e -> e.get("message").asText()).collect(Collectors.toList()), child.toString());
        assertEquals("child", entries.get(0).get("service").asText());
    }
}
