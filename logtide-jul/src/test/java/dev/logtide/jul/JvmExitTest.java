package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM configured with -Djava.util.logging.config.file that logs right before main returns:
 * LogManager's shutdown hook closes the handler, and that close delivers the records. The child
 * inherits LOGTIDE_API_KEY and JUL_TEST_SERVICE from the test JVM (set in this module's pom), so
 * the environment fallback and ${env:...} are exercised too.
 */
class JvmExitTest {
    @Test
    void recordsLoggedJustBeforeMainReturnsAreDelivered() throws Exception {
        assertEquals(IngestServer.API_KEY, System.getenv("LOGTIDE_API_KEY"), "set by surefire in logtide-jul/pom.xml");
        try (IngestServer server = new IngestServer()) {
            String config = Paths.get(JvmExitTest.class.getResource("/child-logging.properties").toURI())
                    .toAbsolutePath().toString();
            ChildJvm.Result child = ChildJvm.run(ChildMain.class,
                    List.of("-Djava.util.logging.config.file=" + config, "-Dlogtide.child.url=" + server.url()),
                    List.of(), 60_000);
            assertTrue(child.exited, child::toString);
            assertEquals(0, child.exitCode, child::toString);

            List<JsonNode> entries = JulConfig.awaitEntries(server, 2);
            assertEquals(2, entries.size(), entries::toString);
            assertEquals("started", entries.get(0).get("message").asText());
            JsonNode last = entries.get(1);
            assertEquals("last words before main returns", last.get("message").asText());
            assertEquals("error", last.get("level").asText());
            assertEquals("child-service", last.get("service").asText());
            assertEquals("java.lang.IllegalStateException", last.get("metadata").get("exception").get("type").asText());
            assertFalse(child.output.contains(IngestServer.API_KEY), child::toString);
        }
    }
}
