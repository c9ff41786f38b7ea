package dev.logtide.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientMetrics;
import dev.logtide.LogTideClient;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.LoopbackClient;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst larger than the server's rate limit allows, against a receiver that enforces one the
 * way the server does (fixed windows per client address; 429 with {@code retry-after} in whole
 * seconds and {@code x-ratelimit-*} headers, see logtide-server-api.md), scaled down from 1,000
 * requests a minute to 3 a second so the test takes seconds: nothing is lost, no request arrives
 * before the window the 429 named has ended, the backlog leaves in whole 1,000-entry requests,
 * and each pause is reported in exactly one warning.
 */
class RateLimitTest {
    private static final int LIMIT = 3;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ENTRIES = 12_000;

    private final LoopbackClient loopback = new LoopbackClient();
    private final IngestServer server = loopback.server;

    @AfterEach
    void stop() {
        loopback.close();
    }

    /** The server's fixed-window limiter; answers are made one at a time. */
    private static final class Limiter {
        long windowEnd;
        int used;
        /** When the window a 429 named ends; a request before it was not paced. */
        long pausedUntil;
        int refused;
        int early;
        /** Entries per accepted request, and a 0 in place of each 429, in arrival order. */
        final List<Integer> answers = new ArrayList<>();
        /** The first answer waits until the whole burst is logged, so what follows is a backlog. */
        final CountDownLatch logged = new CountDownLatch(1);

        synchronized MockResponse answer(List<JsonNode> batch) {
            try {
                logged.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long now = System.nanoTime();
            if (now < pausedUntil) {
                early++;
            }
            if (now >= windowEnd) {
                windowEnd = now + WINDOW_NANOS;
                used = 0;
            }
            long resetSeconds = (windowEnd - now + WINDOW_NANOS - 1) / TimeUnit.SECONDS.toNanos(1); // whole seconds, rounded up
            if (used == LIMIT) {
                refused++;
                pausedUntil = windowEnd;
                answers.add(0);
                return new MockResponse.Builder().code(429).setHeader("Content-Type", "application/json")
                        .setHeader("retry-after", Long.toString(resetSeconds))
                        .setHeader("x-ratelimit-limit", Integer.toString(LIMIT))
                        .setHeader("x-ratelimit-remaining", "0")
                        .setHeader("x-ratelimit-reset", Long.toString(resetSeconds))
                        .body("{\"statusCode\":429,\"error\":\"Too Many Requests\","
                                + "\"message\":\"Rate limit exceeded, retry in 1 second\"}").build();
            }
            used++;
            answers.add(batch.size());
            MockResponse accepted = IngestServer.accept(batch);
            return accepted.newBuilder().setHeader("x-ratelimit-limit", Integer.toString(LIMIT))
                    .setHeader("x-ratelimit-remaining", Integer.toString(LIMIT - used))
                    .setHeader("x-ratelimit-reset", Long.toString(resetSeconds)).build();
        }
    }

    @Test
    void aBurstAboveTheRateLimitIsPacedByRetryAfterAndNothingIsLost() {
        Limiter limiter = new Limiter();
        server.respondWith(limiter::answer);
        // The client's defaults, but for LoopbackClient's short retry delay (unused: every 429 names its wait).
        LogTideClient c = loopback.client(b -> { });
        for (int i = 0; i < ENTRIES; i++) {
            c.info(null, "burst " + i);
        }
        limiter.logged.countDown();
        assertEquals(ENTRIES, server.awaitEntries(ENTRIES, Duration.ofSeconds(120)).size());

        List<String> received = server.entries().stream().map(e -> e.get("message").asText()).collect(Collectors.toList());
        for (int i = 0; i < ENTRIES; i++) {
            assertEquals("burst " + i, received.get(i), "order kept, nothing lost or repeated");
        }
        assertEquals(ENTRIES, received.size());
        c.flush(); // the last answer is counted once the sender has read it
        ClientMetrics m = c.getMetrics();
        assertEquals(ENTRIES, m.logsSent());
        assertEquals(0, m.logsDropped());
        List<Integer> answers;
        synchronized (limiter) {
            answers = new ArrayList<>(limiter.answers);
            assertTrue(limiter.refused > 0, "the burst must meet the limit: " + answers);
            assertEquals(0, limiter.early, "a request arrived before the window named by Retry-After ended: " + answers);
        }
        // The first request, and the batch taken while it was in flight, left before the burst
        // was logged; from then on the backlog leaves in 1,000-entry requests, the tail aside.
        List<Integer> accepted = new ArrayList<>(answers);
        accepted.removeIf(n -> n == 0);
        for (int i = 2; i < accepted.size() - 1; i++) {
            assertEquals(1000, accepted.get(i), "requests while a backlog waits: " + answers);
        }
        List<String> warnings = loopback.diagnostics.stream().filter(d -> !d.startsWith("DEBUG") && !d.startsWith("INFO"))
                .collect(Collectors.toList());
        long refusals = answers.stream().filter(n -> n == 0).count();
        assertEquals(refusals, warnings.size(), "one warning per pause, nothing else: " + warnings);
        assertTrue(warnings.stream().allMatch(w -> w.startsWith("WARN LogTide asked to wait (HTTP 429")), warnings::toString);
    }
}
