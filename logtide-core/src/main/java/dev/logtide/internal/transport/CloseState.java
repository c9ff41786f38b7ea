package dev.logtide.internal.transport;

import java.util.concurrent.TimeUnit;

/**
 * Where the sender is in its life: running, closing (delivering against a deadline), or stopped.
 * Shared by every delivery that runs during close, and the one place retry backoffs sleep, so
 * close can cut a backoff short and cap the next ones by the time it has left.
 */
final class CloseState {
    private final Object lock = new Object();
    private volatile boolean closing;
    private volatile boolean stopped;
    /** {@link System#nanoTime()} by which close must be done; read only while closing. */
    private volatile long deadline;
    /** Why the last delivery during close failed, for the loss warning. */
    private volatile String lastFailure;
    /** Work a backoff does between slices of its sleep (the sender's spooling), or null. */
    private volatile Runnable whilePaused;

    /** How often a backoff wakes to do {@link #whilePaused} work: a fast logger fills the buffer in ms. */
    private static final long PAUSE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * @param work what a backoff outside close does every {@value #PAUSE_SLICE_NANOS} ns of its sleep,
     *     on the thread that sleeps; it must not block for long
     */
    void whilePaused(Runnable work) {
        whilePaused = work;
    }

    /** Close has started: deliver everything by {@code deadlineNanos}; a backoff in progress ends now. */
    void beginClose(long deadlineNanos) {
        synchronized (lock) {
            deadline = deadlineNanos;
            closing = true;
            lock.notifyAll();
        }
    }

    /** No more attempts: the close budget is spent. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    boolean closing() {
        return closing;
    }

    boolean stopped() {
        return stopped;
    }

    /** @return milliseconds left before the close deadline, {@link Long#MAX_VALUE} while not closing */
    long millisLeft() {
        if (!closing) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    void failed(String why) {
        lastFailure = why;
    }

    /** @return the last failure during close, or null */
    String lastFailure() {
        return lastFailure;
    }

    /**
     * Sleeps a retry backoff. A backoff that began before close is cut short when close begins
     * (the server may be back, and close has its own schedule); during close a backoff ends at the
     * deadline at the latest.
     *
     * @param ms the backoff
     * @return true when an attempt may follow; false when the sender stopped or the close deadline
     *     came first
     */
    boolean pause(long ms) {
        boolean closingAtStart = closing;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            synchronized (lock) {
                if (stopped) {
                    return false;
                }
                if (closing && !closingAtStart) {
                    return true;
                }
                long end = closing ? Math.min(until, deadline) : until;
                long now = System.nanoTime();
                if (now >= end) {
                    return !closing || now < deadline;
                }
                long wait = whilePaused == null || closing ? end - now : Math.min(end - now, PAUSE_SLICE_NANOS);
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            Runnable work = whilePaused;
            if (work != null && !closing) {
                work.run(); // outside the lock: close must never wait for it to begin
            }
        }
    }
}
