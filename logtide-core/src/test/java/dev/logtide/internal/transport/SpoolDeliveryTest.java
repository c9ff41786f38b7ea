package dev.logtide.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.CircuitState;
import dev.logtide.ClientMetrics;
import dev.logtide.DropReason;
import dev.logtide.LogTideClient;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.LoopbackClient;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender with a spool, in one process, against a real HTTP server on loopback: what the
 * server cannot take goes to disk and comes back once it can, and the counters add up.
 */
class SpoolDeliveryTest {
    private static final int LOGGED = 3000;

    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition, String what, LogTideClient client) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + "; " + client.getMetrics());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void entriesTheServerCannotTakeGoToTheSpoolAndAreDrainedOldestFirstOnceItCan() throws Exception {
        try (LoopbackClient loopback = new LoopbackClient()) {
            loopback.server.respondWith(batch -> IngestServer.json(503, "{\"error\":\"down\"}"));
            LogTideClient client = loopback.client(b -> b.spoolDir(dir.toString()).maxRetries(0)
                    .circuitBreakerThreshold(1).circuitBreakerResetMs(300).flushIntervalMs(20).batchSize(100));
            for (int i = 0; i < LOGGED; i++) {
                client.info(null, "spooled " + i);
            }
            await(() -> client.getMetrics().logsSpooled() == LOGGED, "every entry spooled", client);
            ClientMetrics down = client.getMetrics();
            assertEquals(0, down.logsSent());
            assertEquals(0, down.bufferedEntries());
            assertTrue(down.spoolPendingBytes() > 0);

            loopback.server.respondWith(IngestServer::accept);
            await(() -> client.getMetrics().logsDrained() == LOGGED, "every entry drained", client);
            ClientMetrics m = client.getMetrics();
            assertEquals(LOGGED, m.logsSent());
            assertEquals(0, m.logsDropped(), m.toString());
            assertEquals(0, m.spoolPendingBytes());
            // logged = sent + dropped - drained + buffered + spooled
            assertEquals(LOGGED, m.logsSent() + m.logsDropped() - m.logsDrained() + m.bufferedEntries() + m.logsSpooled());

            List<JsonNode> received = loopback.server.entries();
            assertEquals(LOGGED, received.size());
            Set<String> distinct = new HashSet<>();
            for (int i = 0; i < received.size(); i++) {
                distinct.add(received.get(i).path("message").asText());
                assertEquals("spooled " + i, received.get(i).path("message").asText(), "oldest first");
            }
            assertEquals(LOGGED, distinct.size());
            for (var request : loopback.server.requests()) {
                assertTrue(request.getBodySize() > 0);
            }
        }
    }

    /** The first seconds of an outage: the breaker is still closed, a failing batch is being retried. */
    @Test
    void whatPilesUpWhileAFailingBatchWaitsForItsRetryGoesToDiskNotBufferFull() throws Exception {
        int logged = 5_000;
        try (LoopbackClient loopback = new LoopbackClient()) {
            loopback.server.respondWith(batch -> IngestServer.json(503, "{\"error\":\"down\"}"));
            LogTideClient client = loopback.client(b -> b.spoolDir(dir.toString()).maxRetries(3).retryDelayMs(2_000)
                    .circuitBreakerThreshold(100).flushIntervalMs(20).batchSize(100).maxBufferSize(500));
            for (int i = 0; i < logged; i++) {
                client.info(null, "early " + i);
                if (i % 100 == 99) {
                    Thread.sleep(5); // a busy service, not a tight loop: 100 entries every 5 ms
                }
            }
            ClientMetrics during = client.getMetrics();
            assertEquals(CircuitState.CLOSED, client.getCircuitBreakerState(), "still the first failing batch's retries");
            assertTrue(during.logsSpooled() >= logged / 2, "spooled while the retry waits: " + during);
            loopback.server.respondWith(IngestServer::accept);
            await(() -> {
                ClientMetrics m = client.getMetrics();
                return m.logsSent() + m.logsDropped() == logged && m.spoolPendingBytes() == 0;
            }, "every entry sent or counted", client);
            ClientMetrics m = client.getMetrics();
            assertEquals(logged, m.logsSent() + m.logsDropped(DropReason.BUFFER_FULL), m.toString());
            assertTrue(m.logsDropped(DropReason.BUFFER_FULL) < logged / 10, "without spooling during the retry, "
                    + "about 4,500 of 5,000 were BUFFER_FULL: " + m);
        }
    }

    @Test
    void aDrainAnswered429WaitsOutItsRetryAfterAndDeliversEachEntryOnce() throws Exception {
        try (LoopbackClient loopback = new LoopbackClient()) {
            loopback.server.respondWith(batch -> IngestServer.json(503, "{\"error\":\"down\"}"));
            LogTideClient client = loopback.client(b -> b.spoolDir(dir.toString()).maxRetries(1)
                    .circuitBreakerThreshold(2).circuitBreakerResetMs(300).flushIntervalMs(20).batchSize(100));
            for (int i = 0; i < 1500; i++) {
                client.info(null, "limited " + i);
            }
            await(() -> client.getMetrics().logsSpooled() == 1500, "every entry spooled", client);
            long retriesBefore = client.getMetrics().retries();
            // The first drain batch (1,000 entries, the breaker's probe) is accepted and closes the
            // breaker; the second is refused by the rate limit, then accepted after its Retry-After.
            loopback.server.enqueue(IngestServer.json(200, "{\"received\":1000}"));
            loopback.server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1")
                    .setHeader("Content-Type", "application/json")
                    .body("{\"statusCode\":429,\"error\":\"Too Many Requests\"}").build());
            loopback.server.respondWith(IngestServer::accept);
            await(() -> client.getMetrics().logsDrained() == 1500, "every entry drained", client);
            assertEquals(1500, loopback.server.entries().size(), "each once");
            assertEquals(retriesBefore + 1, client.getMetrics().retries(), "the 429 was retried after its Retry-After");
            assertTrue(loopback.diagnostics.stream().anyMatch(d -> d.contains("Retry-After 1000 ms")), loopback.diagnostics.toString());
        }
    }

    @Test
    void aDrainProbeAnswered429SendsNothingMoreFromTheSpoolBeforeItsRetryAfter() throws Exception {
        try (LoopbackClient loopback = new LoopbackClient()) {
            loopback.server.respondWith(batch -> IngestServer.json(503, "{\"error\":\"down\"}"));
            LogTideClient client = loopback.client(b -> b.spoolDir(dir.toString()).maxRetries(0)
                    .circuitBreakerThreshold(1).circuitBreakerResetMs(100).flushIntervalMs(20).batchSize(100));
            for (int i = 0; i < 300; i++) {
                client.info(null, "later " + i);
            }
            await(() -> client.getMetrics().logsSpooled() == 300, "every entry spooled", client);
            List<Long> arrivals = new CopyOnWriteArrayList<>();
            loopback.server.respondWith(batch -> {
                arrivals.add(System.nanoTime());
                return arrivals.size() == 1
                        ? new MockResponse.Builder().code(429).setHeader("Retry-After", "3")
                                .setHeader("Content-Type", "application/json").body("{\"statusCode\":429}").build()
                        : IngestServer.accept(batch);
            });
            await(() -> client.getMetrics().logsDrained() == 300, "every entry drained", client);
            assertEquals(2, arrivals.size(), "the probe, then one request once the Retry-After has passed");
            // A lower bound only: a slow machine makes the gap longer, never shorter.
            assertTrue(arrivals.get(1) - arrivals.get(0) >= TimeUnit.SECONDS.toNanos(3),
                    "the breaker reopens after 100 ms, but the spool waits for the server's 3 s");
        }
    }

    @Test
    void whatCloseLeavesWhileTheSpoolIsUnusableIsCountedAsSpoolUnavailable() throws Exception {
        Path file = Files.createFile(dir.resolve("a-file-not-a-directory"));
        try (LoopbackClient loopback = new LoopbackClient()) {
            loopback.server.respondWith(batch -> IngestServer.json(503, "{\"error\":\"down\"}"));
            LogTideClient client = loopback.client(b -> b.spoolDir(file.toString()).maxRetries(0)
                    .circuitBreakerThreshold(1).circuitBreakerResetMs(60_000).flushIntervalMs(20).batchSize(10)
                    .maxBufferSize(100).closeTimeoutMs(500));
            for (int i = 0; i < 30; i++) {
                client.info(null, "kept nowhere " + i);
            }
            client.close(5, TimeUnit.SECONDS);
            ClientMetrics m = client.getMetrics();
            assertEquals(0, m.logsSent(), m.toString());
            assertEquals(30, m.logsDropped(), m.toString());
            assertEquals(0, m.logsDropped(DropReason.UNSENT_AT_CLOSE), "the spool's own reason: " + m);
            assertEquals(0, m.logsDropped(DropReason.BUFFER_FULL), m.toString());
            assertTrue(m.logsDropped(DropReason.SPOOL_UNAVAILABLE) > 0, m.toString());
        }
    }

    @Test
    void anUnusableDirectoryIsReportedOnceAndTheClientRunsInMemory() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        try (LoopbackClient loopback = new LoopbackClient()) {
            loopback.server.respondWith(batch -> IngestServer.json(503, "{\"error\":\"down\"}"));
            LogTideClient client = loopback.client(b -> b.spoolDir(file.toString()).maxRetries(0)
                    .circuitBreakerThreshold(1).circuitBreakerResetMs(100).flushIntervalMs(20).batchSize(10)
                    .maxBufferSize(50));
            for (int i = 0; i < 500; i++) {
                client.info(null, "in memory " + i);
            }
            loopback.server.respondWith(IngestServer::accept);
            client.flush();
            ClientMetrics m = client.getMetrics();
            assertEquals(0, m.logsSpooled());
            assertEquals(500, m.logsSent() + m.logsDropped() + m.bufferedEntries(), m.toString());
            assertEquals(0, m.logsDropped(DropReason.SPOOL_FULL));
            long reports = loopback.diagnostics.stream().filter(d -> d.contains("cannot use spoolDir")).count();
            assertEquals(1, reports, loopback.diagnostics.toString());
            assertTrue(loopback.diagnostics.stream().anyMatch(d -> d.startsWith("WARN") && d.contains(file.toString())));
        }
    }
}
