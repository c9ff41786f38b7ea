package dev.logtide.log4j2;

import dev.logtide.TraceContext;
import org.apache.logging.log4j.ThreadContext;

/**
 * Copies {@link TraceContext}'s trace id into Log4j2's ThreadContext under
 * {@link TraceContext#CONTEXT_KEY}, on the thread that sets it. Log4j2 copies the ThreadContext
 * into each event on the calling thread, so the id reaches the appender behind {@code <Async>} and
 * async loggers too. Found by {@code ServiceLoader} through {@code META-INF/services}.
 */
public final class ThreadContextTraceMirror implements TraceContext.Mirror {
    /** Called by {@code ServiceLoader}. */
    public ThreadContextTraceMirror() {
    }

    @Override
    public void traceIdChanged(String traceId) {
        if (traceId == null) {
            ThreadContext.remove(TraceContext.CONTEXT_KEY);
        } else {
            ThreadContext.put(TraceContext.CONTEXT_KEY, traceId);
        }
    }
}
