package dev.logtide.transport;

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
    private final EnumMap<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
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
    public void sent(int n) { sent.add(n); }
    /** @param n entries sent with their metadata replaced for size */
    public void truncated(int n) { truncated.add(n); }
    /** Counts one failed request. */
    public void error() { errors.increment(); }
    /** Counts one retried request. */
    public void retry() { retries.increment(); }
    /** Counts one opening of the breaker. */
    public void trip() { trips.increment(); }

    /**
     * @param reason why
     * @param n      how many entries
     */
    public void dropped(DropReason reason, int n) {
        dropped.get(reason).add(n);
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
                trips.sum(), bufferedEntries, bufferedBytes);
    }

    /** Zeroes every counter. */
    public void reset() {
        sent.reset();
        truncated.reset();
        errors.reset();
        retries.reset();
        trips.reset();
        dropped.values().forEach(LongAdder::reset);
        synchronized (this) {
            latencyCount = 0;
            latencyNext = 0;
        }
    }
}
