package dev.logtide.query;

import dev.logtide.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReadApiScenarios} against {@link FakeLogTide}, which replays the real server's read-side
 * behaviour, in the default build; plus the server restart of issue 19 row 3, which only a fake
 * can stage on demand.
 */
class FakeServerTest extends ReadApiScenarios {
    private final FakeLogTide fake = new FakeLogTide();

    @AfterEach
    void stopServer() {
        fake.close();
    }

    @Override
    String apiUrl() {
        return fake.url();
    }

    @Override
    String apiKey() {
        return ServerShapes.KEY;
    }

    @Override
    String measuredOn() {
        return "FakeLogTide (MockWebServer, 1 s poll, through a real ingest)";
    }

    /** Quick retries, so the entries buffered during a restart reach the server soon after it. */
    @Override
    ClientOptions.Builder options() {
        return super.options().retryDelayMs(100).maxRetryDelayMs(400).circuitBreakerResetMs(1000).flushIntervalMs(100);
    }

    /**
     * Issue 19 row 3: the server restarts while a producer logs 187 entries, which the SDK buffers
     * and delivers late with their original timestamps; the stream never sends those, the tail's
     * catch-up finds every one.
     */
    @Test
    void aServerRestartWhileAProducerLogsLosesNothingForTheTail() throws Exception {
        List<LogRecord> received = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (LiveTail tail = client.stream(received::add, errors::add, LiveTailOptions.builder().service(service)
                .reconnectDelay(Duration.ofMillis(200)).maxReconnectDelay(Duration.ofSeconds(1))
                .catchUpWindow(Duration.ofSeconds(16)).build())) {
            Thread.sleep(1500);
            for (int i = 0; i < 10; i++) {
                client.info(service, "before-" + i);
            }
            client.flush(10, TimeUnit.SECONDS);
            waitFor(received, 10);

            fake.restart(Duration.ofSeconds(3));
            for (int i = 0; i < 187; i++) {
                client.info(service, "during-" + i);
                Thread.sleep(10);
            }
            waitFor(received, 197);
            Thread.sleep(2 * FakeLogTide.POLL_MS); // anything delivered twice would arrive now
            assertTrue(tail.reconnects() >= 1, "the restart dropped the stream");
            System.out.println("server restart: reconnects=" + tail.reconnects() + " catch-up queries=" + tail.catchUpQueries());
        }
        Set<String> messages = new HashSet<>();
        for (LogRecord record : received) {
            assertTrue(messages.add(record.message()), "delivered twice: " + record);
        }
        assertEquals(197, received.size(), "missing: " + (197 - received.size()));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    private static void waitFor(List<LogRecord> received, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(count, received.size(), "delivered so far");
    }
}
