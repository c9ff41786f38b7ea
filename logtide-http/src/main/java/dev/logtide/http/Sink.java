package dev.logtide.http;

import dev.logtide.LogLevel;

import java.util.Map;
import java.util.function.Supplier;

/** Where request entries go: a {@link dev.logtide.LogTideClient} or the logging framework. */
interface Sink {
    /**
     * Logs one request entry. {@code line} runs only when the entry would be kept, so that under
     * overload, or with the logger off, a request costs almost nothing.
     *
     * @param level the entry's level
     * @param line  gathers the entry's text and fields
     * @param trace the request's trace, or {@code null}
     */
    void log(LogLevel level, Supplier<Line> line, TraceIds trace);

    /** The text, fields and exception of one request entry. */
    final class Line {
        final String message;
        final Map<String, Object> metadata;
        final Throwable error;

        /**
         * @param message  the message
         * @param metadata the request's fields, a fresh map the sink may keep
         * @param error    the exception, or {@code null}
         */
        Line(String message, Map<String, Object> metadata, Throwable error) {
            this.message = message;
            this.metadata = metadata;
            this.error = error;
        }
    }
}
