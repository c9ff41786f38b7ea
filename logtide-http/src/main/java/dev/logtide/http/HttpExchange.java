package dev.logtide.http;

import dev.logtide.LogLevel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One request being logged: its trace, its start time, and whether its outcome was logged. The
 * outcome is logged once, by the first call of {@link #complete(int, long, Throwable)}, on
 * whatever thread finishes the request. No method throws.
 */
public final class HttpExchange {
    private final HttpLogging logging;
    private final String method;
    private final String path;
    private final TraceIds trace;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean completed = new AtomicBoolean();

    HttpExchange(HttpLogging logging, String method, String path, InboundTrace inbound) {
        this.logging = logging;
        this.method = method == null ? "" : method;
        this.path = path == null || path.isEmpty() ? "/" : path;
        this.trace = inbound == null ? null : TraceIds.of(inbound.traceId(), inbound.spanId());
    }

    /** @return the request's trace ids, or {@code null} when it has none ({@code autoTraceId} off) */
    public TraceIds trace() {
        return trace;
    }

    /**
     * Puts the request's trace ids on the current thread until the scope closes.
     *
     * @return the scope, or {@code null} when the request has no trace or setting it failed
     */
    public TraceIds.Scope open() {
        if (trace == null) {
            return null;
        }
        try {
            return trace.open();
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
            return null;
        }
    }

    /**
     * Closes a scope from {@link #open()}, swallowing (and counting) any failure.
     *
     * @param scope the scope, or {@code null}
     */
    public void close(TraceIds.Scope scope) {
        if (scope == null) {
            return;
        }
        try {
            scope.close();
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
        }
    }

    void logRequest(String query, String remoteAddress, Function<String, String> header) {
        write(LogLevel.INFO, () -> requestLine(query, remoteAddress, header));
    }

    private Sink.Line requestLine(String query, String remoteAddress, Function<String, String> header) {
        HttpLogOptions o = logging.options();
        Map<String, Object> md = base();
        if (o.logQueryString() && query != null && !query.isEmpty()) {
            md.put("query", query);
        }
        if (o.logClientAddress()) {
            String ip = o.trustForwardedFor() ? firstForwardedFor(header.apply("X-Forwarded-For")) : null;
            if (ip == null) {
                ip = remoteAddress;
            }
            if (ip != null) {
                md.put("ip", ip);
            }
        }
        String userAgent = header.apply("User-Agent");
        if (userAgent != null) {
            md.put("user_agent", userAgent);
        }
        if (!o.headers().isEmpty()) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : o.headers()) {
                String value = header.apply(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            if (!headers.isEmpty()) {
                md.put("headers", headers);
            }
        }
        return new Sink.Line(method + " " + path, md, null);
    }

    /**
     * Logs the request's outcome, once: with an error, an error entry with the structured
     * exception, except a client disconnect ({@link HttpLogging#isClientAbort}), a warn entry
     * {@code client aborted} with {@code client_aborted: true} and the exception's type and message
     * as {@code error}; otherwise, when {@code logResponses} is on, a response entry at a level by status
     * (5xx error, 4xx warn, else info).
     *
     * @param status       the response status
     * @param responseSize the response body's size in bytes, or a negative number when unknown
     * @param error        the exception that ended the request, or {@code null}
     * @return whether this call logged the outcome (false when an earlier call did)
     */
    public boolean complete(int status, long responseSize, Throwable error) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        try {
            long nanos = System.nanoTime() - startNanos;
            if (error != null && HttpLogging.isClientAbort(error)) {
                // The client went away: not a failure of the application, and nothing to fix in it.
                write(LogLevel.WARN, () -> {
                    Map<String, Object> md = base();
                    md.put("client_aborted", true);
                    md.put("duration_ms", durationMs(nanos));
                    md.put("error", error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
                    return new Sink.Line(method + " " + path + " client aborted (" + Math.round(nanos / 1_000_000.0) + "ms)",
                            md, null);
                });
            } else if (error != null) {
                write(LogLevel.ERROR, () -> {
                    Map<String, Object> md = base();
                    md.put("duration_ms", durationMs(nanos));
                    String text = error.getMessage();
                    return new Sink.Line("Request error: " + method + " " + path + " - "
                            + (text == null || text.isEmpty() ? error.getClass().getName() : text), md, error);
                });
            } else if (logging.options().logResponses()) {
                LogLevel level = status >= 500 ? LogLevel.ERROR : status >= 400 ? LogLevel.WARN : LogLevel.INFO;
                write(level, () -> {
                    Map<String, Object> md = base();
                    md.put("status", status);
                    md.put("duration_ms", durationMs(nanos));
                    if (responseSize >= 0) {
                        md.put("response_size", responseSize);
                    }
                    return new Sink.Line(method + " " + path + " " + status + " (" + Math.round(nanos / 1_000_000.0) + "ms)",
                            md, null);
                });
            }
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
        }
        return true;
    }

    /**
     * Logs, once, that the client went away before the response was complete (a reactive
     * exchange's cancellation): an info entry with {@code cancelled: true}, when {@code logResponses} is on.
     *
     * @return whether this call logged the outcome (false when an earlier call did)
     */
    public boolean cancelled() {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (logging.options().logResponses()) {
                long nanos = System.nanoTime() - startNanos;
                write(LogLevel.INFO, () -> {
                    Map<String, Object> md = base();
                    md.put("cancelled", true);
                    md.put("duration_ms", durationMs(nanos));
                    return new Sink.Line(method + " " + path + " cancelled (" + Math.round(nanos / 1_000_000.0) + "ms)",
                            md, null);
                });
            }
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
        }
        return true;
    }

    /** @return whether the outcome was logged (or given up) */
    public boolean isComplete() {
        return completed.get();
    }

    /** Milliseconds with two decimals, as the Python middleware sends {@code duration_ms}. */
    private static double durationMs(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private Map<String, Object> base() {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("method", method);
        md.put("path", path);
        return md;
    }

    /** Hands an entry to the sink, which gathers its fields only when it keeps it. */
    private void write(LogLevel level, Supplier<Sink.Line> line) {
        Sink sink = logging.sink();
        if (sink == null) {
            return;
        }
        try {
            sink.log(level, line, trace);
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
        }
    }

    private static String firstForwardedFor(String value) {
        if (value == null) {
            return null;
        }
        int comma = value.indexOf(',');
        String first = (comma < 0 ? value : value.substring(0, comma)).trim();
        return first.isEmpty() ? null : first;
    }
}
