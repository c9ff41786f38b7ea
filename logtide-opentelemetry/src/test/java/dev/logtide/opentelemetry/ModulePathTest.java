package dev.logtide.opentelemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ModularApp;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application whose module-info.java only {@code requires dev.logtide.opentelemetry}, everything on
 * the module path: the core finds the span source through the module's {@code provides}, the entry
 * logged inside a span carries its trace id, and the OTLP exporter delivers the span.
 */
class ModulePathTest {
    @Test
    void aModularApplicationCorrelatesAndExports() throws Exception {
        try (IngestServer ingest = new IngestServer(); OtlpReceiver otlp = new OtlpReceiver()) {
            List<String> options = Arrays.asList(
                    "-Dlogtide.test.url=" + ingest.url(),
                    "-Dlogtide.test.key=" + IngestServer.API_KEY,
                    "-Dlogtide.test.otlp=" + otlp.url(),
                    "-Dlogtide.test.otlpKey=" + OtlpReceiver.API_KEY);
            ChildJvm.Result child = ModularApp.run(Paths.get("src/test/modular-app"), ModularApp.modulePath(),
                    "app", "app.Main", options, 60_000);
            assertEquals(0, child.exitCode, child.toString());
            assertTrue(child.output.contains("modules: dev.logtide.opentelemetry okhttp3 app"), child.toString());
            List<JsonNode> entries = ingest.awaitEntries(1, Duration.ofSeconds(10));
            assertEquals(1, entries.size(), child.toString());
            String traceId = otlp.span("modular-span").traceId();
            assertTrue(child.output.contains("trace: " + traceId), child.toString());
            assertEquals(traceId, entries.get(0).path("trace_id").asText(), child.toString());
        }
    }
}
