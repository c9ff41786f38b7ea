package dev.logtide.internal.buffer;

import dev.logtide.CircuitState;
import dev.logtide.ClientMetrics;
import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.LoopbackClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffer's bounds as an application meets them, through a client shipping to a real HTTP
 * server on loopback: full by entries or by estimated bytes, shedding DEBUG and INFO past 80%,
 * the adapters' early refusal, and {@code blockWhenFullMs}. A failing server and an open breaker
 * keep entries in the buffer.
 */
class BufferLimitsTest {
    private final LoopbackClient loopback = new LoopbackClient();
    private final IngestServer server = loopback.server;
    private final List<String> diagnostics = loopback.diagnostics;

    @AfterEach
    void stop() {
        loopback.close();
    }

    @Test
    void aFullBufferDropsNewEntriesAndCountsThem() {
        server.respondWith(batch -> IngestServer.json(503, "{}"));
        LogTideClient c = loopback.client(b -> b.maxBufferSize(10).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(60_000));
        c.error(null, "first");
        c.flush(); // fails, opens the breaker, the entry goes back to the buffer
        assertEquals(CircuitState.OPEN, c.getCircuitBreakerState());
        for (int i = 0; i < 100; i++) {
            c.error(null, "e" + i);
        }
        ClientMetrics m = c.getMetrics();
        assertEquals(10, m.bufferedEntries());
        assertEquals(91, m.logsDropped(DropReason.BUFFER_FULL));
        c.flush(); // the sender reports drops it sees on its next cycle
        assertTrue(diagnostics.stream().anyMatch(d -> d.startsWith("WARN LogTide buffer is full")), diagnostics::toString);
    }

    @Test
    void blockWhenFullWaitsForRoomInsteadOfDropping() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        server.respondWith(batch -> failuresLeft.getAndDecrement() > 0
                ? IngestServer.json(503, "{}") : IngestServer.accept(batch));
        LogTideClient c = loopback.client(b -> b.maxBufferSize(5).batchSize(5).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(200).blockWhenFullMs(30_000));
        c.warn(null, "b0");
        c.flush(); // fails: the breaker opens and b0 waits in the buffer
        assertEquals(CircuitState.OPEN, c.getCircuitBreakerState());
        for (int i = 1; i < 20; i++) {
            c.warn(null, "b" + i); // from b5 on, waits for the probe to drain the buffer
        }
        c.flush();
        assertEquals(20, server.awaitEntries(20, Duration.ofSeconds(10)).size());
        assertEquals(0, c.getMetrics().logsDropped());
    }

    @Test
    void theByteBoundCountsStringsInsideCollections() {
        server.respondWith(batch -> IngestServer.json(503, "{}"));
        LogTideClient c = loopback.client(b -> b.maxBufferBytes(1024 * 1024).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(60_000));
        c.error(null, "opens the breaker");
        c.flush();
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            big.append('x');
        }
        List<String> heavy = Collections.nCopies(5, big.toString()); // 500,000 characters in one list
        for (int i = 0; i < 4; i++) {
            c.log(LogLevel.ERROR, null, "heavy " + i, Map.of("blobs", heavy), null);
        }
        ClientMetrics m = c.getMetrics();
        assertEquals(3, m.bufferedEntries(), m::toString); // the breaker's entry and two heavy ones fit in 1 MiB
        assertEquals(2, m.logsDropped(DropReason.BUFFER_FULL));
    }

    @Test
    void pastEightyPercentOnlyWarningsAndAboveGetIn() {
        server.respondWith(batch -> IngestServer.json(503, "{}"));
        LogTideClient c = loopback.client(b -> b.maxBufferSize(10).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(60_000));
        c.warn(null, "opens the breaker");
        c.flush();
        for (int i = 0; i < 7; i++) {
            c.info(null, "i" + i); // 8 buffered now: 80%
        }
        c.info(null, "shed");
        c.debug(null, "shed too");
        c.warn(null, "kept");
        c.critical(null, "kept too");
        ClientMetrics m = c.getMetrics();
        assertEquals(2, m.logsDropped(DropReason.BUFFER_FULL));
        assertEquals(10, m.bufferedEntries());
    }

    @Test
    void adaptersCanDropEarlyWhatTheBufferWouldRefuse() {
        server.respondWith(batch -> IngestServer.json(503, "{}"));
        LogTideClient c = loopback.client(b -> b.maxBufferSize(10).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(60_000));
        c.warn(null, "opens the breaker");
        c.flush();
        assertTrue(built(c, LogLevel.INFO, null));
        for (int i = 0; i < 6; i++) {
            c.info(null, "i" + i); // 8 buffered: the shedding mark
        }
        assertFalse(built(c, LogLevel.INFO, null), "an INFO entry past the shedding mark is never built");
        assertFalse(built(c, LogLevel.DEBUG, null));
        assertTrue(built(c, LogLevel.ERROR, null));
        assertTrue(built(c, LogLevel.ERROR, null)); // full now
        assertFalse(built(c, LogLevel.CRITICAL, null));
        assertEquals(3, c.getMetrics().logsDropped(DropReason.BUFFER_FULL));
        assertEquals(10, c.getMetrics().bufferedEntries());
        c.close(500, TimeUnit.MILLISECONDS);
        assertFalse(built(c, LogLevel.ERROR, null));
        assertEquals(1, c.getMetrics().logsDropped(DropReason.AFTER_CLOSE));
    }

    @Test
    void nearTheByteBoundTheEarlyCheckRefusesOnceAnOfferWasRefused() {
        server.respondWith(batch -> IngestServer.json(503, "{}"));
        LogTideClient c = loopback.client(b -> b.maxBufferBytes(10_000).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(60_000));
        c.warn(null, "opens the breaker");
        c.flush();
        RuntimeException error = new RuntimeException("each entry with an exception counts about 4 KB");
        c.error(null, "x1", error);
        c.error(null, "x2", error);
        assertTrue(built(c, LogLevel.ERROR, error), "below the byte bound nothing was refused yet");
        assertEquals(1, c.getMetrics().logsDropped(DropReason.BUFFER_FULL), "x3 does not fit: refused by the buffer");
        assertFalse(built(c, LogLevel.ERROR, error), "the next one is refused before it is built");
        assertEquals(2, c.getMetrics().logsDropped(DropReason.BUFFER_FULL));
    }

    /** An adapter's call: whether the entry was built (false: refused before its mapper ran). */
    private static boolean built(LogTideClient c, LogLevel level, Throwable error) {
        AtomicBoolean ran = new AtomicBoolean();
        c.append("app.Adapter", null, level, error, thrown -> {
            ran.set(true);
            return LogEntry.builder(level, "adapter " + level).throwable(thrown).build();
        });
        return ran.get();
    }
}
