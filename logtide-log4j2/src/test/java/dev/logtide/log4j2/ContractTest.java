package dev.logtide.log4j2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogTideScope;
import dev.logtide.testing.BridgeContract;
import dev.logtide.testing.IngestServer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK contract's C28 (logging bridge) through Log4j2, configured by conformance-log4j2.xml
 * and driven through the Log4j2 API; the core's scenarios are in {@code dev.logtide.contract}.
 */
class ContractTest {
    private IngestServer server;
    private LoggerContext ctx;

    @BeforeEach
    void start() {
        server = new IngestServer();
        ctx = Log4j2Configs.start("conformance-log4j2.xml", server);
    }

    @AfterEach
    void stop() {
        ThreadContext.clearAll();
        Log4j2Configs.stop(ctx);
        server.close();
    }

    @Test
    void c28_loggingBridge() throws Exception {
        Logger log = ctx.getLogger("app.contract.Bridge");
        log.trace("c28 trace");
        log.debug("c28 debug");
        log.info("c28 info");
        log.warn("c28 warn");
        log.error("c28 error");
        log.fatal("c28 fatal");
        // Custom levels by threshold: as severe as FATAL is critical; between WARN and INFO is info.
        log.log(Level.forName("C28_EMERGENCY", 50), "c28 emergency");
        log.log(Level.forName("C28_NOTICE", 350), "c28 notice");
        log.log(Level.forName("C28_VERBOSE", 550), "c28 verbose");

        ThreadContext.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        ThreadContext.put("requestId", "r-28");
        Instant before = Instant.now();
        log.info(new MapMessage<>().with("message", "c28 context").with("orderId", 42));
        Instant after = Instant.now();
        ThreadContext.clearAll();
        ThreadContext.put("traceId", "camel-28");
        log.info("c28 camel");
        ThreadContext.clearAll();
        log.error("c28 failure", new IllegalStateException("bridge boom"));
        // OkHttp's own logging during delivery (bridged into Log4j2) never enters the pipeline.
        Thread okHttp = new Thread(() -> ctx.getLogger("okhttp3.OkHttpClient").info("c28 own logger"),
                "OkHttp Dispatcher contract");
        okHttp.start();
        okHttp.join();
        log.info("c28 last");
        assertTrue(Log4j2Configs.appender(ctx, "LOGTIDE").flush(10, TimeUnit.SECONDS), "flush did not finish");

        String[][] levels = {{"trace", "debug"}, {"debug", "debug"}, {"info", "info"}, {"warn", "warn"},
            {"error", "error"}, {"fatal", "critical"}, {"emergency", "critical"}, {"notice", "info"},
            {"verbose", "debug"}};
        for (String[] l : levels) {
            assertEquals(l[1], server.entryWithMessage("c28 " + l[0]).get("level").asText(), l[0]);
        }
        JsonNode md = BridgeContract.assertDelivered(server, "app.contract.Bridge", before, ChronoUnit.MILLIS, after);
        assertEquals(42, md.get("orderId").asInt());
    }

    @Test
    void c23_sampleRateFromTheConfigurationFile() {
        Log4j2Configs.stop(ctx);
        ctx = Log4j2Configs.start("sampled-log4j2.xml", server);
        LogTideAppender appender = Log4j2Configs.appender(ctx, "LOGTIDE");
        assertEquals(0.5, appender.getClient().options().sampleRate());
        Logger log = ctx.getLogger("app.contract.Sampled");
        for (int i = 0; i < BridgeContract.SAMPLED_EACH; i++) {
            log.info("c23 info " + i);
            log.error("c23 error " + i);
        }
        appender.getClient().flush();
        BridgeContract.assertSampledByTheFile(server, appender.getClient().getMetrics());
    }

    @Test
    void c20_scopeThroughLog4j2() {
        Logger log = ctx.getLogger("app.contract.Scope");
        try (LogTideScope scope = BridgeContract.openScope()) {
            ThreadContext.put("requestId", "from-mdc");
            log.error("c20 in scope");
        } finally {
            ThreadContext.clearAll();
        }
        log.info("c20 out of scope");
        Log4j2Configs.appender(ctx, "LOGTIDE").getClient().flush();
        BridgeContract.assertScopeApplied(server);
    }
}
