package dev.logtide.opentelemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.jul.LogTideMdc;
import dev.logtide.testing.IngestServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** C26 through the JUL handler, configured by a real logging.properties. */
class JulCorrelationTest {
    private static final Logger LOG = Logger.getLogger("otel.jul");
    private final IngestServer server = new IngestServer();

    @AfterEach
    void reset() throws Exception {
        LogTideMdc.clear();
        TraceContext.setTraceId(null);
        LogManager.getLogManager().reset();
        System.clearProperty("logtide.test.url");
        System.clearProperty("logtide.test.key");
        server.close();
    }

    @Test
    void c26ARecordLoggedInsideASpanCarriesItsIdsAheadOfLogTideMdcAndTraceContext() throws Exception {
        System.setProperty("logtide.test.url", server.url());
        System.setProperty("logtide.test.key", IngestServer.API_KEY);
        try (InputStream in = JulCorrelationTest.class.getResourceAsStream("/otel-logging.properties")) {
            LogManager.getLogManager().readConfiguration(in);
        }
        Span span = TestSpans.start("request");
        try (TraceContext.Scope scope = TraceContext.withTraceId("scope-id")) {
            try (Scope ignored = span.makeCurrent()) {
                LOG.info("inside");
                try (LogTideMdc.Scope mdc = LogTideMdc.with("trace_id", "mdc-trace-id")) {
                    LOG.info("inside with mdc");
                }
            } finally {
                span.end();
            }
            LOG.info("scope only");
        }
        LOG.info("outside");
        // reset closes the handler, which flushes
        LogManager.getLogManager().reset();
        server.awaitEntries(4, Duration.ofSeconds(20));

        JsonNode inside = server.entryWithMessage("inside");
        assertEquals(span.getSpanContext().getTraceId(), inside.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), inside.path("span_id").asText());
        JsonNode withMdc = server.entryWithMessage("inside with mdc");
        assertEquals(span.getSpanContext().getTraceId(), withMdc.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), withMdc.path("span_id").asText());
        JsonNode scope = server.entryWithMessage("scope only");
        assertEquals("scope-id", scope.path("trace_id").asText());
        assertFalse(scope.has("span_id"));
        assertFalse(server.entryWithMessage("outside").has("trace_id"));
    }
}
