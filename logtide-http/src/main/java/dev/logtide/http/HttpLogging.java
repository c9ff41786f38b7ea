package dev.logtide.http;

import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.internal.diagnostics.Diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The request logging shared by LogTide's web filters: decides which requests are logged, reads
 * their trace, and writes their entries to the client or the logging framework. The filters
 * translate their stack's request into {@link #start} and report the outcome to the returned
 * {@link HttpExchange}. Thread-safe.
 *
 * <p>It never breaks a request: a failure of its own (a bug, a logging framework that throws) is
 * swallowed, counted in {@link #failureCount()} and reported through the diagnostics listener,
 * at most once a minute per message.
 */
public final class HttpLogging {
    private static final Set<String> CLIENT_ABORT_TYPES = Set.of("AbortedException", "ClientAbortException",
            "EOFException", "EofException", "AsyncRequestNotUsableException");

    private final HttpLogOptions options;
    private final Diagnostics diagnostics;
    private final Sink sink;
    private final PathPatterns skip;
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param options  the options
     * @param listener where the logging's own problems are reported; {@code null} for the
     *                 client's listener when a client is given, else stderr with a {@code [logtide]} prefix
     */
    public HttpLogging(HttpLogOptions options, DiagnosticListener listener) {
        this.options = options;
        DiagnosticListener l = listener != null ? listener
                : options.client() != null ? options.client().options().diagnosticListener() : null;
        this.diagnostics = new Diagnostics(false, l);
        List<String> skipPaths = new ArrayList<>(options.skipPaths());
        if (options.skipHealthChecks()) {
            skipPaths.addAll(HttpLogOptions.HEALTH_CHECK_PATHS);
        }
        PathPatterns patterns;
        try {
            patterns = new PathPatterns(skipPaths);
        } catch (RuntimeException e) {
            // Pattern.quote makes every pattern compile; this is only a guard against a bug.
            diagnostics.error("skipPaths could not be read (" + e + "); only the health checks are skipped", e);
            patterns = new PathPatterns(options.skipHealthChecks() ? HttpLogOptions.HEALTH_CHECK_PATHS : new ArrayList<>());
        }
        this.skip = patterns;
        if (options.client() != null) {
            sink = new ClientSink(options.client(), options.serviceName());
        } else if (Slf4j.FLUENT_API_PRESENT) {
            sink = new Slf4jSink();
        } else {
            sink = null;
            diagnostics.error("HTTP requests are not logged: no LogTideClient was given and SLF4J 2 is not on the "
                    + "classpath for the logger " + HttpLogOptions.LOGGER_NAME + " (trace ids are still set)", null);
        }
    }

    /** @return the options */
    public HttpLogOptions options() {
        return options;
    }

    /**
     * @param applicationPath the request's path within the application (without the context path)
     * @return whether the request is skipped: not logged, no trace context
     */
    public boolean skips(String applicationPath) {
        try {
            return applicationPath != null && skip.matches(applicationPath);
        } catch (RuntimeException e) {
            reportFailure(e);
            return false;
        }
    }

    /**
     * Starts a request: reads its trace and logs the request entry (when {@code logRequests} is
     * on). The caller then runs the request's code inside {@link HttpExchange#open()}.
     *
     * @param method        the HTTP method
     * @param path          the request path as logged (without path parameters such as {@code ;jsessionid=})
     * @param query         the raw query string, or {@code null}
     * @param remoteAddress the connection's peer address, or {@code null}
     * @param header        a request header's values by name (case-insensitive), joined with
     *                      {@code ", "}, {@code null} when absent
     * @return the exchange, or {@code null} when the request's trace could not be read (the failure
     *     is counted and reported; the request must go on unlogged). A failure to write the request
     *     entry is counted and reported too, but the exchange is still returned, so the request
     *     keeps its trace context and response entry
     */
    public HttpExchange start(String method, String path, String query, String remoteAddress,
                              Function<String, String> header) {
        HttpExchange exchange;
        try {
            exchange = new HttpExchange(this, method, path, InboundTrace.from(header, options.autoTraceId()));
        } catch (RuntimeException | LinkageError e) {
            reportFailure(e);
            return null;
        }
        if (options.logRequests()) {
            // Apart: a logging framework that throws on the request entry must not take the trace away.
            try {
                exchange.logRequest(query, remoteAddress, header);
            } catch (RuntimeException | LinkageError e) {
                reportFailure(e);
            }
        }
        return exchange;
    }

    /** @return how many times the request logging failed and swallowed its own error */
    public long failureCount() {
        return failures.get();
    }

    /**
     * Drops path parameters ({@code /cart;jsessionid=ABC/items} becomes {@code /cart/items}):
     * a session id in the path is a credential.
     *
     * @param path a raw request path, possibly {@code null}
     * @return the path without parameters
     */
    public static String withoutPathParameters(String path) {
        if (path == null || path.indexOf(';') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        boolean inParameter = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == ';') {
                inParameter = true;
            } else if (c == '/') {
                inParameter = false;
            }
            if (!inParameter) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Whether an exception says the client went away before the response was written (Tomcat's
     * {@code ClientAbortException}, Jetty's {@code EofException}, Reactor Netty's
     * {@code AbortedException}, a broken pipe or connection reset), anywhere in its causes: the
     * names and phrases Spring's {@code DisconnectedClientHelper} recognises.
     *
     * @param error an exception, possibly {@code null}
     * @return true for a client disconnect
     */
    public static boolean isClientAbort(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (CLIENT_ABORT_TYPES.contains(t.getClass().getSimpleName())) {
                return true;
            }
            String message = t.getMessage();
            if (message != null) {
                String m = message.toLowerCase(Locale.ROOT);
                if (m.contains("broken pipe") || m.contains("connection reset")) {
                    return true;
                }
            }
        }
        return false;
    }

    Sink sink() {
        return sink;
    }

    /**
     * Counts and reports a failure of the caller's own logging code (a filter's), so it is
     * swallowed like the logging's own failures.
     *
     * @param e the failure
     */
    public void reportFailure(Throwable e) {
        failures.incrementAndGet();
        try {
            diagnostics.warn("HTTP request logging failed: " + e.getClass().getName(), e);
        } catch (RuntimeException ignored) {
            // A diagnostics listener that throws must not reach the request either.
        }
    }
}
