package dev.logtide.spring.boot.otel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.lifecycle.Console;
import dev.logtide.lifecycle.Environment;
import dev.logtide.opentelemetry.OtlpReceiver;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;

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
 * With Micrometer Tracing's OpenTelemetry bridge, Spring Boot owns the OpenTelemetry SDK: the
 * starter creates no second one and one INFO line names Spring Boot's exporter properties; set as
 * it says, the request's span (the observation's) reaches LogTide's OTLP route, and the line
 * logged in the request carries its trace id. Run on Spring Boot 3 and, by module
 * starter-boot-4-micrometer-otel, on Spring Boot 4, which names the exporter's properties differently.
 */
class MicrometerTracingTest {
    private static final long START_WAIT_MS = 120_000;
    private static final long STOP_WAIT_MS = 60_000;
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)[\\s\\S]*Started TracedApplication in");
    private static final String CONFIGURATION = "dev.logtide.spring.boot.LogTideTracingAutoConfiguration";
    /** Spring Boot's own OTLP span exporter properties, as each major version names them. */
    private static final String EXPORTER = SpringBootVersion.getVersion().startsWith("3.")
            ? "management.otlp.tracing." : "management.opentelemetry.tracing.export.otlp.";

    @Test
    void noSecondSdkOneInfoLineAndSpringBootsExporterSetAsItSaysReachesLogTide() throws Exception {
        try (IngestServer logs = new IngestServer();
             OtlpReceiver logTide = new OtlpReceiver(logs);
             ChildJvm.Running app = ChildJvm.start(TracedApplication.class, List.of("-XX:TieredStopAtLevel=1"),
                     List.of("--server.port=0", "--logtide.api-url=" + logTide.url(), "--logtide.api-key=" + IngestServer.API_KEY,
                             "--management.tracing.sampling.probability=1.0",
                             "--" + EXPORTER + "endpoint=" + logTide.url() + "/v1/otlp/traces",
                             "--" + EXPORTER + "headers.X-API-Key=" + IngestServer.API_KEY),
                     Environment.withoutLogTide())) {
            int port = Integer.parseInt(app.awaitOutput(STARTED, START_WAIT_MS).group(1));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkout")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            String traceId = response.body();

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, stopped::toString);
            List<Console.Line> notices = Console.lines(stopped.output).stream()
                    .filter(l -> l.logger().equals(CONFIGURATION)).collect(Collectors.toList());
            assertEquals(List.of(new Console.Line("INFO", CONFIGURATION, "LogTide creates no OpenTelemetry SDK:"
                            + " Micrometer Tracing's OpenTelemetry bridge uses Spring Boot's. To send its spans to LogTide, set"
                            + " " + EXPORTER + "endpoint=" + logTide.url() + "/v1/otlp/traces and"
                            + " " + EXPORTER + "headers.X-API-Key to the LogTide API key (docs/spring-boot.md, Tracing)")),
                    notices, stopped::toString);
            assertTrue(logTide.spans().stream().anyMatch(s -> s.traceId().equals(traceId)),
                    "the observation's span, exported by Spring Boot: " + logTide.names());
            assertTrue(logTide.spans().stream().allMatch(s -> "traced-app".equals(s.resource.get("service.name"))),
                    "one SDK, Spring Boot's, with spring.application.name: " + logTide.names());
            JsonNode line = logs.entryWithMessage("charging the card");
            assertEquals(traceId, line.path("trace_id").asText(), line.toString());
        }
    }
}
