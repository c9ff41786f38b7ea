package dev.logtide.internal.transport;

import dev.logtide.CircuitState;
import dev.logtide.internal.buffer.DeliveryMetrics;

/**
 * CLOSED → OPEN after {@code threshold} consecutive failed requests; OPEN lets no request through
 * until {@code resetMs} has passed; then one probe (HALF_OPEN) closes it on success or reopens it.
 * Used by the sender thread; state is read by others, hence synchronized.
 */
final class CircuitBreaker {
    private final int threshold;
    private final long resetNanos;
    private final DeliveryMetrics metrics;
    private CircuitState state = CircuitState.CLOSED;
    private int failures;
    private long openedAt;

    CircuitBreaker(int threshold, long resetMs, DeliveryMetrics metrics) {
        this.threshold = threshold;
        this.resetNanos = resetMs * 1_000_000L;
        this.metrics = metrics;
    }

    /**
     * @param force allow a request even while open (a flush or close makes one last attempt)
     * @return whether a request may be made now
     */
    synchronized boolean allowRequest(boolean force) {
        if (state == CircuitState.OPEN && (force || System.nanoTime() - openedAt >= resetNanos)) {
            state = CircuitState.HALF_OPEN;
        }
        return state != CircuitState.OPEN;
    }

    /** @return nanoseconds until a probe is allowed; 0 when not open */
    synchronized long nanosUntilProbe() {
        if (state != CircuitState.OPEN) {
            return 0;
        }
        return Math.max(0, openedAt + resetNanos - System.nanoTime());
    }

    synchronized void onSuccess() {
        state = CircuitState.CLOSED;
        failures = 0;
    }

    synchronized void onFailure() {
        failures++;
        if (state == CircuitState.HALF_OPEN || (state == CircuitState.CLOSED && failures >= threshold)) {
            open();
        }
    }

    /** Opens at once: the server rejected our credentials or URL; hammering it would not help. */
    synchronized void forceOpen() {
        if (state != CircuitState.OPEN) {
            open();
        }
    }

    private void open() {
        state = CircuitState.OPEN;
        openedAt = System.nanoTime();
        metrics.trip();
    }

    synchronized CircuitState state() {
        return state;
    }
}
