package dev.logtide.internal.transport;

import dev.logtide.internal.buffer.DeliveryMetrics;

import dev.logtide.DropReason;
import dev.logtide.LogEntry;

import java.util.List;

/**
 * What became of one batch: every entry was sent, dropped for a reason (the server refused it),
 * or is unsent and goes back to the buffer because delivery stopped for now (an outage, the
 * breaker, a rejected key, the close deadline). The one who applies it counts it, so every entry
 * taken from the buffer is counted once.
 */
final class DeliveryResult {
    private static final DropReason[] REASONS = DropReason.values();

    private final int sent;
    private final int truncated;
    private final int[] dropped;
    private final List<LogEntry> unsent;

    /**
     * @param sent      entries the server acknowledged
     * @param truncated of those, entries sent in their reduced form
     * @param dropped   entries dropped, indexed by {@link DropReason#ordinal()}
     * @param unsent    entries to put back, oldest first
     */
    DeliveryResult(int sent, int truncated, int[] dropped, List<LogEntry> unsent) {
        this.sent = sent;
        this.truncated = truncated;
        this.dropped = dropped;
        this.unsent = unsent;
    }

    /** @return entries the server acknowledged */
    int sent() {
        return sent;
    }

    /**
     * @param reason a reason
     * @return entries dropped for it
     */
    int dropped(DropReason reason) {
        return dropped[reason.ordinal()];
    }

    /** @return entries that go back to the buffer, oldest first; not to be changed */
    List<LogEntry> unsent() {
        return unsent;
    }

    /** @return whether delivery stopped before the end of the batch (the unsent entries wait) */
    boolean stopped() {
        return !unsent.isEmpty();
    }

    /**
     * Counts the sent and dropped entries; the unsent ones are counted once they are requeued or
     * dropped for want of room.
     *
     * @param metrics the client's counters
     */
    void countInto(DeliveryMetrics metrics) {
        if (sent > 0) {
            metrics.sent(sent);
            metrics.truncated(truncated);
        }
        for (DropReason reason : REASONS) {
            if (dropped[reason.ordinal()] > 0) {
                metrics.droppedTaken(reason, dropped[reason.ordinal()]);
            }
        }
    }
}
