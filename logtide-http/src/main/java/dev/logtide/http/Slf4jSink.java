package dev.logtide.http;

import dev.logtide.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Logs request entries through SLF4J's logger {@value HttpLogOptions#LOGGER_NAME}: the fields as
 * SLF4J 2 key-value pairs, the exception as the event's cause, and the request's trace ids in the
 * MDC for the call (the call may run on another thread than the request, when an asynchronous
 * request completes). Loaded only when SLF4J 2 is present.
 */
final class Slf4jSink implements Sink {
    private final Logger logger = LoggerFactory.getLogger(HttpLogOptions.LOGGER_NAME);

    @Override
    public void log(LogLevel level, Supplier<Line> line, TraceIds trace) {
        Level slf4jLevel = slf4jLevel(level);
        if (!logger.isEnabledForLevel(slf4jLevel)) {
            return;
        }
        Line l = line.get();
        LoggingEventBuilder b = logger.atLevel(slf4jLevel).setMessage(l.message);
        for (Map.Entry<String, Object> e : l.metadata.entrySet()) {
            b.addKeyValue(e.getKey(), e.getValue());
        }
        if (l.error != null) {
            b.setCause(l.error);
        }
        if (trace == null) {
            b.log();
            return;
        }
        try (TraceIds.Scope ignored = trace.open()) {
            b.log();
        }
    }

    private static Level slf4jLevel(LogLevel level) {
        return level == LogLevel.ERROR || level == LogLevel.CRITICAL ? Level.ERROR
                : level == LogLevel.WARN ? Level.WARN
                : level == LogLevel.INFO ? Level.INFO : Level.DEBUG;
    }
}
