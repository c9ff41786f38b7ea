package dev.logtide.internal.transport;

import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.internal.buffer.DeliveryMetrics;
import dev.logtide.internal.diagnostics.Diagnostics;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs the {@code beforeSend} hook over entries taken from the buffer, on the thread that takes
 * them (the sender, or a close worker), once per entry: entries given back to the buffer after a
 * failed delivery have passed already and are let through when taken again.
 */
final class BeforeSend {
    private final UnaryOperator<LogEntry> hook;
    private final DeliveryMetrics metrics;
    private final Diagnostics diagnostics;
    /** Entries that passed and went back to the buffer; no more than the buffer holds. */
    private final Set<LogEntry> passed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private volatile boolean reported;

    /**
     * @param hook        the hook, or {@code null} for none
     * @param metrics     where drops and hook failures are counted
     * @param diagnostics where the first hook failure is reported
     */
    BeforeSend(UnaryOperator<LogEntry> hook, DeliveryMetrics metrics, Diagnostics diagnostics) {
        this.hook = hook;
        this.metrics = metrics;
        this.diagnostics = diagnostics;
    }

    /**
     * Replaces each entry of {@code batch} by what the hook returns, and removes those it drops
     * (counted as {@link DropReason#BEFORE_SEND}).
     *
     * @param batch entries just taken from the buffer, changed in place
     */
    void apply(List<LogEntry> batch) {
        if (hook == null) {
            return;
        }
        int dropped = 0;
        for (ListIterator<LogEntry> it = batch.listIterator(); it.hasNext(); ) {
            LogEntry e = it.next();
            if (!passed.isEmpty() && passed.remove(e)) {
                continue;
            }
            LogEntry out;
            try {
                out = hook.apply(e);
            } catch (RuntimeException | Error t) { // an Error too: a hook must not stop the sender
                metrics.beforeSendError();
                if (!reported) {
                    reported = true;
                    diagnostics.warn("LogTide beforeSend hook threw; the entry is sent as logged (later failures are "
                            + "counted in getMetrics().beforeSendErrors() only)", t);
                }
                out = e;
            }
            if (out == null) {
                it.remove();
                dropped++;
            } else if (out != e) {
                it.set(out);
            }
        }
        if (dropped > 0) {
            metrics.droppedTaken(DropReason.BEFORE_SEND, dropped);
        }
    }

    /** @param entries entries that passed, about to be put back in the buffer */
    void putBack(List<LogEntry> entries) {
        if (hook != null) {
            passed.addAll(entries);
        }
    }

    /** @param entries entries of {@link #putBack} the buffer had no room for */
    void notPutBack(List<LogEntry> entries) {
        if (hook != null && !entries.isEmpty()) {
            passed.removeAll(entries);
        }
    }
}
