package dev.logtide.logback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ModularApp;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application with a module-info.java that {@code requires dev.logtide.logback} (and SLF4J), everything
 * on the module path: the appender starts and every entry arrives.
 */
class ModulePathTest {
    @Test
    void aModularApplicationDeliversEveryEntry() throws Exception {
        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result child = ModularApp.run(Paths.get("src/test/modular-app"), ModularApp.modulePath(),
                    "app", "app.Main", Arrays.asList(
                            "-Dlogtide.test.url=" + server.url(),
                            "-Dlogtide.test.key=" + IngestServer.API_KEY),
                    60_000);

            assertEquals(0, child.exitCode, child.toString());
            assertTrue(child.output.contains("modules: dev.logtide.logback okhttp3 app"), child.toString());
            List<JsonNode> entries = server.awaitEntries(11, Duration.ofSeconds(10));
            assertEquals(IntStream.range(0, 11).mapToObj(i -> "modular " + i).collect(Collectors.toList()),
                    entries.stream().map(e -> e.get("message").asText()).collect(Collectors.toList()), child.toString());
        }
    }
}
