package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM configured with -Djava.util.logging.config.file that logs right before main returns:
 * LogManager's shutdown hook closes the handler, and that close delivers the records.
 */
class ShutdownDeliveryTest {
    @Test
    void recordsLoggedJustBeforeMainReturnsAreDelivered() throws Exception {
        try (IngestServer server = new IngestServer()) {
            ProcessBuilder child = new ProcessBuilder(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", testClassPath(),
                    "-Djava.util.logging.config.file=" + resourceFile("/child-logging.properties"),
                    "-Dlogtide.child.url=" + server.url(),
                    ChildMain.class.getName());
            Map<String, String> env = child.environment();
            env.keySet().removeIf(name -> name.startsWith("LOGTIDE_"));
            env.put("LOGTIDE_API_KEY", "lp_child_from_env");
            env.put("CHILD_SERVICE", "child-service");
            child.redirectErrorStream(true);
            Process process = child.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not exit");
            assertEquals(0, process.exitValue(), output);

            List<JsonNode> entries = server.awaitEntries(2);
            assertEquals(2, entries.size(), entries::toString);
            assertEquals("started", entries.get(0).get("message").asText());
            JsonNode last = entries.get(1);
            assertEquals("last words before main returns", last.get("message").asText());
            assertEquals("error", last.get("level").asText());
            assertEquals("child-service", last.get("service").asText());
            assertEquals("java.lang.IllegalStateException", last.get("metadata").get("exception").get("type").asText());
            assertEquals("lp_child_from_env", server.requests().get(0).getHeaders().get("X-API-Key"));
            assertFalse(output.contains("lp_child_from_env"), output);
        }
    }

    /** Surefire may start tests from a manifest-only jar; it keeps the real class path here. */
    private static String testClassPath() {
        String path = System.getProperty("surefire.test.class.path");
        return path != null && !path.isEmpty() ? path : System.getProperty("java.class.path");
    }

    private static String resourceFile(String resource) throws URISyntaxException {
        Path path = Paths.get(ShutdownDeliveryTest.class.getResource(resource).toURI());
        return path.toAbsolutePath().toString().replace(File.separatorChar, '/');
    }
}
