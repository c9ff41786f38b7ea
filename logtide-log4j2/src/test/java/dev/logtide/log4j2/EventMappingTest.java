package dev.logtide.log4j2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.MutableLogEvent;
import org.apache.logging.log4j.core.time.MutableInstant;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.ReusableSimpleMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.apache.logging.log4j.message.StructuredDataMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event mapping through a real log4j2.xml (log4j2-mapping.xml) and a real HTTP server. */
class EventMappingTest {
    private IngestServer server;
    private LoggerContext ctx;
    private LogTideAppender appender;

    @BeforeEach
    void start() {
        server = new IngestServer();
        ctx = Log4j2Configs.start("log4j2-mapping.xml", server);
        appender = Log4j2Configs.appender(ctx, "LOGTIDE");
    }

    @AfterEach
    void stop() {
        ThreadContext.clearAll();
        Log4j2Configs.stop(ctx);
        server.close();
    }

    private void flush() {
        assertTrue(appender.flush(10, TimeUnit.SECONDS), "flush did not finish");
        assertTrue(Log4j2Configs.appender(ctx, "LOGTIDE_LAYOUT").flush(10, TimeUnit.SECONDS), "flush did not finish");
    }

    @Test
    void pluginIsFoundWithoutPackagesAttributeThroughTheGeneratedDescriptor() throws IOException {
        assertTrue(appender.isStarted());
        assertTrue(ctx.getConfiguration().getPluginPackages().isEmpty(), "the test config must not name packages");
        String descriptor = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";
        try (InputStream in = LogTideAppender.class.getProtectionDomain().getCodeSource().getLocation().toURI()
                .resolve(descriptor).toURL().openStream()) {
            String content = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(content.contains(LogTideAppender.class.getName()), content);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void levelsMapToTheFiveServerLevelsIncludingCustomLevels() {
        Logger log = ctx.getLogger("levels");
        Level notice = Level.forName("NOTICE", 350);
        Level verbose = Level.forName("VERBOSE", 550);
        Level emergency = Level.forName("EMERGENCY", 50);
        log.trace("l-trace");
        log.debug("l-debug");
        log.info("l-info");
        log.warn("l-warn");
        log.error("l-error");
        log.fatal("l-fatal");
        log.log(notice, "l-notice");
        log.log(verbose, "l-verbose");
        log.log(emergency, "l-emergency");
        flush();
        assertEquals("debug", level("l-trace"));
        assertEquals("debug", level("l-debug"));
        assertEquals("info", level("l-info"));
        assertEquals("warn", level("l-warn"));
        assertEquals("error", level("l-error"));
        assertEquals("critical", level("l-fatal"));
        assertEquals("info", level("l-notice"));
        assertEquals("debug", level("l-verbose"));
        assertEquals("critical", level("l-emergency"));
    }

    private String level(String message) {
        return server.entryWithMessage(message).path("level").asText();
    }

    @Test
    void messageTimeLoggerThreadServiceAndGlobalMetadata() {
        Instant before = Instant.now();
        ctx.getLogger("com.example.Orders").info("order {} paid {}", 42, "EUR");
        Instant after = Instant.now();
        flush();

        JsonNode e = server.entryWithMessage("order 42 paid EUR");
        assertEquals("mapping-test", e.path("service").asText());
        assertEquals("info", e.path("level").asText());
        String time = e.path("time").asText();
        assertTrue(time.endsWith("Z"), time);
        Instant sent = Instant.parse(time);
        // The entry carries the capture instant, so it lies between the two readings around the call.
        assertFalse(sent.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)), time + " < " + before);
        assertFalse(sent.isAfter(after), time + " > " + after);

        JsonNode md = e.path("metadata");
        assertEquals("com.example.Orders", md.path("logger").asText());
        assertEquals(Thread.currentThread().getName(), md.path("thread").asText());
        assertEquals("test", md.path("env").asText());
        assertEquals("eu-west-1", md.path("region").asText());
        assertEquals("payments", md.path("team").asText());
        assertEquals("42", md.path("build").asText());
        assertEquals("logtide-java", md.path("sdk").path("name").asText());
        assertTrue(server.requests().stream().allMatch(r -> "/api/v1/ingest".equals(r.getTarget())
                && IngestServer.API_KEY.equals(r.getHeaders().get("X-API-Key"))), server.requests().toString());
    }

