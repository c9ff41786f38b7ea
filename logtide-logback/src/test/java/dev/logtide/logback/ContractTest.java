package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogTideScope;
import dev.logtide.testing.BridgeContract;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        JsonNode md = BridgeContract.assertDelivered(server, "app.contract.Bridge", before, ChronoUnit.MICROS, after);
        assertEquals(42, md.get("orderId").asInt());
    }

    @Test
    void c23_sampleRateFromTheConfigurationFile() throws Exception {
        ctx = LogbackTestSupport.configure("sampled-logback.xml", server.url());
        LogTideAppender appender = LogbackTestSupport.appender(ctx, "LOGTIDE");
        assertEquals(0.5, appender.getClient().options().sampleRate());
        Logger log = LoggerFactory.getLogger("app.contract.Sampled");
        for (int i = 0; i < BridgeContract.SAMPLED_EACH; i++) {
            log.info("c23 info " + i);
            log.error("c23 error " + i);
        }
        LogbackTestSupport.flush(ctx, "LOGTIDE");
        BridgeContract.assertSampledByTheFile(server, appender.getClient().getMetrics());
    }

    @Test
    void c20_scopeThroughLogback() {
        Logger log = LoggerFactory.getLogger("app.contract.Scope");
        try (LogTideScope scope = BridgeContract.openScope()) {
            MDC.put("requestId", "from-mdc");
            log.error("c20 in scope");
        } finally {
            MDC.clear();
        }
        log.info("c20 out of scope");
        LogbackTestSupport.flush(ctx, "LOGTIDE");
        BridgeContract.assertScopeApplied(server);
    }
}
