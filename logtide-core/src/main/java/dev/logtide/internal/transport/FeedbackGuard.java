package dev.logtide.internal.transport;

/**
 * Which events were produced by the delivery itself, so they are never queued again (a loop that
 * would grow with every send). {@code LogTideClient.append} asks it first, before any other work on
 * an adapter's event; the sender and the live tail mark their threads.
 */
public final class FeedbackGuard {
    /** Every thread LogTide starts is named with this prefix. */
    public static final String THREAD_PREFIX = "logtide-";

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

    /**
     * Like {@link #isInternal(String)}, for frameworks that may append on another thread than the
     * one that logged (async loggers, {@code AsyncAppender}): also judges the thread the event was
     * logged on.
     *
     * @param loggerName      the event's logger name, or {@code null}
     * @param eventThreadName the name of the thread that logged the event, or {@code null}
     * @return whether the event was produced by the delivery itself
     */
    public static boolean isInternal(String loggerName, String eventThreadName) {
        if (isInternal(loggerName)) {
            return true;
        }
        if (eventThreadName == null) {
            return false;
        }
        if (eventThreadName.startsWith(THREAD_PREFIX)) {
            return true;
        }
        return loggerName != null && loggerName.startsWith("okhttp3.") && eventThreadName.startsWith("OkHttp");
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
