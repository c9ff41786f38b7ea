package dev.logtide.opentelemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C26 through the client: explicit ids, then the current OpenTelemetry span, then TraceContext;
 * and the client's own delivery carries no traceparent and makes no span.
 */
class ClientCorrelationTest {
    private final IngestServer server = new IngestServer();
    private final LogTideClient client = new LogTideClient(ClientOptions.builder()
            .apiUrl(server.url()).apiKey(IngestServer.API_KEY).service("client-test")
            .flushIntervalMs(60_000).registerShutdownHook(false).build());

    @AfterEach
    void close() throws Exception {
        client.close();
        server.close();
        TraceContext.setTraceId(null);
    }

    private JsonNode sent(String message) {
        assertTrue(client.flush(20, TimeUnit.SECONDS));
        return server.entryWithMessage(message);
    }

    @Test
    void c26AnEntryLoggedInsideASpanCarriesItsIds() {
        Span span = TestSpans.start("request");
        try (Scope ignored = span.makeCurrent()) {
            client.info("client-test", "inside");
        } finally {
            span.end();
        }
        client.info("client-test", "outside");
        JsonNode inside = sent("inside");
        assertEquals(span.getSpanContext().getTraceId(), inside.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), inside.path("span_id").asText());
        JsonNode outside = server.entryWithMessage("outside");
        assertFalse(outside.has("trace_id"), outside::toString);
        assertFalse(outside.has("span_id"), outside::toString);
    }

    @Test
    void c26TheSpanWinsOverTraceContextWhichComesBackAfterIt() {
        Span span = TestSpans.start("request");
        try (TraceContext.Scope scope = TraceContext.withTraceId("scope-trace-id")) {
            try (Scope ignored = span.makeCurrent()) {
                client.info("client-test", "span and scope");
            } finally {
                span.end();
            }
            client.info("client-test", "scope only");
        }
        JsonNode both = sent("span and scope");
        assertEquals(span.getSpanContext().getTraceId(), both.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), both.path("span_id").asText());
        JsonNode scopeOnly = server.entryWithMessage("scope only");
        assertEquals("scope-trace-id", scopeOnly.path("trace_id").asText());
        assertFalse(scopeOnly.has("span_id"), "TraceContext has no span id: " + scopeOnly);
    }

    @Test
    void c26ExplicitIdsWinOverTheSpanAndTheSpanIdFollowsItsTraceId() {
        Span span = TestSpans.start("request");
        try (Scope ignored = span.makeCurrent()) {
            client.log(LogEntry.builder(LogLevel.INFO, "explicit trace").traceId("explicit-trace").build());
            client.log(LogEntry.builder(LogLevel.INFO, "explicit both")
                    .traceId("explicit-trace").spanId("00f067aa0ba902b7").build());
            client.log(LogEntry.builder(LogLevel.INFO, "explicit span").spanId("00f067aa0ba902b7").build());
            client.log(LogEntry.builder(LogLevel.INFO, "blank trace").traceId(" ").build());
        } finally {
            span.end();
        }
        String traceId = span.getSpanContext().getTraceId();
        JsonNode explicitTrace = sent("explicit trace");
        assertEquals("explicit-trace", explicitTrace.path("trace_id").asText());
        assertFalse(explicitTrace.has("span_id"), "the span's id belongs to another trace: " + explicitTrace);
        JsonNode both = server.entryWithMessage("explicit both");
        assertEquals("explicit-trace", both.path("trace_id").asText());
        assertEquals("00f067aa0ba902b7", both.path("span_id").asText());
        JsonNode explicitSpan = server.entryWithMessage("explicit span");
        assertEquals(traceId, explicitSpan.path("trace_id").asText());
        assertEquals("00f067aa0ba902b7", explicitSpan.path("span_id").asText());
        JsonNode blank = server.entryWithMessage("blank trace");
        assertEquals(traceId, blank.path("trace_id").asText(), "a blank id is no id");
        assertEquals(span.getSpanContext().getSpanId(), blank.path("span_id").asText());
    }

    @Test
    void anUnsampledSpanStillCorrelates() {
        Span span = TestSpans.startUnsampled("not sampled");
        assertFalse(span.getSpanContext().isSampled());
        try (Scope ignored = span.makeCurrent()) {
            client.info("client-test", "unsampled");
        } finally {
            span.end();
        }
        JsonNode entry = sent("unsampled");
        assertEquals(span.getSpanContext().getTraceId(), entry.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), entry.path("span_id").asText());
    }

    @Test
    void theIdsAreTakenWhenTheEntryIsBuiltNotWhenItIsSent() throws Exception {
        Span span = TestSpans.start("request");
        LogEntry built;
        try (Scope ignored = span.makeCurrent()) {
            built = LogEntry.builder(LogLevel.INFO, "built in span").build();
        } finally {
            span.end();
        }
        assertEquals(span.getSpanContext().getTraceId(), built.traceId());
        assertEquals(span.getSpanContext().getSpanId(), built.spanId());
        Thread other = new Thread(() -> client.log(built));
        other.start();
        other.join();
        assertEquals(span.getSpanContext().getTraceId(), sent("built in span").path("trace_id").asText());
    }

    @Test
    void deliveryInsideASpanCarriesNoTraceparentAndMakesNoSpan() throws Exception {
        try (OtlpReceiver otlp = new OtlpReceiver();
             LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder().apiUrl(otlp.url())
                     .apiKey(OtlpReceiver.API_KEY).service("client-test").registerShutdownHook(false).build()) {
            Span span = otel.tracer("app").spanBuilder("handle order").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                client.info("client-test", "shipped from inside a span");
                // the flush, and so the ingest request, starts on this thread inside the span
                assertTrue(client.flush(20, TimeUnit.SECONDS));
            } finally {
                span.end();
            }
            assertTrue(otel.flush(20_000));
            assertEquals(span.getSpanContext().getTraceId(),
                    server.entryWithMessage("shipped from inside a span").path("trace_id").asText());
            for (RecordedRequest ingest : server.requests()) {
                assertNull(ingest.getHeaders().get("traceparent"), () -> "ingest request carried " + ingest.getHeaders());
                assertNull(ingest.getHeaders().get("tracestate"));
                assertNull(ingest.getHeaders().get("baggage"));
            }
            assertEquals(Collections.singletonList("handle order"), otlp.names(), "no span for the SDK's own requests");
        }
    }
}
