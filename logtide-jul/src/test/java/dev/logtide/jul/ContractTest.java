package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ServerRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK contract's C28 (logging bridge) through java.util.logging, configured by
 * conformance-logging.properties; JUL has no MDC, so {@link LogTideMdc} is the context. The
 * core's scenarios are in {@code dev.logtide.contract}.
 */
class ContractTest {
    private IngestServer server;

    @BeforeEach
    void configure() throws Exception {
        server = new IngestServer();
        JulConfig.load("/conformance-logging.properties", server);
    }

    @AfterEach
    void tearDown() {
        LogTideMdc.clear();
        JulConfig.reset();
        server.close();
    }

    @Test
    void c28_loggingBridge() throws Exception {
        // Taken after the configuration is read, so conformance.level=ALL applies to it.
        Logger log = Logger.getLogger("conformance.contract.Bridge");
        Level[] levels = {Level.FINEST, Level.FINER, Level.FINE, Level.INFO, Level.WARNING, Level.SEVERE,
            LogTideLevel.CRITICAL, new CustomLevel("C28_EMERGENCY", 1200), new CustomLevel("C28_NOTICE", 850)};
        String[] expected = {"debug", "debug", "debug", "info", "warn", "error", "critical", "critical", "info"};
        for (Level level : levels) {
            log.log(level, "c28 " + level.getName());
        }

        Instant before;
        Instant after;
        try (LogTideMdc.Scope trace = LogTideMdc.with("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
             LogTideMdc.Scope request = LogTideMdc.with("requestId", "r-28");
             LogTideMdc.Scope order = LogTideMdc.with("orderId", 42)) {
            before = Instant.now();
            log.info("c28 context");
            after = Instant.now();
        }
        try (LogTideMdc.Scope camel = LogTideMdc.with("traceId", "camel-28")) {
            log.info("c28 camel");
        }
        log.log(Level.SEVERE, "c28 failure", new IllegalStateException("bridge boom"));
        // OkHttp logs through JUL: its own logging during delivery never enters the pipeline.
        Thread okHttp = new Thread(() -> Logger.getLogger("okhttp3.OkHttpClient").info("c28 own logger"),
                "OkHttp Dispatcher contract");
        okHttp.start();
        okHttp.join();
        log.info("c28 last");
        JulConfig.rootHandler().flush();

        for (int i = 0; i < levels.length; i++) {
            assertEquals(expected[i], server.entryWithMessage("c28 " + levels[i].getName()).get("level").asText(),
                    levels[i].getName());
        }
        JsonNode context = server.entryWithMessage("c28 context");
        assertNull(ServerRules.violation(context), context::toString);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", context.get("trace_id").asText(), "LogTideMdc trace_id promoted");
        JsonNode md = context.get("metadata");
        assertEquals("r-28", md.get("requestId").asText());
        assertTrue(md.get("orderId").isNumber(), "typed context values keep their type: " + md);
        assertEquals("conformance.contract.Bridge", md.get("logger").asText());
        assertEquals(Thread.currentThread().getName(), md.get("thread").asText());
        Instant time = Instant.parse(context.get("time").asText());
        assertFalse(time.isBefore(before.truncatedTo(ChronoUnit.MICROS)) || time.isAfter(after), "the record's time: " + time);
        assertEquals("camel-28", server.entryWithMessage("c28 camel").get("trace_id").asText(), "LogTideMdc traceId promoted");
        JsonNode ex = server.entryWithMessage("c28 failure").get("metadata").get("exception");
        assertEquals("java.lang.IllegalStateException", ex.get("type").asText());
        assertEquals("bridge boom", ex.get("message").asText());
        assertEquals("java", ex.get("language").asText());

        List<String> messages = server.entries().stream().map(e -> e.get("message").asText()).collect(Collectors.toList());
        assertFalse(messages.contains("c28 own logger"), messages::toString);
        assertEquals("c28 last", messages.get(messages.size() - 1));
    }

    /** A level of the application's own, as JUL allows. */
    private static final class CustomLevel extends Level {
        CustomLevel(String name, int value) {
            super(name, value);
        }
    }
}