    @Test
    void threadContextMapStackAndTraceIds() {
        ThreadContext.put("user", "alice");
        ThreadContext.put("logger", "spoofed");
        ThreadContext.put("password", "hunter2");
        ThreadContext.put("traceId", "trace-abc");
        ThreadContext.put("span_id", "00f067aa0ba902b7");
        ThreadContext.push("outer");
        ThreadContext.push("inner");
        ctx.getLogger("ctx").warn("with context");
        ThreadContext.clearAll();
        ThreadContext.put("X-Trace", "from-custom-key");
        ThreadContext.put("spanId", "not-a-span");
        ctx.getLogger("ctx").info("custom trace key");
        ThreadContext.clearAll();
        ctx.getLogger("ctx").info("no context");
        flush();

        JsonNode e = server.entryWithMessage("with context");
        assertEquals("trace-abc", e.path("trace_id").asText());
        assertEquals("00f067aa0ba902b7", e.path("span_id").asText());
        JsonNode md = e.path("metadata");
        assertEquals("alice", md.path("user").asText());
        assertEquals("ctx", md.path("logger").asText(), "a context key never replaces the logger name");
        assertEquals("spoofed", md.path("mdc").path("logger").asText());
        assertEquals("[EXCLUDED]", md.path("password").asText(), "excludeFields=password applies");
        assertEquals(List.of("outer", "inner"), texts(md.path("ndc")));

        JsonNode custom = server.entryWithMessage("custom trace key");
        assertEquals("from-custom-key", custom.path("trace_id").asText());
        assertTrue(custom.path("span_id").isMissingNode(), "a span id that is not 16 hex is not sent");

        JsonNode none = server.entryWithMessage("no context");
        assertTrue(none.path("trace_id").isMissingNode());
        assertTrue(none.path("metadata").path("ndc").isMissingNode());
        assertTrue(none.path("metadata").path("user").isMissingNode());
    }

    @Test
    void markerAndItsParents() {
        Marker audit = MarkerManager.getMarker("AUDIT");
        Marker security = MarkerManager.getMarker("SECURITY");
        Marker login = MarkerManager.getMarker("LOGIN").setParents(security, audit);
        ctx.getLogger("markers").info(login, "user logged in");
        flush();
        JsonNode md = server.entryWithMessage("user logged in").path("metadata");
        assertEquals(List.of("LOGIN", "SECURITY", "AUDIT"), texts(md.path("markers")));
    }

    @Test
    void mapMessageFieldsKeepTheirTypes() {
        MapMessage<?, ?> map = new MapMessage<>()
                .with("count", 3)
                .with("ratio", 0.5)
                .with("ok", true)
                .with("name", "widget");
        ctx.getLogger("maps").info(map);
        StructuredDataMessage sd = new StructuredDataMessage("order@1", "order placed", "OrderPlaced");
        sd.put("orderId", "A-17");
        ctx.getLogger("maps").info(sd);
        ctx.getLogger("maps").info(new StringMapMessage().with("kind", "plain"));
        flush();

        JsonNode md = server.entryWithMessage(map.getFormattedMessage()).path("metadata");
        assertTrue(md.path("count").isInt(), md.toString());
        assertEquals(3, md.path("count").asInt());
        assertTrue(md.path("ratio").isDouble(), md.toString());
        assertTrue(md.path("ok").isBoolean(), md.toString());
        assertEquals("widget", md.path("name").asText());

        JsonNode sdEntry = server.entryWithMessage(sd.getFormattedMessage());
        assertEquals("A-17", sdEntry.path("metadata").path("orderId").asText());
        assertEquals("plain", server.entries().stream().filter(x -> x.path("metadata").has("kind")).findFirst().get()
                .path("metadata").path("kind").asText());
    }

    @Test
    void exceptionInTheCoreShape() {
        IllegalStateException error = new IllegalStateException("payment failed", new IOException("socket closed"));
        ctx.getLogger("errors").error("could not pay", error);
        flush();
        JsonNode ex = server.entryWithMessage("could not pay").path("metadata").path("exception");
        assertEquals("java.lang.IllegalStateException", ex.path("type").asText());
        assertEquals("payment failed", ex.path("message").asText());
        assertEquals("java", ex.path("language").asText());
        assertTrue(ex.path("stacktrace").size() > 0, ex.toString());
        assertEquals(getClass().getName() + ".exceptionInTheCoreShape",
                ex.path("stacktrace").get(0).path("function").asText());
        assertEquals("java.io.IOException", ex.path("cause").path("type").asText());
    }

