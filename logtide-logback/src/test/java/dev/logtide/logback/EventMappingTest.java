package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event mapping rule, through mapping.xml (all adapter options at their defaults). */
class EventMappingTest {
    private IngestServer server;
    private LoggerContext ctx;
    private final Logger log = LoggerFactory.getLogger("app.checkout.Payments");

    @BeforeEach
    void setUp() throws Exception {
        server = new IngestServer();
        ctx = LogbackTestSupport.configure("mapping.xml", server.url());
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
        LogbackTestSupport.reset();
        server.close();
    }

    private void flush() {
        LogbackTestSupport.flush(ctx, "LOGTIDE");
    }

    @Test
    void levelsMapToTheFiveServerLevelsAndFatalMarkersToCritical() {
        Marker fatal = MarkerFactory.getMarker("FATAL");
        Marker critical = MarkerFactory.getMarker("CRITICAL");
        Marker wrapper = MarkerFactory.getDetachedMarker("ALERT");
        wrapper.add(fatal);

        log.trace("m-trace");
        log.debug("m-debug");
        log.info("m-info");
        log.warn("m-warn");
        log.error("m-error");
        log.error(fatal, "m-fatal");
        log.info(critical, "m-critical-marker");
        log.warn(wrapper, "m-referenced-fatal");
        flush();

        assertEquals("debug", server.entryWithMessage("m-trace").get("level").asText());
        assertEquals("debug", server.entryWithMessage("m-debug").get("level").asText());
        assertEquals("info", server.entryWithMessage("m-info").get("level").asText());
        assertEquals("warn", server.entryWithMessage("m-warn").get("level").asText());
        assertEquals("error", server.entryWithMessage("m-error").get("level").asText());
        assertEquals("critical", server.entryWithMessage("m-fatal").get("level").asText());
        assertEquals("critical", server.entryWithMessage("m-critical-marker").get("level").asText());
        assertEquals("critical", server.entryWithMessage("m-referenced-fatal").get("level").asText());
    }

    /** Logback catches only Exceptions from an appender: an Error while mapping must stop at the appender. */
    @Test
    void anErrorWhileMappingIsReportedAsAStatusAndNeverReachesTheCaller() {
        Marker hostile = new Marker() {
            @Override public String getName() { return "HOSTILE"; }
            @Override public void add(Marker reference) { }
            @Override public boolean remove(Marker reference) { return false; }
            @Override @Deprecated public boolean hasChildren() { return false; }
            @Override public boolean hasReferences() { return false; }
            @Override public java.util.Iterator<Marker> iterator() { return java.util.Collections.emptyIterator(); }
            @Override public boolean contains(Marker other) { throw new StackOverflowError("hostile marker"); }
            @Override public boolean contains(String name) { throw new StackOverflowError("hostile marker"); }
        };

        log.error(hostile, "m-hostile-marker");
        log.info("m-after-hostile");
        flush();

        assertTrue(ctx.getStatusManager().getCopyOfStatusList().stream().anyMatch(s -> s.getLevel() == Status.ERROR
                        && s.getMessage().equals("LogTide could not capture an event from app.checkout.Payments")
                        && s.getThrowable() instanceof StackOverflowError),
                () -> ctx.getStatusManager().getCopyOfStatusList().toString());
        assertEquals("info", server.entryWithMessage("m-after-hostile").get("level").asText());
    }

    @Test
    void messageIsFormattedAndTimeIsTheEventsOwnInstant() {
        log.info("order {} paid by {}", 42, "ada");
        flush();

        JsonNode entry = server.entryWithMessage("order 42 paid by ada");
        assertEquals("mapping", entry.get("service").asText());
        ILoggingEvent event = LogbackTestSupport.listed(ctx).get(0);
        String time = entry.get("time").asText();
        assertTrue(time.endsWith("Z"), time);
        // Logback 1.3+ keeps sub-millisecond precision; the core sends microseconds when present.
        assertEquals(event.getInstant().truncatedTo(ChronoUnit.MICROS), Instant.parse(time));
    }

