package dev.logtide.jul;

import dev.logtide.LogTideScope;
import dev.logtide.testing.BridgeContract;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        BridgeContract.assertDelivered(server, "conformance.contract.Bridge", before, ChronoUnit.MICROS, after);
    }

    /** A level of the application's own, as JUL allows. */
    private static final class CustomLevel extends Level {
        CustomLevel(String name, int value) {
            super(name, value);
        }
    }

    @Test
    void c23_sampleRateFromTheConfigurationFile() throws Exception {
        JulConfig.load("/sampled-logging.properties", server);
        LogTideHandler handler = JulConfig.rootHandler();
        assertEquals(0.5, handler.getClient().options().sampleRate());
        Logger log = Logger.getLogger("app.contract.Sampled");
        for (int i = 0; i < BridgeContract.SAMPLED_EACH; i++) {
            log.info("c23 info " + i);
            log.severe("c23 error " + i);
        }
        handler.flush();
        BridgeContract.assertSampledByTheFile(server, handler.getClient().getMetrics());
    }

    @Test
    void c20_scopeThroughJul() {
        Logger log = Logger.getLogger("conformance.contract.Scope");
        try (LogTideScope scope = BridgeContract.openScope();
             LogTideMdc.Scope request = LogTideMdc.with("requestId", "from-mdc")) {
            log.severe("c20 in scope");
        }
        log.info("c20 out of scope");
        JulConfig.rootHandler().flush();
        BridgeContract.assertScopeApplied(server);
    }
}
