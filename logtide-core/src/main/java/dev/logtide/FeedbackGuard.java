package dev.logtide;

/**
 * Tells adapters which events were produced by the delivery itself, so they are never queued
 * again (a loop that would grow with every send). Adapters call {@link #isInternal(String)} first
 * thing in their append method.
 */
public final class FeedbackGuard {
    private static final ThreadLocal<Boolean> INTERNAL = new ThreadLocal<>();

    private FeedbackGuard() {
    }

    /**
     * @param loggerName the event's logger name, or {@code null}
     * @return whether the event comes from LogTide's own threads, or from OkHttp's background
     *     threads (OkHttp logs through JUL, which applications often bridge into their framework)
     */
    public static boolean isInternal(String loggerName) {
        if (INTERNAL.get() != null) {
            return true;
        }
        if (loggerName != null && loggerName.startsWith("okhttp3.")) {
            return Thread.currentThread().getName().startsWith("OkHttp");
        }
        return false;
    }

    /** @return whether the current thread is one of LogTide's own (sender, live tail) */
    public static boolean isInternalThread() {
        return INTERNAL.get() != null;
    }

    /** Marks the current thread as LogTide's own; called once when such a thread starts. */
    public static void markCurrentThreadInternal() {
        INTERNAL.set(Boolean.TRUE);
    }
}
