package dev.logtide.spring.webflux;

import dev.logtide.http.TraceIds;
import io.micrometer.context.ThreadLocalAccessor;

/**
 * Lets Micrometer's context-propagation (and so Reactor's automatic context propagation) restore
 * a request's trace ids from the Reactor context onto the thread that runs each operator: the
 * MDC's {@code trace_id} and {@code span_id} and the core's {@link dev.logtide.TraceContext}.
 * Registered through {@code META-INF/services}, so it is found by
 * {@code ContextRegistry.getInstance()}; it is never loaded without context-propagation.
 */
public final class TraceIdsAccessor implements ThreadLocalAccessor<TraceIds> {
    /** Public for the service loader. */
    public TraceIdsAccessor() {
    }

    @Override
    public Object key() {
        return LogTideWebFilter.CONTEXT_KEY;
    }

    @Override
    public TraceIds getValue() {
        return TraceIds.current();
    }

    @Override
    public void setValue(TraceIds value) {
        value.makeCurrent();
    }

    @Override
    public void setValue() {
        TraceIds.clearCurrent();
    }

    @Override
    public void restore(TraceIds previousValue) {
        previousValue.makeCurrent();
    }

    @Override
    public void restore() {
        TraceIds.clearCurrent();
    }
}
