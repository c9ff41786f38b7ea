package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientMetrics;
import dev.logtide.DropReason;
import dev.logtide.LogTideClient;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Start, stop and reconfiguration: nothing leaks, stop() flushes and is bounded, AsyncAppender works. */
class LifecycleTest {
    private IngestServer server;
    private final Logger log = LoggerFactory.getLogger("app.Lifecycle");

    @BeforeEach
    void setUp() {
        server = new IngestServer();
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
        LogbackTestSupport.reset();
        server.close();
    }

    @Test
    void twentyReconfigurationsLeaveNoExtraThreadAndNoClient() throws Exception {
        LoggerContext ctx = LogbackTestSupport.configure("reconfigure.xml", server.url());
        log.info("round 0");
        LogbackTestSupport.flush(ctx, "LOGTIDE");
        int baseline = ownThreads();
        List<WeakReference<LogTideClient>> oldClients = new ArrayList<>();

        for (int round = 1; round <= 20; round++) {
            oldClients.add(new WeakReference<>(LogbackTestSupport.appender(ctx, "LOGTIDE").getClient()));
            LogbackTestSupport.configure("reconfigure.xml", server.url());
            log.info("round " + round);
            LogbackTestSupport.flush(ctx, "LOGTIDE");
        }

        assertEquals(21, server.entries().size(), server.entries().toString());
        assertEquals(1, threadsNamed("logtide-sender"), "one sender for the one running appender");
        awaitTrue(() -> ownThreads() == baseline, () -> "threads now: " + ownThreadNames() + ", baseline " + baseline);
        // A client still referenced (say, by a forgotten shutdown hook) could not be collected.
        awaitTrue(() -> {
            System.gc();
            return oldClients.stream().allMatch(ref -> ref.get() == null);
        }, () -> oldClients.stream().filter(ref -> ref.get() != null).count() + " old clients still reachable");
    }

    @Test
    void stopDeliversWhatIsBuffered() throws Exception {
        LoggerContext ctx = LogbackTestSupport.configure("reconfigure.xml", server.url());
        LogTideClient client = LogbackTestSupport.appender(ctx, "LOGTIDE").getClient();
        for (int i = 0; i < 5; i++) {
            log.info("buffered " + i);
        }
        assertEquals(0, server.requests().size(), "flushIntervalMs is a minute: nothing sent yet");

        ctx.stop();

        assertEquals(5, server.entries().size());
        assertTrue(client.isClosed());
        assertEquals(5, client.getMetrics().logsSent());
        assertEquals(0, threadsNamed("logtide-sender"));
    }

    @Test
    void stopOnAnInterruptedThreadStillDeliversAndKeepsTheInterrupt() throws Exception {
        // What AsyncAppender does at shutdown: it interrupts its worker, which then stops LOGTIDE.
        LoggerContext ctx = LogbackTestSupport.configure("reconfigure.xml", server.url());
        LogTideAppender appender = LogbackTestSupport.appender(ctx, "LOGTIDE");
        for (int i = 0; i < 3; i++) {
            log.info("before interrupt " + i);
        }

        Thread.currentThread().interrupt();
        appender.stop();

        assertTrue(Thread.interrupted(), "the interrupt flag is restored (and cleared here)");
        assertEquals(3, server.entries().size());
    }

    @Test
    @Timeout(60) // a hang guard only: stop() must return long before this
    void stopIsBoundedByCloseTimeoutAgainstAServerThatNeverAnswers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.respondWith(batch -> {
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return IngestServer.accept(batch);
        });
        try {
            LoggerContext ctx = LogbackTestSupport.configure("hung.xml", server.url());
            LogTideClient client = LogbackTestSupport.appender(ctx, "LOGTIDE").getClient();
            log.info("in flight");
            client.flushAsync();
            awaitTrue(() -> server.requests().size() == 1, () -> "the first request never arrived");
            log.info("still buffered");

            ctx.stop();

            assertTrue(client.isClosed());
            ClientMetrics metrics = client.getMetrics();
            assertEquals(0, metrics.logsSent());
            assertEquals(2, metrics.logsDropped(DropReason.UNSENT_AT_CLOSE), metrics.toString());
            awaitTrue(() -> threadsNamed("logtide-sender") == 0, () -> "the sender thread outlived stop()");
            assertTrue(LogbackTestSupport.statuses(ctx, ch.qos.logback.core.status.Status.WARN).stream()
                    .anyMatch(s -> s.contains("[LOGTIDE]") && s.contains("timed out")));
        } finally {
            release.countDown();
        }
    }

    @Test
    void worksBehindAsyncAppenderWithTheCallersContext() throws Exception {
        LogbackTestSupport.configure("async.xml", server.url());
        String caller = Thread.currentThread().getName();
        for (int i = 0; i < 50; i++) {
            MDC.put("i", Integer.toString(i));
            log.atDebug().addKeyValue("n", i).log("async " + i);
        }
        MDC.clear();

        // Stopping the context drains AsyncAppender into LOGTIDE, then stops LOGTIDE, which flushes.
        LogbackTestSupport.context().stop();

        List<JsonNode> entries = server.awaitEntries(50, Duration.ofSeconds(10));
        assertEquals(50, entries.size());
        for (int i = 0; i < 50; i++) {
            JsonNode e = entries.get(i);
            assertEquals("async " + i, e.get("message").asText(), "order");
            JsonNode metadata = e.get("metadata");
            assertEquals(caller, metadata.get("thread").asText());
            assertEquals(Integer.toString(i), metadata.get("i").asText());
            assertEquals(i, metadata.get("n").asInt());
            assertEquals("worksBehindAsyncAppenderWithTheCallersContext", metadata.get("caller").get("method").asText());
        }
    }

    /** Threads other than the shared HTTP pools (OkHttp's task runner, the test server's). */
    private static int ownThreads() {
        return ownThreadNames().size();
    }

    private static List<String> ownThreadNames() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && !name.startsWith("OkHttp") && !name.startsWith("MockWebServer")) {
                names.add(name);
            }
        }
        return names;
    }

    private static int threadsNamed(String name) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().equals(name)) {
                n++;
            }
        }
        return n;
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message.get());
            }
            Thread.sleep(20);
        }
    }
}
