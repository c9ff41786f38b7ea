package dev.logtide.logback;

import dev.logtide.TraceContext;
import org.slf4j.MDC;

/**
 * Copies {@link TraceContext}'s trace id into the SLF4J MDC under {@link TraceContext#CONTEXT_KEY},
 * on the thread that sets it. Logback snapshots the MDC on the calling thread (an
 * {@code AsyncAppender} does so before it queues the event), so the id reaches the appender
 * whatever runs it, the way tracing libraries put their ids in the MDC. Found by
 * {@code ServiceLoader} through {@code META-INF/services}.
 */
public final class MdcTraceMirror implements TraceContext.Mirror {
    /** Called by {@code ServiceLoader}. */
    public MdcTraceMirror() {
    }

    @Override
    public void traceIdChanged(String traceId) {
        if (traceId == null) {
            MDC.remove(TraceContext.CONTEXT_KEY);
        } else {
            MDC.put(TraceContext.CONTEXT_KEY, traceId);
        }
    }
}
