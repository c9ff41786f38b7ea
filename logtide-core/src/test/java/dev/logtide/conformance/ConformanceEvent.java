package dev.logtide.conformance;

import dev.logtide.LogLevel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One event the conformance suite asks an adapter to log through its framework. */
public final class ConformanceEvent {
    private final LogLevel level;
    private final String message;
    private final Throwable throwable;
    private final Map<String, String> context;
    private final String logger;

    private ConformanceEvent(LogLevel level, String message, Throwable throwable, Map<String, String> context,
                             String logger) {
        this.level = level;
        this.message = message;
        this.throwable = throwable;
        this.context = context;
        this.logger = logger;
    }

    /**
     * @param level   the level to log at
     * @param message the message (already formatted: no placeholders)
     * @return an event with no context and no throwable
     */
    public static ConformanceEvent of(LogLevel level, String message) {
        return new ConformanceEvent(level, message, null, Collections.emptyMap(), "conformance.Logger");
    }

    /** @param t the throwable to attach @return a copy with it */
    public ConformanceEvent withThrowable(Throwable t) {
        return new ConformanceEvent(level, message, t, context, logger);
    }

    /** @param key a context (MDC) key @param value its value @return a copy with it */
    public ConformanceEvent withContext(String key, String value) {
        Map<String, String> c = new LinkedHashMap<>(context);
        c.put(key, value);
        return new ConformanceEvent(level, message, throwable, Collections.unmodifiableMap(c), logger);
    }

    /** @return the level to log at */
    public LogLevel level() { return level; }
    /** @return the message */
    public String message() { return message; }
    /** @return the throwable, or {@code null} */
    public Throwable throwable() { return throwable; }
    /** @return MDC / ThreadContext entries to set during the call */
    public Map<String, String> context() { return context; }
    /** @return the logger name to log through */
    public String logger() { return logger; }
}
