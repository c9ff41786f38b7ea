package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ServerRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK contract's C28 (logging bridge) through Logback, configured by conformance-logback.xml
 * and driven through the SLF4J API; the core's scenarios are in {@code dev.logtide.contract}.
 */
class ContractTest {
    private IngestServer server;
    private LoggerContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        server = new IngestServer();
        ctx = LogbackTestSupport.configure("conformance-logback.xml", server.url());
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
        LogbackTestSupport.reset();
        server.close();
    }

    @Test
    void c28_loggingBridge() throws Exception {
        Logger log = LoggerFactory.getLogger("app.contract.Bridge");
        log.trace("c28 trace");
        log.debug("c28 debug");
        log.info("c28 info");
        log.warn("c28 warn");
        log.error("c28 error");
        log.error(MarkerFactory.getMarker("FATAL"), "c28 fatal"); // SLF4J has no FATAL level

        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("requestId", "r-28");
        Instant before = Instant.now();
        log.atInfo().addKeyValue("orderId", 42).log("c28 context");
        Instant after = Instant.now();
        MDC.clear();
        MDC.put("traceId", "camel-28");
        log.info("c28 camel");
        MDC.clear();
        log.error("c28 failure", new IllegalStateException("bridge boom"));
        // OkHttp's own logging during delivery (bridged into Logback) never enters the pipeline.
        Thread okHttp = new Thread(() -> LoggerFactory.getLogger("okhttp3.OkHttpClient").info("c28 own logger"),
                "OkHttp Dispatcher contract");
        okHttp.start();
        okHttp.join();
        log.info("c28 last");
        LogbackTestSupport.flush(ctx, "LOGTIDE");

        String[][] levels = {{"trace", "debug"}, {"debug", "debug"}, {"info", "info"}, {"warn", "warn"},
            {"error", "error"}, {"fatal", "critical"}};
        for (String[] l : levels) {
            assertEquals(l[1], server.entryWithMessage("c28 " + l[0]).get("level").asText(), l[0]);
        }
        JsonNode context = server.entryWithMessage("c28 context");
        assertNull(ServerRules.violation(context), context::toString);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", context.get("trace_id").asText(), "MDC trace_id promoted");
        JsonNode md = context.get("metadata");
        assertEquals("r-28", md.get("requestId").asText());
        assertEquals(42, md.get("orderId").asInt());
        assertTrue(md.get("orderId").isNumber(), "SLF4J 2 key-values keep their type");
        assertEquals("app.contract.Bridge", md.get("logger").asText());
        assertEquals(Thread.currentThread().getName(), md.get("thread").asText());
        Instant time = Instant.parse(context.get("time").asText());
        assertFalse(time.isBefore(before.truncatedTo(ChronoUnit.MICROS)) || time.isAfter(after), "the event's time: " + time);
        assertEquals("camel-28", server.entryWithMessage("c28 camel").get("trace_id").asText(), "MDC traceId promoted");
        JsonNode ex = server.entryWithMessage("c28 failure").get("metadata").get("exception");
        assertEquals("java.lang.IllegalStateException", ex.get("type").asText());
        assertEquals("bridge boom", ex.get("message").asText());
        assertEquals("java", ex.get("language").asText());

        List<String> messages = server.entries().stream().map(e -> e.get("message").asText()).collect(Collectors.toList());
        assertFalse(messages.contains("c28 own logger"), messages::toString);
        assertEquals("c28 last", messages.get(messages.size() - 1));
    }
}
