package dev.logtide.internal.buffer;

import dev.logtide.ClientMetrics;
import dev.logtide.DropReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client's counters. Written by callers (drops) and the sender thread (everything else);
 * LongAdder keeps the callers' increments contention-free.
 */
public final class DeliveryMetrics {
    private static final int LATENCY_WINDOW = 100;

    private final LongAdder sent = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder trips = new LongAdder();
    private final LongAdder beforeSendErrors = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    private final LongAdder drained = new LongAdder();
    private final LongAdder spoolCorrupt = new LongAdder();
    /** Bytes in the spool not yet accepted by the server; set by the sender. */
    private volatile long spoolBytes;
    private final EnumMap<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    /** Entries taken from the buffer whose outcome (sent or dropped) is counted; never reset. */
    private long settled;
    /** Set at the end of close: outcomes reported later were already counted by close. */
    private boolean sealed;
    private final Object settleLock = new Object();
    private final long[] latencies = new long[LATENCY_WINDOW];
    private int latencyCount;
    private int latencyNext;

    /** Creates zeroed counters. */
    public DeliveryMetrics() {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    /** @param n entries the server acknowledged */
    public void sent(int n) {
        synchronized (settleLock) {
            if (!sealed) {
                sent.add(n);
                settled += n;
            }
        }
    }
    /** @param n entries sent with their metadata replaced for size */
    public void truncated(int n) { truncated.add(n); }
    /** Counts one failed request. */
    public void error() { errors.increment(); }
    /** Counts one retried request. */
    public void retry() { retries.increment(); }
    /** Counts one opening of the breaker. */
    public void trip() { trips.increment(); }
    /** Counts one entry whose {@code beforeSend} hook threw. */
    public void beforeSendError() { beforeSendErrors.increment(); }

    /**
     * @param reason why
     * @param n      how many entries
     */
    public void dropped(DropReason reason, int n) {
        dropped.get(reason).add(n);
    }

    /**
     * Counts entries that were taken from the buffer for delivery and then dropped.
     *
     * @param reason why
     * @param n      how many entries
     */
    public void droppedTaken(DropReason reason, int n) {
        synchronized (settleLock) {
            if (!sealed) {
                dropped.get(reason).add(n);
                settled += n;
            }
        }
    }

    /**
     * Counts entries taken from the buffer and written to the spool: their outcome, for now.
     *
     * @param n how many entries
     */
    public void spooled(int n) {
        synchronized (settleLock) {
            if (!sealed) {
                spooled.add(n);
                settled += n;
            }
        }
    }

    /**
     * Counts entries read back from the spool that the server accepted: sent, and drained. They
     * were not taken from this client's buffer, so they settle nothing here.
     *
     * @param n how many entries
     */
    public void sentFromSpool(int n) {
        sent.add(n);
        drained.add(n);
    }

    /**
     * Counts entries read back from the spool and then dropped (the server refused them).
     *
     * @param reason why
     * @param n      how many entries
     */
    public void droppedFromSpool(DropReason reason, int n) {
        dropped.get(reason).add(n);
        drained.add(n);
    }

    /** @param n torn or corrupt spool records skipped */
    public void spoolCorrupt(int n) { spoolCorrupt.add(n); }

    /** @param bytes bytes in the spool not yet accepted by the server */
    public void spoolBytes(long bytes) { spoolBytes = bytes; }

    /**
     * Ends the accounting at close: entries taken from the buffer whose outcome was never counted
     * (held by a delivery that did not stop in time) are counted as unsent, and outcomes reported
     * after this are not counted again.
     *
     * @param taken entries taken from the buffer since it was created
     * @return how many were counted here
     */
    public long seal(long taken) {
        synchronized (settleLock) {
            long held = sealed ? 0 : taken - settled;
            if (held > 0) {
                dropped.get(DropReason.UNSENT_AT_CLOSE).add(held);
                settled += held;
            }
            sealed = true;
            return Math.max(0, held);
        }
    }

    /**
     * @param reason a reason
     * @return entries dropped for it so far
     */
    public long droppedCount(DropReason reason) {
        return dropped.get(reason).sum();
    }

    /** @param micros one request's latency */
    public synchronized void latency(long micros) {
        latencies[latencyNext] = micros;
        latencyNext = (latencyNext + 1) % LATENCY_WINDOW;
        if (latencyCount < LATENCY_WINDOW) {
            latencyCount++;
        }
    }

    /**
     * @param bufferedEntries entries waiting now
     * @param bufferedBytes   estimated bytes waiting now
     * @return a snapshot
     */
    public ClientMetrics snapshot(int bufferedEntries, long bufferedBytes) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        dropped.forEach((r, a) -> drops.put(r, a.sum()));
        double avg;
        synchronized (this) {
            long sum = 0;
            for (int i = 0; i < latencyCount; i++) {
                sum += latencies[i];
            }
            avg = latencyCount == 0 ? 0 : sum / 1000.0 / latencyCount;
        }
        return new ClientMetrics(sent.sum(), drops, truncated.sum(), errors.sum(), retries.sum(), avg,
                trips.sum(), bufferedEntries, bufferedBytes, beforeSendErrors.sum(),
                spooled.sum(), drained.sum(), spoolCorrupt.sum(), spoolBytes);
    }

    /** Zeroes every counter. */
    public void reset() {
        sent.reset();
        truncated.reset();
        errors.reset();
        retries.reset();
        trips.reset();
        beforeSendErrors.reset();
        spooled.reset();
        drained.reset();
        spoolCorrupt.reset();
        dropped.values().forEach(LongAdder::reset);
        synchronized (this) {
            latencyCount = 0;
            latencyNext = 0;
        }
    }
}
