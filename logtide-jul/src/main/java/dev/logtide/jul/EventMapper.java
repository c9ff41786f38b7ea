package dev.logtide.jul;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.TraceContext;
import dev.logtide.internal.entry.Text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Turns a JUL {@link LogRecord} into a {@link LogEntry} on the calling thread, with the thread's
 * {@link LogTideMdc} and trace id. The options are fixed when the handler is created; the
 * formatter is the handler's at the call (JUL lets it change at any time).
 */
final class EventMapper implements Function<LogRecord, LogEntry> {
    /** Arrays, not lists: looked up on every call, and an array is walked without an iterator. */
    private static final String[] TRACE_CONTEXT_KEY = {TraceContext.CONTEXT_KEY};

    private final String service;
    private final boolean includeSource;
    private final String[] traceIdKeys;
    private final String[] spanIdKeys;
    private final Supplier<Formatter> formatter;
    private final BiConsumer<String, RuntimeException> formatterFailed;

    /**
     * @param service         the service of every entry, or {@code null} for the client's default
     * @param includeSource   whether {@code sourceClass} and {@code sourceMethod} are sent
     * @param traceIdKeys     {@link LogTideMdc} keys tried in order for the trace id
     * @param spanIdKeys      {@link LogTideMdc} keys tried in order for the span id
     * @param formatter       the handler's formatter at the call, {@code null} for the record's own message
     * @param formatterFailed told when the formatter throws (the plain message is sent instead)
     */
    EventMapper(String service, boolean includeSource, List<String> traceIdKeys, List<String> spanIdKeys,
                Supplier<Formatter> formatter, BiConsumer<String, RuntimeException> formatterFailed) {
        this.service = service;
        this.includeSource = includeSource;
        this.traceIdKeys = traceIdKeys.toArray(new String[0]);
        this.spanIdKeys = spanIdKeys.toArray(new String[0]);
        this.formatter = formatter;
        this.formatterFailed = formatterFailed;
    }

    /** @return the service of every entry, or {@code null} for the client's default */
    String service() {
        return service;
    }

    /**
     * Maps by {@link Level#intValue()}: above SEVERE (custom levels such as
     * {@link LogTideLevel#CRITICAL}) is critical, SEVERE error, WARNING warn, INFO and CONFIG info,
     * anything lower debug.
     *
     * @param level a JUL level; {@code null} is taken as INFO
     * @return the LogTide level
     */
    static LogLevel level(Level level) {
        int value = level == null ? Level.INFO.intValue() : level.intValue();
        if (value > Level.SEVERE.intValue()) {
            return LogLevel.CRITICAL;
        } else if (value >= Level.SEVERE.intValue()) {
            return LogLevel.ERROR;
        } else if (value >= Level.WARNING.intValue()) {
            return LogLevel.WARN;
        } else if (value >= Level.CONFIG.intValue()) {
            return LogLevel.INFO;
        }
        return LogLevel.DEBUG;
    }

    @Override
    public LogEntry apply(LogRecord record) {
        LogEntry.Builder entry = newEntry(record, formatter.get())
                .service(service)
                .time(record.getInstant())
                .logger(record.getLoggerName())
                .throwable(record.getThrown());
        Map<String, Object> metadata = new LinkedHashMap<>(8);
        // A record carries only its thread's id; when it is published on that thread (the usual
        // synchronous case) the name is known too.
        Thread current = Thread.currentThread();
        long currentId = current.getId();
        if (currentId < Integer.MAX_VALUE / 2 && record.getThreadID() == (int) currentId) {
            entry.thread(current.getName());
            metadata.put("threadId", currentId);
        } else {
            metadata.put("threadId", record.getThreadID());
        }
        if (includeSource) {
            // The first call infers the caller from the stack, so it has to happen here, on the
            // logging thread.
            putIfNotNull(metadata, "sourceClass", record.getSourceClassName());
            putIfNotNull(metadata, "sourceMethod", record.getSourceMethodName());
        }
        metadata.put("sequence", record.getSequenceNumber());
        Map<String, Object> mdc = LogTideMdc.snapshot();
        if (!mdc.isEmpty()) {
            String traceId = firstOf(mdc, traceIdKeys);
            entry.context(mdc)
                    // as in the Logback and Log4j2 adapters, a LogTideMdc key named like TraceContext's
                    // copy of its id comes after the user's own keys
                    .contextTraceId(traceId != null ? traceId : firstOf(mdc, TRACE_CONTEXT_KEY))
                    .contextSpanId(firstOf(mdc, spanIdKeys));
        }
        return entry.metadata(metadata).build();
    }

    private static String firstOf(Map<String, Object> mdc, String[] keys) {
        for (String key : keys) {
            Object value = mdc.get(key);
            if (value != null) {
                return value.toString();
            }
        }
        return null;
    }

    /**
     * An entry with the formatter's text, else the message with bundle and parameters resolved as
     * Formatter.formatMessage does, its MessageFormat deferred to the sender thread.
     */
    private LogEntry.Builder newEntry(LogRecord record, Formatter formatter) {
        LogLevel level = level(record.getLevel());
        if (formatter != null) {
            try {
                return LogEntry.builder(level, Text.stripLineEnd(formatter.format(record)));
            } catch (RuntimeException e) {
                formatterFailed.accept("the formatter " + formatter.getClass().getName()
                        + " failed; sending the plain message", e);
            }
        }
        // Formatter.formatMessage looks a null message up in the bundle and throws; the client
        // replaces a null message with a placeholder.
        return record.getMessage() == null ? LogEntry.builder(level, null) : DeferredFormatMessage.builder(level, record);
    }

    private static void putIfNotNull(Map<String, Object> metadata, String key, Object value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
