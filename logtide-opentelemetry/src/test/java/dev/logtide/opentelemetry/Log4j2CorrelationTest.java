package dev.logtide.opentelemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** C26 through the Log4j2 appender, configured by a real log4j2.xml. */
class Log4j2CorrelationTest {
    private final IngestServer server = new IngestServer();
    private LoggerContext ctx;

    @AfterEach
    void stop() throws Exception {
        ThreadContext.clearAll();
        TraceContext.setTraceId(null);
        if (ctx != null) {
            Configurator.shutdown(ctx, 10, TimeUnit.SECONDS);
        }
        System.clearProperty("logtide.test.url");
        System.clearProperty("logtide.test.key");
        server.close();
    }

    private Logger start() throws URISyntaxException {
        System.setProperty("logtide.test.url", server.url());
        System.setProperty("logtide.test.key", IngestServer.API_KEY);
        ctx = Configurator.initialize("otel-log4j2", Log4j2CorrelationTest.class.getClassLoader(),
                Log4j2CorrelationTest.class.getResource("/otel-log4j2.xml").toURI());
        return ctx.getLogger("otel.log4j2");
    }

    /** Stopping the context flushes the appender. */
    private JsonNode sent(String message, int total) {
        Configurator.shutdown(ctx, 10, TimeUnit.SECONDS);
        ctx = null;
        server.awaitEntries(total, Duration.ofSeconds(20));
        return server.entryWithMessage(message);
    }

    @Test
    void c26AnEventLoggedInsideASpanCarriesItsIdsAndTheSpanWinsOverTheThreadContext() throws Exception {
        Logger log = start();
        Span span = TestSpans.start("request");
        try (Scope ignored = span.makeCurrent()) {
            log.info("inside");
            ThreadContext.put("trace_id", "context-trace-id");
            ThreadContext.put("span_id", "2222222222222222");
            log.info("inside with thread context");
        } finally {
            span.end();
        }
        log.info("thread context only");
        ThreadContext.clearAll();
        log.info("outside");

        JsonNode inside = sent("inside", 4);
        assertEquals(span.getSpanContext().getTraceId(), inside.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), inside.path("span_id").asText());
        JsonNode both = server.entryWithMessage("inside with thread context");
        assertEquals(span.getSpanContext().getTraceId(), both.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), both.path("span_id").asText());
        JsonNode context = server.entryWithMessage("thread context only");
        assertEquals("context-trace-id", context.path("trace_id").asText());
        assertEquals("2222222222222222", context.path("span_id").asText());
        assertFalse(server.entryWithMessage("outside").has("trace_id"));
    }

    @Test
    void theJavaAgentsThreadContextKeysAgreeWithTheSpan() throws Exception {
        Logger log = start();
        Span span = TestSpans.start("request");
        try (Scope ignored = span.makeCurrent()) {
            // what the agent's Log4j2 context data injection adds to every event
            ThreadContext.put("trace_id", span.getSpanContext().getTraceId());
            ThreadContext.put("span_id", span.getSpanContext().getSpanId());
            ThreadContext.put("trace_flags", span.getSpanContext().getTraceFlags().asHex());
            log.info("agent style");
        } finally {
            span.end();
        }
        LogbackCorrelationTest.assertAgentStyleEntry(sent("agent style", 1), span.getSpanContext());
    }
}
