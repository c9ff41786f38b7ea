package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.time.Duration;
import java.util.List;
import java.util.logging.LogManager;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With jul-to-slf4j on JUL's root logger and every level enabled, OkHttp's own logging during
 * delivery reaches Logback; none of it may be queued again (it would grow with every send).
 */
class FeedbackGuardTest {
    private IngestServer server;
    private final Logger log = LoggerFactory.getLogger("app.Feedback");

    @BeforeEach
    void setUp() {
        server = new IngestServer();
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    @AfterEach
    void tearDown() throws Exception {
        SLF4JBridgeHandler.uninstall();
        LogbackTestSupport.reset();
        LogManager.getLogManager().readConfiguration(); // JUL's defaults again
        server.close();
    }

    @Test
    void okHttpLoggingDuringDeliveryIsNeverSentAgain() throws Exception {
        LoggerContext ctx = LogbackTestSupport.configure("feedback.xml", server.url());
        for (int i = 0; i < 5; i++) {
            log.info("app event " + i);
            server.awaitEntries(i + 1, Duration.ofSeconds(10));
        }
        LogbackTestSupport.flush(ctx, "LOGTIDE");

        List<RecordingAppender.Seen> seen = ((RecordingAppender) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("SEEN")).seen;
        assertTrue(seen.stream().anyMatch(e -> e.logger.startsWith("okhttp3.")
                        && (e.thread.equals("logtide-sender") || e.thread.startsWith("OkHttp"))),
                "the bridge brought no OkHttp logging from delivery into Logback: " + seen);

        List<String> sent = server.entries().stream().map(e -> e.get("message").asText()).collect(Collectors.toList());
        assertEquals(List.of("app event 0", "app event 1", "app event 2", "app event 3", "app event 4"), sent);
        for (JsonNode e : server.entries()) {
            assertEquals("app.Feedback", e.get("metadata").get("logger").asText());
        }
    }
}