    @Test
    void loggerThreadMdcAndCollisionsGoToMetadata() {
        MDC.put("requestId", "r-1");
        MDC.put("logger", "from-mdc");
        log.info("with mdc");
        // The MDC changes right after the call; the entry keeps what was there during it.
        MDC.put("requestId", "r-2");
        MDC.clear();
        flush();

        JsonNode metadata = server.entryWithMessage("with mdc").get("metadata");
        assertEquals("app.checkout.Payments", metadata.get("logger").asText());
        assertEquals(Thread.currentThread().getName(), metadata.get("thread").asText());
        assertEquals("r-1", metadata.get("requestId").asText());
        assertEquals("from-mdc", metadata.get("mdc").get("logger").asText());
        assertEquals("test", metadata.get("env").asText());
        assertEquals("eu-west-1", metadata.get("region").asText());
    }

    @Test
    void keyValuePairsKeepTheirJsonTypesAndAreCapturedAtTheCall() {
        List<String> items = new ArrayList<>(Arrays.asList("a", "b"));
        Map<String, Object> nested = new HashMap<>();
        nested.put("n", 1);
        log.atInfo().setMessage("typed")
                .addKeyValue("amount", 12.5)
                .addKeyValue("count", 3)
                .addKeyValue("paid", true)
                .addKeyValue("user", "ada")
                .addKeyValue("items", items)
                .addKeyValue("nested", nested)
                .addKeyValue("password", "hunter2")
                .log();
        items.add("added-after-the-call");
        nested.put("late", true);
        flush();

        JsonNode metadata = server.entryWithMessage("typed").get("metadata");
        assertTrue(metadata.get("amount").isNumber(), metadata.toString());
        assertEquals(12.5, metadata.get("amount").asDouble());
        assertTrue(metadata.get("count").isInt(), metadata.toString());
        assertTrue(metadata.get("paid").isBoolean(), metadata.toString());
        assertEquals("ada", metadata.get("user").asText());
        assertEquals(2, metadata.get("items").size(), metadata.toString());
        assertEquals(1, metadata.get("nested").get("n").asInt());
        assertFalse(metadata.get("nested").has("late"), metadata.toString());
        assertEquals("[EXCLUDED]", metadata.get("password").asText());
    }

    @Test
    void hostileValuesNeverBreakTheLogCall() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        MDC.put("nul", "a\u0000b");
        log.atWarn().setMessage("hostile {}").addArgument(hostile)
                .addKeyValue("bad", hostile)
                .addKeyValue("cyclic", cyclic)
                .addKeyValue(null, "no key")
                .log();
        log.info("after hostile");
        flush();

