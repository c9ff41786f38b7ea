package dev.logtide.spring.webflux;

import dev.logtide.LogTideScope;
import io.micrometer.context.ThreadLocalAccessor;

/**
 * Lets Micrometer's context-propagation (and so Reactor's automatic context propagation) make a
 * request's {@link LogTideScope}, kept in the Reactor context under
 * {@link LogTideWebFilter#SCOPE_KEY}, current on the thread that runs each operator of the
 * request, and put back what was current there afterwards. Registered through
 * {@code META-INF/services} beside {@link TraceIdsAccessor}; never loaded without
 * context-propagation.
 */
public final class ScopeAccessor implements ThreadLocalAccessor<LogTideScope> {
    /** Public for the service loader. */
    public ScopeAccessor() {
    }

    @Override
    public Object key() {
        return LogTideWebFilter.SCOPE_KEY;
    }

    @Override
    public LogTideScope getValue() {
        return LogTideScope.currentOrNull();
    }

    @Override
    public void setValue(LogTideScope value) {
        LogTideScope.setCurrent(value);
    }

    @Override
    public void setValue() {
        LogTideScope.setCurrent(null);
    }

    @Override
    public void restore(LogTideScope previousValue) {
        LogTideScope.setCurrent(previousValue);
    }

    @Override
    public void restore() {
        LogTideScope.setCurrent(null);
    }
}
