package dev.logtide.internal.transport;

import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.internal.buffer.DeliveryMetrics;

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
    private final int firstUnsent;
    private final long retryAfterMs;

    /**
     * @param sent      entries the server acknowledged
     * @param truncated of those, entries sent in their reduced form
     * @param dropped   entries dropped, indexed by {@link DropReason#ordinal()}
     * @param unsent    entries to put back, oldest first
     * @param firstUnsent the position in the batch of the first unsent entry; the batch's size when none
     * @param retryAfterMs the server's Retry-After when a transient failure stopped the delivery, else -1
     */
    DeliveryResult(int sent, int truncated, int[] dropped, List<LogEntry> unsent, int firstUnsent, long retryAfterMs) {
        this.sent = sent;
        this.truncated = truncated;
        this.dropped = dropped;
        this.unsent = unsent;
        this.firstUnsent = firstUnsent;
        this.retryAfterMs = retryAfterMs;
    }

    /** @return the server's Retry-After in ms when a transient failure stopped the delivery, else -1 */
    long retryAfterMs() {
        return retryAfterMs;
    }

    /** @return how many entries at the start of the batch are settled (sent or dropped): all before the first unsent one */
    int settledPrefix() {
        return firstUnsent;
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

    /**
     * Counts the sent and dropped entries of a batch read back from the spool: they settle
     * nothing of this client's buffer.
     *
     * @param metrics the client's counters
     */
    void countDrainedInto(DeliveryMetrics metrics) {
        if (sent > 0) {
            metrics.sentFromSpool(sent);
        }
        for (DropReason reason : REASONS) {
            if (dropped[reason.ordinal()] > 0) {
                metrics.droppedFromSpool(reason, dropped[reason.ordinal()]);
            }
        }
    }
}
