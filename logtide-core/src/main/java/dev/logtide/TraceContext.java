package dev.logtide;

import java.util.UUID;

/**
 * The current thread's trace id, picked up by every entry built on that thread.
 *
 * <p>Unlike the Python SDK's single global id, the id is per thread, so concurrent requests
 * keep their own. Use {@link #withTraceId(String)} in a try-with-resources block to set an id
 * for a unit of work and restore the previous one afterwards.
 */
public final class TraceContext {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private TraceContext() {
    }

    /** @return the current thread's trace id, or {@code null} */
    public static String getTraceId() {
        return CURRENT.get();
    }

    /** @param traceId the id for the current thread; {@code null} clears it */
    public static void setTraceId(String traceId) {
        if (traceId == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(traceId);
        }
    }

    /**
     * Sets a trace id until the returned scope is closed.
     *
     * @param traceId the id; {@code null} clears it inside the scope
     * @return a scope that restores the previous id when closed
     */
    public static Scope withTraceId(String traceId) {
        Scope scope = new Scope(CURRENT.get());
        setTraceId(traceId);
        return scope;
    }

    /** @return a scope with a fresh random UUID as trace id */
    public static Scope withNewTraceId() {
        return withTraceId(UUID.randomUUID().toString());
    }

    /** Restores the previous trace id when closed. Close it on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final String previous;

        private Scope(String previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            setTraceId(previous);
        }
    }
}
