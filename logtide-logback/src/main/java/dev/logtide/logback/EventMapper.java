package dev.logtide.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.Encoder;
import dev.logtide.LogEntry;
import dev.logtide.Snapshot;
import dev.logtide.LogLevel;
import dev.logtide.TraceContext;
import dev.logtide.internal.entry.Text;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a Logback event into a {@link LogEntry} on the calling thread. The options are fixed when
 * the appender starts. Everything that could change after the log call returns (MDC, mutable
 * key-value arguments) is captured here; the heavy work (normalisation, exception serialisation)
 * is left to the sender thread.
 */
final class EventMapper implements Function<ILoggingEvent, LogEntry> {
    /** Arrays, not lists: looked up on every call, and an array is walked without an iterator. */
    private static final String[] TRACE_CONTEXT_KEY = {TraceContext.CONTEXT_KEY};
    private final boolean includeMdc;
    private final Set<String> mdcKeys;
    private final boolean includeKeyValues;
    private final boolean includeMarkers;
    private final boolean includeCallerData;
    private final String[] traceIdKeys;
    private final String[] spanIdKeys;
    private final Layout<ILoggingEvent> layout;
    private final Encoder<ILoggingEvent> encoder;

    /**
     * @param includeMdc        send MDC entries as metadata
     * @param mdcKeys           the MDC keys to send, or {@code null} for all
     * @param includeKeyValues  send SLF4J 2 key-value pairs as metadata
     * @param includeMarkers    send marker names as {@code markers}
     * @param includeCallerData send the caller's class, method, file and line as {@code caller}
     * @param traceIdKeys       MDC keys tried in order for the trace id
     * @param spanIdKeys        MDC keys tried in order for the span id
     * @param layout            formats the message text, or {@code null}
     * @param encoder           formats the message text when there is no layout, or {@code null}
     */
    EventMapper(boolean includeMdc, Set<String> mdcKeys, boolean includeKeyValues, boolean includeMarkers,
                boolean includeCallerData, List<String> traceIdKeys, List<String> spanIdKeys,
                Layout<ILoggingEvent> layout, Encoder<ILoggingEvent> encoder) {
        this.includeMdc = includeMdc;
        this.mdcKeys = mdcKeys;
        this.includeKeyValues = includeKeyValues;
        this.includeMarkers = includeMarkers;
        this.includeCallerData = includeCallerData;
        this.traceIdKeys = traceIdKeys.toArray(new String[0]);
        this.spanIdKeys = spanIdKeys.toArray(new String[0]);
        this.layout = layout;
        this.encoder = encoder;
    }

    @Override
    public LogEntry apply(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        LogEntry.Builder b = LogEntry.builder(level(event.getLevel(), markers), message(event))
                .logger(event.getLoggerName())
                .thread(event.getThreadName());
        Instant instant = event.getInstant();
        if (instant != null) {
            b.time(instant);
        } else {
            b.timeMillis(event.getTimeStamp());
        }

        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            String traceId = firstValue(mdc, traceIdKeys);
            if (traceId == null) {
                // TraceContext's id as the calling thread had it, when this runs on another one
                traceId = firstValue(mdc, TRACE_CONTEXT_KEY);
            }
            if (traceId != null) {
                b.contextTraceId(traceId);
            }
            String spanId = firstValue(mdc, spanIdKeys);
            if (spanId != null) {
                b.contextSpanId(spanId);
            }
            if (includeMdc) {
                // Logback hands out an MDC snapshot that later MDC changes do not touch: no copy needed.
                b.context(mdcKeys == null ? mdc : selected(mdc));
            }
        }
        if (includeKeyValues) {
            addKeyValues(b, event.getKeyValuePairs());
        }
        if (includeMarkers && markers != null && !markers.isEmpty()) {
            b.put("markers", markerNames(markers));
        }
        if (includeCallerData) {
            StackTraceElement[] callerData = event.getCallerData();
            if (callerData != null && callerData.length > 0 && callerData[0] != null) {
                b.put("caller", caller(callerData[0]));
            }
        }
        IThrowableProxy proxy = event.getThrowableProxy();
        if (proxy != null) {
            b.exception(new LogbackThrowableView(proxy));
        }
        return b.build();
    }

    /** A FATAL or CRITICAL marker (directly or as a reference) makes any event critical. */
    static LogLevel level(Level level, List<Marker> markers) {
        if (markers != null) {
            for (Marker m : markers) {
                if (m != null && (m.contains("FATAL") || m.contains("CRITICAL"))) {
                    return LogLevel.CRITICAL;
                }
            }
        }
        int value = level == null ? Level.INFO_INT : level.toInt();
        if (value >= Level.ERROR_INT) {
            return LogLevel.ERROR;
        }
        if (value >= Level.WARN_INT) {
            return LogLevel.WARN;
        }
        if (value >= Level.INFO_INT) {
            return LogLevel.INFO;
        }
        return LogLevel.DEBUG;
    }

    private String message(ILoggingEvent event) {
        if (layout != null) {
            return Text.stripLineEnd(layout.doLayout(event));
        }
        if (encoder != null) {
            byte[] bytes = encoder.encode(event);
            return bytes == null ? null : Text.stripLineEnd(new String(bytes, StandardCharsets.UTF_8));
        }
        return event.getFormattedMessage();
    }

    private static String firstValue(Map<String, String> mdc, String[] keys) {
        for (String key : keys) {
            String value = mdc.get(key);
            if (value != null && !value.trim().isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private Map<String, String> selected(Map<String, String> mdc) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : mdcKeys) {
            String value = mdc.get(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static void addKeyValues(LogEntry.Builder b, List<KeyValuePair> pairs) {
        if (pairs == null) {
            return;
        }
        for (KeyValuePair pair : pairs) {
            if (pair != null && pair.key != null) {
                b.put(pair.key, Snapshot.value(pair.value));
            }
        }
    }

    private static List<String> markerNames(List<Marker> markers) {
        List<String> names = new ArrayList<>(markers.size());
        for (Marker m : markers) {
            if (m != null) {
                names.add(m.getName());
            }
        }
        return names;
    }

    private static Map<String, Object> caller(StackTraceElement frame) {
        Map<String, Object> caller = new LinkedHashMap<>(8);
        caller.put("class", frame.getClassName());
        caller.put("method", frame.getMethodName());
        caller.put("file", frame.getFileName());
        caller.put("line", frame.getLineNumber());
        return caller;
    }
}
