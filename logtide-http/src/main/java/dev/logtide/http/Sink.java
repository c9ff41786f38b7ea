package dev.logtide.http;

import dev.logtide.LogLevel;

import java.util.Map;

/** Where request entries go: a {@link dev.logtide.LogTideClient} or the logging framework. */
interface Sink {
    /**
     * Asked before an entry's fields are gathered, so that under overload, or with the logger
     * off, a request costs almost nothing.
     *
     * @param level the entry's level
     * @return true when an entry of this level would be dropped now (a client counts the drop)
     */
    boolean refuses(LogLevel level);

    /**
     * @param level    the level
     * @param message  the message
     * @param metadata the request's fields, a fresh map the sink may keep
     * @param error    the exception, or {@code null}
     * @param trace    the request's trace, or {@code null}
     */
    void log(LogLevel level, String message, Map<String, Object> metadata, Throwable error, TraceIds trace);
}
