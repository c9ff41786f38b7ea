package dev.logtide.spring.boot.otel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.lifecycle.Console;
import dev.logtide.lifecycle.Environment;
import dev.logtide.opentelemetry.OtlpReceiver;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * logtide.* properties alone export spans (issue 21, C24 through the starter): a request's span
 * reaches the OTLP route of the same base URL as the logs, with the resource from the properties,
 * and the line logged inside it carries its trace id. The span is exported when the context
 * closes on SIGTERM (the batch processor's delay is 5 s; closing flushes).
 */
class TracedApplicationTest {
    private static final long START_WAIT_MS = 120_000;
    private static final long STOP_WAIT_MS = 60_000;
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)[\\s\\S]*Started TracedApplication in");

    @Test
    void aRequestsSpanIsExportedWithTheResourceAndItsLogLineCarriesTheTraceId() throws Exception {
        try (IngestServer logs = new IngestServer();
             OtlpReceiver logTide = new OtlpReceiver(logs);
             ChildJvm.Running app = ChildJvm.start(TracedApplication.class, List.of("-XX:TieredStopAtLevel=1"),
                     List.of("--server.port=0", "--logtide.api-url=" + logTide.url(), "--logtide.api-key=" + IngestServer.API_KEY,
                             "--logtide.tracing.environment=staging", "--logtide.tracing.release=2.0.1"),
                     Environment.withoutLogTide())) {
            int port = Integer.parseInt(app.awaitOutput(STARTED, START_WAIT_MS).group(1));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkout")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            String traceId = response.body();

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, stopped::toString);
            OtlpReceiver.Received span = logTide.span("checkout");
            assertEquals(traceId, span.traceId());
            assertEquals("traced-app", span.resource.get("service.name"), span.resource.toString());
            assertEquals("staging", span.resource.get("deployment.environment"), span.resource.toString());
            assertEquals("2.0.1", span.resource.get("service.version"), span.resource.toString());
            JsonNode line = logs.entryWithMessage("charging the card");
            assertEquals(traceId, line.path("trace_id").asText(), line.toString());
            assertEquals(span.spanId(), line.path("span_id").asText(), line.toString());
            assertEquals(List.of(), Console.statusLines(stopped.output, "WARN"), stopped::toString);
            assertEquals(List.of(), Console.lines(stopped.output).stream()
                    .filter(l -> !l.level().equals("INFO") && !l.level().equals("DEBUG")).collect(Collectors.toList()),
                    "no warning or error: " + stopped);
        }
    }
}