    @Test
    void sourceLocationWhenTheAppenderAsksForIt() {
        ctx.getLogger("located").info("where am I");
        ctx.getLogger("layout.Located").info("no location here");
        flush();
        JsonNode source = server.entryWithMessage("where am I").path("metadata").path("source");
        assertEquals(getClass().getName(), source.path("class").asText());
        assertEquals("sourceLocationWhenTheAppenderAsksForIt", source.path("method").asText());
        assertEquals("EventMappingTest.java", source.path("file").asText());
        assertTrue(source.path("line").asInt() > 0, source.toString());
        JsonNode other = server.entryWithMessage("[INFO] Located - no location here");
        assertTrue(other.path("metadata").path("source").isMissingNode(), "includeLocation defaults to false");
    }

    @Test
    void layoutFormatsTheMessageWithoutTheTrailingLineBreak() {
        ThreadContext.put("user", "bob");
        ctx.getLogger("layout.Checkout").info("paid {}", 10);
        ctx.getLogger("layout.Checkout").debug("below the logger's level");
        flush();
        JsonNode e = server.entryWithMessage("[INFO] Checkout - paid 10");
        assertEquals("layout-test", e.path("service").asText());
        assertTrue(e.path("metadata").path("user").isMissingNode(), "includeThreadContext=false");
        assertTrue(Log4j2Configs.entriesOf(server, "layout.Checkout").size() == 1, server.entries().toString());
    }

    @Test
    void filtersApply() {
        Marker skip = MarkerManager.getMarker("NOT_FOR_LOGTIDE");
        ctx.getLogger("filters").info(skip, "filtered out");
        ctx.getLogger("filters").info("kept");
        flush();
        assertEquals(List.of("kept"), Log4j2Configs.entriesOf(server, "filters").stream()
                .map(n -> n.path("message").asText()).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void hostileValuesNeverBreakTheLogCall() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString exploded");
            }
        };
        ctx.getLogger("hostile").info("param {}", hostile);
        ctx.getLogger("hostile").info(new MapMessage<>().with("bad", hostile).with("good", 1));
        ctx.getLogger("hostile").info("nul \u0000 char");
        ctx.getLogger("hostile").info((String) null);
        ctx.getLogger("hostile").info("after");
        flush();
        List<JsonNode> got = Log4j2Configs.entriesOf(server, "hostile");
        assertEquals(5, got.size(), got.toString());
        assertEquals("after", got.get(4).path("message").asText());
        JsonNode mapEntry = got.get(1);
        assertEquals(1, mapEntry.path("metadata").path("good").asInt(), mapEntry.toString());
        assertFalse(mapEntry.path("message").asText().isEmpty());
        assertFalse(got.get(2).path("message").asText().contains("\u0000"));
        assertFalse(got.get(3).path("message").asText().isEmpty());
    }

    /**
     * Log4j2 reuses one mutable event (and its instant, message buffer and context map) per thread
     * in garbage-free mode: what was appended must not change when the event is reused.
     */
    @Test
    void reusedMutableEventsAreSnapshotOnAppend() {
        MutableLogEvent event = new MutableLogEvent();
        ReusableSimpleMessage message = new ReusableSimpleMessage();
        SortedArrayStringMap context = new SortedArrayStringMap();
        event.setLevel(Level.INFO);
        event.setLoggerName("reused");
        event.setThreadName("worker-1");
        message.set("first");
        event.setMessage(message);
        ((MutableInstant) event.getInstant()).initFromEpochSecond(1_700_000_000L, 123_456_789);
        context.putValue("request", "r1");
        event.setContextData(context);
        appender.append(event);

        event.setLevel(Level.ERROR);
        event.setThreadName("worker-2");
        message.set("second");
        event.setMessage(message);
        ((MutableInstant) event.getInstant()).initFromEpochSecond(1_700_000_100L, 0);
        context.putValue("request", "r2");
        appender.append(event);
        flush();

        JsonNode first = server.entryWithMessage("first");
        assertEquals("2023-11-14T22:13:20.123456Z", first.path("time").asText());
        assertEquals("info", first.path("level").asText());
        assertEquals("worker-1", first.path("metadata").path("thread").asText());
        assertEquals("r1", first.path("metadata").path("request").asText());
        JsonNode second = server.entryWithMessage("second");
        assertEquals("2023-11-14T22:15:00.000Z", second.path("time").asText());
        assertEquals("r2", second.path("metadata").path("request").asText());
    }

    @Test
    void theApiKeyNeverAppearsInToString() {
        assertFalse(appender.toString().contains(IngestServer.API_KEY), appender.toString());
        assertNotNull(appender.getMetrics());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
