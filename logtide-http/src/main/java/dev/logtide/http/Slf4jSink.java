package dev.logtide.http;

import dev.logtide.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;

/**
 * Logs request entries through SLF4J's logger {@value HttpLogOptions#LOGGER_NAME}: the fields as
 * SLF4J 2 key-value pairs, the exception as the event's cause, and the request's trace ids in the
 * MDC for the call (the call may run on another thread than the request, when an asynchronous
 * request completes). Loaded only when SLF4J 2 is present.
 */
final class Slf4jSink implements Sink {
    private final Logger logger = LoggerFactory.getLogger(HttpLogOptions.LOGGER_NAME);

    @Override
    public boolean refuses(LogLevel level) {
        return !logger.isEnabledForLevel(slf4jLevel(level));
    }

    @Override
    public void log(LogLevel level, String message, Map<String, Object> metadata, Throwable error, TraceIds trace) {
        LoggingEventBuilder b = logger.atLevel(slf4jLevel(level)).setMessage(message);
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            b.addKeyValue(e.getKey(), e.getValue());
        }
        if (error != null) {
            b.setCause(error);
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