        JsonNode hostileEntry = server.entries().stream()
                .filter(e -> e.path("message").asText().startsWith("hostile ")).findFirst().orElseThrow();
        JsonNode metadata = hostileEntry.get("metadata");
        assertTrue(metadata.get("bad").asText().contains("IllegalStateException"), metadata.toString());
        assertTrue(metadata.has("cyclic"), metadata.toString());
        assertEquals("ab", metadata.get("nul").asText());
        assertEquals("info", server.entryWithMessage("after hostile").get("level").asText());
    }

    @Test
    void markersAreSentAsAListAndCallerDataIsOffByDefault() {
        log.atInfo().addMarker(MarkerFactory.getMarker("AUDIT")).addMarker(MarkerFactory.getMarker("BILLING"))
                .log("marked");
        flush();

        JsonNode metadata = server.entryWithMessage("marked").get("metadata");
        assertEquals("[\"AUDIT\",\"BILLING\"]", metadata.get("markers").toString());
        assertFalse(metadata.has("caller"), metadata.toString());
    }

    @Test
    void exceptionIsStructuredFromTheThrowableProxyWithCausesSuppressedAndCommonFrames() {
        IllegalStateException error = new IllegalStateException("outer", new IllegalArgumentException("inner"));
        error.addSuppressed(new UnsupportedOperationException("closing"));
        log.error("failed", error);
        log.warn("null message", new NullPointerException());
        flush();

        JsonNode exception = server.entryWithMessage("failed").get("metadata").get("exception");
        assertEquals("java.lang.IllegalStateException", exception.get("type").asText());
        assertEquals("outer", exception.get("message").asText());
        assertEquals("java", exception.get("language").asText());
        JsonNode top = exception.get("stacktrace").get(0);
        assertEquals(getClass().getName() + ".exceptionIsStructuredFromTheThrowableProxyWithCausesSuppressedAndCommonFrames",
                top.get("function").asText());
        assertEquals("EventMappingTest.java", top.get("file").asText());
        assertTrue(top.get("line").asInt() > 0);
        assertEquals("java.lang.IllegalArgumentException", exception.get("cause").get("type").asText());
        assertEquals("inner", exception.get("cause").get("message").asText());
        assertEquals("java.lang.UnsupportedOperationException", exception.get("suppressed").get(0).get("type").asText());

        int common = LogbackTestSupport.listed(ctx).get(0).getThrowableProxy().getCause().getCommonFrames();
        assertTrue(common > 0, "Logback found no common frames");
        String raw = exception.get("raw").asText();
        assertTrue(raw.contains("Caused by: java.lang.IllegalArgumentException: inner"), raw);
        assertTrue(raw.contains("... " + common + " more"), raw);

        JsonNode npe = server.entryWithMessage("null message").get("metadata").get("exception");
        assertEquals("java.lang.NullPointerException", npe.get("type").asText());
        assertFalse(npe.get("message").asText().isEmpty());
    }

    @Test
    void aCauseCycleIsMarkedCircularAsInTheCoreAndLog4j2() {
        // Logback ends a cause cycle with a new proxy marked cyclic: it was sent as a third level "A".
        RuntimeException a = new RuntimeException("A");
        RuntimeException b = new RuntimeException("B", a);
        a.initCause(b);
        log.error("cyclic", a);
        flush();

        JsonNode exception = server.entryWithMessage("cyclic").get("metadata").get("exception");
        assertEquals("A", exception.get("message").asText());
        assertEquals("B", exception.get("cause").get("message").asText());
        assertFalse(exception.get("cause").has("cause"), exception.toString());
        String raw = exception.get("raw").asText();
        assertTrue(raw.endsWith("Caused by: [CIRCULAR REFERENCE: java.lang.RuntimeException: A]\n"), raw);
    }

    @Test
    void aCauseCycleInADeserialisedEventIsFoundByClassAndMessage() {
        RuntimeException a = new RuntimeException("A");
        RuntimeException b = new RuntimeException("B", a);
        a.initCause(b);
        // what a remote or deserialised event carries: no live exception behind the proxies
        LogbackThrowableView top = new LogbackThrowableView(
                ch.qos.logback.classic.spi.ThrowableProxyVO.build(new ch.qos.logback.classic.spi.ThrowableProxy(a)));
        assertTrue(top.cause().cause() != null && top.cause().cause().cause() == null, "Logback's cyclic proxy ends the chain");
        assertTrue(top.cause().cause().identity() == top.identity(), "the cyclic proxy stands for A");
        assertTrue(top.cause().identity() != top.identity());
    }

    @Test
    void traceAndSpanIdsComeFromTheMdcElseFromTheTraceContext() {
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("span_id", "00f067aa0ba902b7");
        log.info("otel keys");
        MDC.clear();
        MDC.put("traceId", "camel-trace");
        MDC.put("spanId", "00f067aa0ba902b8");
        log.info("camel keys");
        MDC.clear();
        try (TraceContext.Scope ignored = TraceContext.withTraceId("from-trace-context")) {
            log.info("trace context");
        }
        MDC.put("span_id", "not-hex");
        log.info("bad span");
        flush();

        JsonNode otel = server.entryWithMessage("otel keys");
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", otel.get("trace_id").asText());
        assertEquals("00f067aa0ba902b7", otel.get("span_id").asText());
        JsonNode camel = server.entryWithMessage("camel keys");
        assertEquals("camel-trace", camel.get("trace_id").asText());
        assertEquals("00f067aa0ba902b8", camel.get("span_id").asText());
        assertEquals("from-trace-context", server.entryWithMessage("trace context").get("trace_id").asText());
        JsonNode bad = server.entryWithMessage("bad span");
        assertFalse(bad.has("span_id"), bad.toString());
        assertFalse(bad.has("trace_id"), bad.toString());
    }
}
