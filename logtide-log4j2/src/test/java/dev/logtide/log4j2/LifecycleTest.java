package dev.logtide.log4j2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start, stop, reconfiguration and the {@code <Async>} appender. */
class LifecycleTest {
    private IngestServer server;
    private final CountDownLatch answer = new CountDownLatch(1);
    private LoggerContext ctx;

    @BeforeEach
    void start() {
        server = new IngestServer();
    }

    @AfterEach
    void stop() {
        ThreadContext.clearAll();
        answer.countDown();
        Log4j2Configs.stop(ctx);
        server.close();
    }

    @Test
    void reconfigurationClosesTheOldClientAndLeavesNoExtraThread() throws InterruptedException {
        ctx = Log4j2Configs.start("log4j2-lifecycle.xml", server);
        LogTideAppender first = Log4j2Configs.appender(ctx, "LOGTIDE");
        ctx.getLogger("reconf").info("before");
        for (int i = 0; i < 3; i++) {
            ctx.reconfigure(); // what file monitoring (monitorInterval) does when the file changes
        }
        LogTideAppender current = Log4j2Configs.appender(ctx, "LOGTIDE");
        assertNotSame(first, current);
        assertTrue(first.isStopped());
        ctx.getLogger("reconf").info("after");
        assertTrue(current.flush(10, TimeUnit.SECONDS));

        assertEquals(List.of("before", "after"), messages(Log4j2Configs.entriesOf(server, "reconf")),
                "the old appender delivered what it had when it was stopped");
        assertEquals(1, awaitSenderThreads(1), "one client, one sender thread");

        Log4j2Configs.stop(ctx);
        ctx = null;
        assertEquals(0, awaitSenderThreads(0), "stopping Log4j2 stops the sender");
    }

    @Test
    @Timeout(60) // a guard against a hang, not a measurement
    void stopWithATimeoutReturnsWhileTheServerStillHangs() {
        ctx = Log4j2Configs.start("log4j2-lifecycle.xml", server);
        LogTideAppender appender = Log4j2Configs.appender(ctx, "LOGTIDE");
        server.respondWith(batch -> {
            awaitUninterruptibly(answer);
            return IngestServer.accept(batch);
        });
        ctx.getLogger("hang").info("never answered");
        appender.stop(300, TimeUnit.MILLISECONDS);
        assertTrue(appender.isStopped());
        assertEquals(null, appender.getMetrics(), "the client is closed and released");
        assertTrue(server.entries().size() <= 1, "the server has not answered yet: " + server.entries());
    }

    @Test
    void asyncAppenderKeepsTheCallingThreadsView() {
        ctx = Log4j2Configs.start("log4j2-async-appender.xml", server);
        for (int i = 0; i < 50; i++) {
            ThreadContext.put("n", String.valueOf(i));
            ctx.getLogger("async").info("async event {}", i);
        }
        ThreadContext.clearAll();
        Log4j2Configs.stop(ctx);
        ctx = null;

        List<JsonNode> got = Log4j2Configs.entriesOf(server, "async");
        assertEquals(50, got.size());
        for (int i = 0; i < 50; i++) {
            JsonNode md = got.get(i).path("metadata");
            assertEquals("async event " + i, got.get(i).path("message").asText());
            assertEquals(String.valueOf(i), md.path("n").asText());
            assertEquals(Thread.currentThread().getName(), md.path("thread").asText());
            assertEquals("asyncAppenderKeepsTheCallingThreadsView", md.path("source").path("method").asText());
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> messages(List<JsonNode> entries) {
        return entries.stream().map(e -> e.path("message").asText()).collect(Collectors.toList());
    }

    /** Waits (bounded) for stopping sender threads to end, then counts the live ones. */
    static int awaitSenderThreads(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (senderThreads() > expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return senderThreads();
    }

    private static int senderThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> "logtide-sender".equals(t.getName()) && t.isAlive()).count();
    }
}
