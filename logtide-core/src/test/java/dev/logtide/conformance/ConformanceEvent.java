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
    private final Map<String, Object> fields;
    private final String logger;

    private ConformanceEvent(LogLevel level, String message, Throwable throwable, Map<String, String> context,
                             Map<String, Object> fields, String logger) {
        this.level = level;
        this.message = message;
        this.throwable = throwable;
        this.context = context;
        this.fields = fields;
        this.logger = logger;
    }

    /**
     * @param level   the level to log at
     * @param message the message (already formatted: no placeholders)
     * @return an event with no context and no throwable
     */
    public static ConformanceEvent of(LogLevel level, String message) {
        return new ConformanceEvent(level, message, null, Collections.emptyMap(), Collections.emptyMap(),
                "conformance.Logger");
    }

    /** @param t the throwable to attach @return a copy with it */
    public ConformanceEvent withThrowable(Throwable t) {
        return new ConformanceEvent(level, message, t, context, fields, logger);
    }

    /** @param key a context (MDC) key @param value its value @return a copy with it */
    public ConformanceEvent withContext(String key, String value) {
        Map<String, String> c = new LinkedHashMap<>(context);
        c.put(key, value);
        return new ConformanceEvent(level, message, throwable, Collections.unmodifiableMap(c), fields, logger);
    }

    /**
     * @param key   a structured field's name
     * @param value a String, Boolean, or a Long, Integer or Double: the adapter hands it over in its
     *              framework's typed way (SLF4J 2 key-value, a Log4j2 {@code MapMessage} field with
     *              the text as its {@code message} field, a typed {@code LogTideMdc} value)
     * @return a copy with it
     */
    public ConformanceEvent withField(String key, Object value) {
        Map<String, Object> f = new LinkedHashMap<>(fields);
        f.put(key, value);
        return new ConformanceEvent(level, message, throwable, context, Collections.unmodifiableMap(f), logger);
    }

    /** @return the level to log at */
    public LogLevel level() { return level; }
    /** @return the message */
    public String message() { return message; }
    /** @return the throwable, or {@code null} */
    public Throwable throwable() { return throwable; }
    /** @return MDC / ThreadContext entries to set during the call */
    public Map<String, String> context() { return context; }
    /** @return structured fields with their types, to hand over the framework's typed way */
    public Map<String, Object> fields() { return fields; }
    /** @return the logger name to log through */
    public String logger() { return logger; }
}
