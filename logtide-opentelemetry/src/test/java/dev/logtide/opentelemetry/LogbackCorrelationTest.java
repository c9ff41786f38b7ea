package dev.logtide.opentelemetry;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.logback.LogTideAppender;
import dev.logtide.testing.IngestServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** C26 through the Logback appender, configured by real logback.xml files. */
class LogbackCorrelationTest {
    private static final Logger LOG = LoggerFactory.getLogger("otel.logback");
    private final IngestServer server = new IngestServer();

    @AfterEach
    void reset() throws Exception {
        MDC.clear();
        TraceContext.setTraceId(null);
        LoggerContext ctx = context();
        ctx.reset();
        System.clearProperty("logtide.test.url");
        System.clearProperty("logtide.test.key");
        server.close();
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private void configure(String resource) throws Exception {
        System.setProperty("logtide.test.url", server.url());
        System.setProperty("logtide.test.key", IngestServer.API_KEY);
        LoggerContext ctx = context();
        ctx.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(LogbackCorrelationTest.class.getResource("/" + resource));
    }

    /** Flushes after the async queue, if any, has handed its events over (stop drains it). */
    private JsonNode sent(String message, int total) {
        LogTideAppender appender = (LogTideAppender) context().getLogger(Logger.ROOT_LOGGER_NAME).getAppender("LOGTIDE");
        if (appender == null) {
            // behind the AsyncAppender: stopping the context drains the queue, then stops (flushes) LOGTIDE
            context().stop();
        } else {
            assertNotNull(appender.getClient());
            appender.getClient().flush();
        }
        server.awaitEntries(total, Duration.ofSeconds(20));
        return server.entryWithMessage(message);
    }

    @Test
    void anEventLoggedInsideASpanCarriesItsIds() throws Exception {
        configure("otel-logback.xml");
        Span span = TestSpans.start("request");
        try (Scope ignored = span.makeCurrent()) {
            LOG.info("inside");
        } finally {
            span.end();
        }
        LOG.info("outside");
        JsonNode inside = sent("inside", 2);
        assertEquals(span.getSpanContext().getTraceId(), inside.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), inside.path("span_id").asText());
        assertFalse(server.entryWithMessage("outside").has("trace_id"));
    }

    @Test
    void c26TheSpanWinsOverTheMdcAndTraceContextWhichWinWithoutIt() throws Exception {
        configure("otel-logback.xml");
        Span span = TestSpans.start("request");
        try (TraceContext.Scope scope = TraceContext.withTraceId("scope-id")) {
            MDC.put("trace_id", "mdc-trace-id");
            MDC.put("span_id", "1111111111111111");
            try (Scope ignored = span.makeCurrent()) {
                LOG.info("span, mdc and scope");
            } finally {
                span.end();
            }
            LOG.info("mdc and scope");
            MDC.clear();
            LOG.info("scope only");
        }
        JsonNode withSpan = sent("span, mdc and scope", 3);
        assertEquals(span.getSpanContext().getTraceId(), withSpan.path("trace_id").asText());
        assertEquals(span.getSpanContext().getSpanId(), withSpan.path("span_id").asText(),
                "the span id comes with the span's trace id, not from the MDC");
        JsonNode mdc = server.entryWithMessage("mdc and scope");
        assertEquals("mdc-trace-id", mdc.path("trace_id").asText());
        assertEquals("1111111111111111", mdc.path("span_id").asText());
        JsonNode scope = server.entryWithMessage("scope only");
        assertEquals("scope-id", scope.path("trace_id").asText());
        assertFalse(scope.has("span_id"));
    }

    @Test
    void c26TheJavaAgentsMdcKeysAgreeWithTheSpanAndAreNotDoubled() throws Exception {
        configure("otel-logback.xml");
        Span span = TestSpans.start("request");
        try (Scope ignored = span.makeCurrent(); AgentMdc mdc = AgentMdc.of(span.getSpanContext())) {
            LOG.info("agent style");
        } finally {
            span.end();
        }
        assertAgentStyleEntry(sent("agent style", 1), span.getSpanContext());
    }

    @Test
    void behindAnAsyncAppenderTheAgentsMdcKeysCarryTheIds() throws Exception {
        configure("otel-logback-async.xml");
        Span span = TestSpans.start("request");
        try (Scope ignored = span.makeCurrent(); AgentMdc mdc = AgentMdc.of(span.getSpanContext())) {
            LOG.info("async agent style");
        } finally {
            span.end();
        }
        assertAgentStyleEntry(sent("async agent style", 1), span.getSpanContext());
    }

    /** One trace id and one span id, the span's, at the top level; the MDC copies say the same. */
    static void assertAgentStyleEntry(JsonNode entry, SpanContext span) {
        assertEquals(span.getTraceId(), entry.path("trace_id").asText());
        assertEquals(span.getSpanId(), entry.path("span_id").asText());
        JsonNode metadata = entry.path("metadata");
        // The MDC is sent as metadata (documented): its copies of the ids agree with the entry's.
        assertEquals(span.getTraceId(), metadata.path("trace_id").asText(), metadata::toString);
        assertEquals(span.getSpanId(), metadata.path("span_id").asText(), metadata::toString);
        assertFalse(metadata.has("mdc"), () -> "no id moved aside as a collision: " + metadata);
    }

    /** The MDC keys the OpenTelemetry Java agent (and its Logback MDC instrumentation) write. */
    static final class AgentMdc implements AutoCloseable {
        static AgentMdc of(SpanContext span) {
            MDC.put("trace_id", span.getTraceId());
            MDC.put("span_id", span.getSpanId());
            MDC.put("trace_flags", span.getTraceFlags().asHex());
            return new AgentMdc();
        }

        @Override
        public void close() {
            MDC.remove("trace_id");
            MDC.remove("span_id");
            MDC.remove("trace_flags");
        }
    }
}
