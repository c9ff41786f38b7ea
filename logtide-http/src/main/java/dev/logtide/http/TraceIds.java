package dev.logtide.http;

import dev.logtide.TraceContext;

/**
 * A request's trace id and span id, and the thread state that carries them while the request's
 * code runs: the core's {@link TraceContext} (every entry built on the thread picks the trace id
 * up) and, when SLF4J is present, the MDC keys {@value #MDC_TRACE_ID} and {@value #MDC_SPAN_ID}
 * (Logback and Log4j2 layouts, and LogTide's appenders, read them).
 */
public final class TraceIds {
    /** The MDC key holding the trace id. */
    public static final String MDC_TRACE_ID = "trace_id";
    /** The MDC key holding the span id. */
    public static final String MDC_SPAN_ID = "span_id";

    private final String traceId;
    private final String spanId;

    private TraceIds(String traceId, String spanId) {
        this.traceId = traceId;
        this.spanId = spanId;
    }

    /**
     * @param traceId the trace id, not {@code null}
     * @param spanId  the span id, or {@code null}
     * @return the pair
     */
    public static TraceIds of(String traceId, String spanId) {
        return new TraceIds(traceId, spanId);
    }

    /** @return the current thread's ids, or {@code null} when it has no trace id */
    public static TraceIds current() {
        String traceId = TraceContext.getTraceId();
        if (traceId == null) {
            return null;
        }
        return new TraceIds(traceId, Slf4j.MDC_PRESENT ? Slf4j.mdcGet(MDC_SPAN_ID) : null);
    }

    /** Puts these ids on the current thread (trace context and MDC). */
    public void makeCurrent() {
        TraceContext.setTraceId(traceId);
        if (Slf4j.MDC_PRESENT) {
            Slf4j.mdcSet(MDC_TRACE_ID, traceId);
            Slf4j.mdcSet(MDC_SPAN_ID, spanId);
        }
    }

    /** Removes the ids from the current thread (trace context and MDC). */
    public static void clearCurrent() {
        TraceContext.setTraceId(null);
        if (Slf4j.MDC_PRESENT) {
            Slf4j.mdcSet(MDC_TRACE_ID, null);
            Slf4j.mdcSet(MDC_SPAN_ID, null);
        }
    }

    /**
     * Puts these ids on the current thread until the scope is closed, which restores exactly what
     * was there before (nothing leaks into the next request a pooled thread serves).
     *
     * @return the scope; close it on the same thread
     */
    public Scope open() {
        Scope scope = new Scope();
        makeCurrent();
        return scope;
    }

    /** @return the trace id */
    public String traceId() {
        return traceId;
    }

    /** @return the span id, or {@code null} */
    public String spanId() {
        return spanId;
    }

    @Override
    public String toString() {
        return "TraceIds{" + traceId + (spanId == null ? "" : "/" + spanId) + "}";
    }

    /** Restores the thread's previous trace context and MDC values when closed. Never throws. */
    public static final class Scope implements AutoCloseable {
        private final String previousTrace = TraceContext.getTraceId();
        private final String previousMdcTrace = Slf4j.MDC_PRESENT ? Slf4j.mdcGet(MDC_TRACE_ID) : null;
        private final String previousMdcSpan = Slf4j.MDC_PRESENT ? Slf4j.mdcGet(MDC_SPAN_ID) : null;

        private Scope() {
        }

        @Override
        public void close() {
            TraceContext.setTraceId(previousTrace);
            if (Slf4j.MDC_PRESENT) {
                Slf4j.mdcSet(MDC_TRACE_ID, previousMdcTrace);
                Slf4j.mdcSet(MDC_SPAN_ID, previousMdcSpan);
            }
        }
    }
}
