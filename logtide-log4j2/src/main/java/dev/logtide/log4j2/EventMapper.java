package dev.logtide.log4j2;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.TraceContext;
import dev.logtide.internal.entry.Text;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.time.Instant;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.ReadOnlyStringMap;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a Log4j2 {@link LogEvent} into a {@link LogEntry}.
 *
 * <p>Log4j2 reuses event and message objects (garbage-free mode, async loggers' ring buffer), so
 * everything is copied into fresh collections and strings here, before {@code append} returns;
 * the entry never refers back to the event.
 */
final class EventMapper implements Function<LogEvent, LogEntry> {
    /** Metadata key of the ThreadContext stack. */
    static final String NDC_KEY = "ndc";
    /** Metadata key of the marker and its parents. */
    static final String MARKERS_KEY = "markers";
    /** Metadata key of the source location. */
    static final String SOURCE_KEY = "source";
    /** The {@code MapMessage} field that is the entry's message text, as in Elastic's ECS layout. */
    static final String MESSAGE_FIELD = "message";

    /** Arrays, not lists: looked up on every call, and an array is walked without an iterator. */
    private static final String[] TRACE_CONTEXT_KEY = {TraceContext.CONTEXT_KEY};

    private final boolean includeThreadContext;
    private final Set<String> threadContextKeys;
    private final String[] traceIdKeys;
    private final String[] spanIdKeys;
    private final boolean includeLocation;
    private final Layout<? extends Serializable> layout;

    /**
     * @param includeThreadContext whether ThreadContext entries and the stack are sent
     * @param threadContextKeys    the ThreadContext keys to send; empty for all
     * @param traceIdKeys          ThreadContext keys holding the trace id, first present wins
     * @param spanIdKeys           ThreadContext keys holding the span id, first present wins
     * @param includeLocation      whether the source location is sent
     * @param layout               formats the message text, or {@code null} for the event's own
     */
    EventMapper(boolean includeThreadContext, List<String> threadContextKeys, List<String> traceIdKeys,
                List<String> spanIdKeys, boolean includeLocation, Layout<? extends Serializable> layout) {
        this.includeThreadContext = includeThreadContext;
        this.threadContextKeys = Collections.unmodifiableSet(new LinkedHashSet<>(threadContextKeys));
        this.traceIdKeys = traceIdKeys.toArray(new String[0]);
        this.spanIdKeys = spanIdKeys.toArray(new String[0]);
        this.includeLocation = includeLocation;
        this.layout = layout;
    }

    /**
     * @param event the event; only read during this call
     * @return an entry that shares no mutable state with the event
     */
    @Override
    public LogEntry apply(LogEvent event) {
        String message = message(event);
        LogEntry.Builder b = LogEntry.builder(level(event.getLevel()), message)
                .logger(event.getLoggerName())
                .thread(event.getThreadName())
                .throwable(event.getThrown());
        Instant instant = event.getInstant();
        if (instant != null) {
            // MutableInstant is overwritten with the next event: copy the two numbers now.
            b.time(instant.getEpochSecond(), instant.getNanoOfSecond());
        } else {
            b.timeMillis(event.getTimeMillis());
        }

        ReadOnlyStringMap contextData = event.getContextData();
        if (contextData != null && !contextData.isEmpty()) {
            String traceId = firstValue(contextData, traceIdKeys);
            // else TraceContext's id as the calling thread had it, when this runs on another one
            b.contextTraceId(traceId != null ? traceId : firstValue(contextData, TRACE_CONTEXT_KEY));
            b.contextSpanId(firstValue(contextData, spanIdKeys));
            if (includeThreadContext) {
                b.context(copyContext(contextData));
            }
        }

        Message msg = event.getMessage();
        if (msg instanceof MapMessage) {
            MapMessage<?, ?> map = (MapMessage<?, ?>) msg;
            // The field that became the message text is not repeated in metadata.
            boolean messageIsField = message != null && message.equals(messageField(map));
            map.forEach((key, value) -> {
                if (!messageIsField || !MESSAGE_FIELD.equals(key)) {
                    b.put(key, value);
                }
            });
        }
        if (includeThreadContext) {
            ThreadContext.ContextStack stack = event.getContextStack();
            if (stack != null && stack.getDepth() > 0) {
                b.put(NDC_KEY, Collections.unmodifiableList(new ArrayList<>(stack.asList())));
            }
        }
        Marker marker = event.getMarker();
        if (marker != null) {
            b.put(MARKERS_KEY, markerNames(marker));
        }
        if (includeLocation) {
            StackTraceElement source = event.getSource();
            if (source != null) {
                b.put(SOURCE_KEY, source(source));
            }
        }
        return b.build();
    }

    /** The layout's text, else the event's own ({@link #text}); a layout that fails does not cost the entry. */
    private String message(LogEvent event) {
        try {
            if (layout == null) {
                return text(event.getMessage());
            }
            String text = layout instanceof StringLayout
                    ? String.valueOf(layout.toSerializable(event))
                    : new String(layout.toByteArray(event), StandardCharsets.UTF_8);
            return Text.stripLineEnd(text);
        } catch (RuntimeException e) {
            // A value whose toString() throws must not cost the entry: send what is known instead.
            Message message = event.getMessage();
            String format = message == null ? null : message.getFormat();
            return "[message could not be formatted: " + e.getClass().getName() + "]"
                    + (format == null || format.isEmpty() ? "" : " " + format);
        }
    }

    /**
     * The message text when no layout formats it: a {@code MapMessage}'s {@code message} field
     * when it has one (so {@code new MapMessage<>().with("message", "Order placed").with("count", 3)}
     * reads "Order placed" with {@code count} a number in metadata), else the formatted message.
     *
     * @param message the event's message, possibly {@code null}
     * @return its text, or {@code null}
     */
    static String text(Message message) {
        if (message instanceof MapMessage) {
            String field = messageField((MapMessage<?, ?>) message);
            if (field != null && !field.isEmpty()) {
                return field;
            }
        }
        return message == null ? null : message.getFormattedMessage();
    }

    private static String messageField(MapMessage<?, ?> map) {
        Object field = map.getIndexedReadOnlyStringMap().getValue(MESSAGE_FIELD);
        return field instanceof CharSequence ? field.toString() : null;
    }

    /**
     * Maps by {@link Level#intLevel()}, so custom levels land on the nearest standard severity
     * at or above them: a level counts as critical when it is at least as severe as FATAL, and
     * so on; anything less severe than INFO (DEBUG, TRACE, ALL) is debug.
     *
     * @param level a Log4j2 level, possibly custom or {@code null}
     * @return the LogTide level
     */
    static LogLevel level(Level level) {
        if (level == null) {
            return LogLevel.INFO;
        }
        int severity = level.intLevel();
        if (severity <= Level.FATAL.intLevel()) {
            return LogLevel.CRITICAL;
        }
        if (severity <= Level.ERROR.intLevel()) {
            return LogLevel.ERROR;
        }
        if (severity <= Level.WARN.intLevel()) {
            return LogLevel.WARN;
        }
        if (severity <= Level.INFO.intLevel()) {
            return LogLevel.INFO;
        }
        return LogLevel.DEBUG;
    }

    private Map<String, Object> copyContext(ReadOnlyStringMap contextData) {
        if (threadContextKeys.isEmpty()) {
            return FrozenContext.of(contextData);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (String key : threadContextKeys) {
            Object value = contextData.getValue(key);
            if (value != null) {
                copy.put(key, value);
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    private static String firstValue(ReadOnlyStringMap contextData, String[] keys) {
        for (String key : keys) {
            Object value = contextData.getValue(key);
            if (value != null) {
                String text = String.valueOf(value).trim();
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        return null;
    }

    /** The marker first, then its ancestors depth-first; each name once, so cycles end. */
    private static List<String> markerNames(Marker marker) {
        Set<String> names = new LinkedHashSet<>();
        collectMarkerNames(marker, names);
        return Collections.unmodifiableList(new ArrayList<>(names));
    }

    private static void collectMarkerNames(Marker marker, Set<String> names) {
        if (marker == null || !names.add(marker.getName())) {
            return;
        }
        Marker[] parents = marker.getParents();
        if (parents != null) {
            for (Marker parent : parents) {
                collectMarkerNames(parent, names);
            }
        }
    }

    private static Map<String, Object> source(StackTraceElement element) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("class", element.getClassName());
        source.put("method", element.getMethodName());
        if (element.getFileName() != null) {
            source.put("file", element.getFileName());
        }
        if (element.getLineNumber() >= 0) {
            source.put("line", element.getLineNumber());
        }
        return Collections.unmodifiableMap(source);
    }
}
