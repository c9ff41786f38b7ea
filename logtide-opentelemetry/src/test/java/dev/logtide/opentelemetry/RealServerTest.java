package dev.logtide.opentelemetry;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.query.LogRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against a real LogTide server (0.7.0 or newer for OTLP): {@code ./mvnw -B -ntp -Preal-server -pl
 * logtide-opentelemetry -am verify} with {@code LOGTIDE_API_URL} and {@code LOGTIDE_API_KEY} set.
 * A span is exported and an entry logged inside it; the server accepts the span (the exporter
 * reports no failure) and returns the entry by the span's trace id. Skipped without the variables;
 * the default build leaves this class out (tag {@code real-server}).
 */
@Tag("real-server")
// set by the real-server profile from the variables; an unset variable leaves ${env...} or nothing
@EnabledIfSystemProperty(named = "logtide.test.realUrl", matches = "https?://.+")
@EnabledIfSystemProperty(named = "logtide.test.realKey", matches = "[^$].*")
class RealServerTest {
    @Test
    void theTracesLogsAreFoundByItsTraceIdAndItsSpanIsAccepted() throws Exception {
        String url = System.getProperty("logtide.test.realUrl");
        String key = System.getProperty("logtide.test.realKey");
        String service = "sdk-otel-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> exporterFailures = new ArrayList<>();
        Handler failures = new Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    exporterFailures.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger exporterLogs = Logger.getLogger("io.opentelemetry.exporter");
        exporterLogs.addHandler(failures);
        try (LogTideClient client = new LogTideClient(ClientOptions.builder().apiUrl(url).apiKey(key)
                     .service(service).registerShutdownHook(false).build());
             LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder().clientOptions(client.options())
                     .registerShutdownHook(false).build()) {
            Span span = otel.tracer("real-server-test").spanBuilder("real-server-span").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                client.info(service, "inside the exported span");
            } finally {
                span.end();
            }
            String traceId = span.getSpanContext().getTraceId();
            assertTrue(otel.flush(30_000), "the span export did not finish");
            assertEquals(List.of(), exporterFailures, "the server refused the span");
            assertTrue(client.flush(30, TimeUnit.SECONDS));

            List<LogRecord> found = List.of();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); // the server indexes asynchronously
            while (found.isEmpty() && System.nanoTime() < end) {
                found = client.getByTraceId(traceId);
                if (found.isEmpty()) {
                    Thread.sleep(2000);
                }
            }
            assertEquals(1, found.size(), "logs of trace " + traceId + ": " + found);
            assertEquals("inside the exported span", found.get(0).message());
            assertEquals(traceId, found.get(0).traceId());
        } finally {
            exporterLogs.removeHandler(failures);
        }
    }
}
