package dev.logtide.servlet;

import dev.logtide.LogTideClient;
import dev.logtide.LogTideScope;
import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.http.HttpExchange;
import dev.logtide.http.HttpLogOptions;
import dev.logtide.http.HttpLogging;
import dev.logtide.http.TraceIds;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Logs every HTTP request and its outcome, and gives the request's code its trace id: the W3C
 * {@code traceparent} header's trace id (or {@code X-Trace-Id}, {@code X-Request-Id}, the
 * current server span's, or a new one) is set in the MDC ({@code trace_id}, {@code span_id})
 * and the core's {@link dev.logtide.TraceContext} while the request runs, so every log line of
 * the request carries it, and removed afterwards. Each request also runs in its own
 * {@link LogTideScope} (a clone of the thread's current one, if any): what the application sets
 * in {@code LogTideScope.current()} during the request (tags, user, breadcrumbs) goes on the
 * request's entries, its response and error entries included, and never on another request's.
 *
 * <p>Per request: a request entry (info) when it arrives; when it completes, a response entry
 * with status and duration (5xx error, 4xx warn, else info), or, when an exception escapes the
 * chain, an error entry with the structured exception, after which the exception is rethrown
 * unchanged. An asynchronous request ({@code AsyncContext}, Spring's {@code DeferredResult} or
 * {@code Callable}) is logged once, when it really completes. Map the filter for the
 * {@code REQUEST}, {@code ASYNC} and {@code ERROR} dispatches with async support on, so that
 * later dispatches of a request carry its trace id too.
 *
 * <p>Where entries go: to the {@link LogTideClient} given in the options, else to the SLF4J
 * logger {@value HttpLogOptions#LOGGER_NAME}, so that an application that ships its logs through
 * LogTide's Logback or Log4j2 appender keeps one pipeline (docs/http.md says why that is the
 * default). Options come from {@link HttpLogOptions} and, in {@code web.xml}, from init
 * parameters of the same names; an init parameter overrides the programmatic value.
 *
 * <p>The filter never breaks a request: a failure of its own is swallowed, counted
 * ({@link #failureCount()}) and reported through {@link ServletContext#log(String)}; a wrong
 * init parameter is reported there and its default kept.
 */
public class LogTideFilter implements Filter {
    /**
     * The request attribute holding the request's {@link HttpExchange} across dispatches (or a
     * private marker when the request is skipped).
     */
    public static final String EXCHANGE_ATTRIBUTE = LogTideFilter.class.getName() + ".exchange";
    /** The request attribute holding the request's {@link LogTideScope} across dispatches. */
    private static final String SCOPE_ATTRIBUTE = LogTideFilter.class.getName() + ".scope";
    /** {@link #EXCHANGE_ATTRIBUTE}'s value for a skipped request, so that its later dispatches are skipped too. */
    private static final Object SKIPPED = new Object() {
        @Override
        public String toString() {
            return "LogTideFilter.SKIPPED";
        }
    };

    private final HttpLogOptions options;
    private volatile HttpLogging logging;

    /** A filter with the default options: entries go to the SLF4J logger {@value HttpLogOptions#LOGGER_NAME}. */
    public LogTideFilter() {
        this(HttpLogOptions.builder().build());
    }

    /** @param client the client entries are queued on; {@code null} for the SLF4J logger */
    public LogTideFilter(LogTideClient client) {
        this(HttpLogOptions.builder().client(client).build());
    }

    /** @param options the options; {@code null} for the defaults */
    public LogTideFilter(HttpLogOptions options) {
        this.options = options == null ? HttpLogOptions.builder().build() : options;
    }

    /**
     * Reads the init parameters (see {@link HttpLogOptions#OPTION_NAMES}) over the options given
     * to the constructor. A wrong value is reported through the servlet context's log and the
     * option keeps its value; the filter starts either way.
     */
    @Override
    public void init(FilterConfig config) {
        ServletContext context = config.getServletContext();
        DiagnosticListener listener = context == null ? null : (severity, message, error) -> {
            if (error == null) {
                context.log("[logtide] " + message);
            } else {
                context.log("[logtide] " + message, error);
            }
        };
        HttpLogOptions.Builder b = options.toBuilder();
        StringBuilder problems = new StringBuilder();
        Enumeration<String> names = config.getInitParameterNames();
        for (String name : names == null ? Collections.<String>emptyList() : Collections.list(names)) {
            try {
                b.set(name, config.getInitParameter(name));
            } catch (IllegalArgumentException e) {
                problems.append(problems.length() == 0 ? "" : "; ").append(e.getMessage());
            }
        }
        for (String problem : b.problems()) {
            problems.append(problems.length() == 0 ? "" : "; ").append(problem);
        }
        if (problems.length() > 0 && listener != null) {
            listener.report(DiagnosticListener.Severity.WARN, "LogTideFilter '" + config.getFilterName()
                    + "' init parameters: " + problems + " (the rest of the configuration is used)", null);
        }
        logging = new HttpLogging(b.build(), listener);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        HttpLogging logging = logging();
        Object existing = request.getAttribute(EXCHANGE_ATTRIBUTE);
        if (existing == SKIPPED) {
            chain.doFilter(req, res); // a later dispatch (Boot's /error page) of a skipped request stays skipped
            return;
        }
        if (existing instanceof HttpExchange) {
            redispatch((HttpExchange) existing, request, response, chain);
            return;
        }
        // Each request works in its own LogTideScope (contract C20): nothing it sets reaches the
        // thread's next request, and its later dispatches and its completion entry get it back.
        try (LogTideScope requestScope = LogTideScope.push()) {
            HttpExchange exchange = start(logging, request, response);
            if (exchange == null) {
                chain.doFilter(req, res);
                return;
            }
            request.setAttribute(SCOPE_ATTRIBUTE, requestScope);
            TraceIds.Scope scope = exchange.open();
            try {
                chain.doFilter(req, res);
            } catch (Throwable t) {
                exchange.complete(500, -1, t); // inside the request's scope, so with its breadcrumbs
                throw t; // the same exception, unchanged (SDK contract C27)
            } finally {
                try {
                    if (!exchange.isComplete()) {
                        if (request.isAsyncStarted()) {
                            request.getAsyncContext().addListener(new Completion(logging, exchange, response, requestScope));
                        } else {
                            exchange.complete(response.getStatus(), contentLength(response), null);
                        }
                    }
                } catch (RuntimeException | LinkageError e) {
                    logging.reportFailure(e);
                }
                exchange.close(scope);
            }
        }
    }

    /**
     * A later dispatch (async, error, forward) of a request being logged: its trace id and a clone
     * of its scope again, nothing logged.
     */
    private static void redispatch(HttpExchange exchange, HttpServletRequest request, HttpServletResponse response,
                                   FilterChain chain) throws IOException, ServletException {
        TraceIds.Scope scope = exchange.open();
        try (LogTideScope requestScope = LogTideScope.push(scopeOf(request))) {
            chain.doFilter(request, response);
        } finally {
            exchange.close(scope);
        }
    }

    /** @return the values of the request's scope as its first dispatch left them, or none */
    private static LogTideScope.Values scopeOf(HttpServletRequest request) {
        Object scope = request.getAttribute(SCOPE_ATTRIBUTE);
        return scope instanceof LogTideScope ? ((LogTideScope) scope).values() : null;
    }

    private static HttpExchange start(HttpLogging logging, HttpServletRequest request, HttpServletResponse response) {
        try {
            if (logging.skips(applicationPath(request))) {
                request.setAttribute(EXCHANGE_ATTRIBUTE, SKIPPED);
                return null;
            }
            HttpExchange exchange = logging.start(request.getMethod(), HttpLogging.withoutPathParameters(request.getRequestURI()),
                    request.getQueryString(), request.getRemoteAddr(), name -> header(request, name));
            if (exchange == null) {
                return null;
            }
            request.setAttribute(EXCHANGE_ATTRIBUTE, exchange);
            String echo = logging.options().traceIdResponseHeader();
            if (echo != null && exchange.trace() != null) {
                response.setHeader(echo, exchange.trace().traceId());
            }
            return exchange;
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
            return null;
        }
    }

    /** @return how many times the filter's logging failed and swallowed its own error */
    public long failureCount() {
        HttpLogging l = logging;
        return l == null ? 0 : l.failureCount();
    }

    /** A filter a container never initialised (some frameworks call doFilter only) runs on its options. */
    private HttpLogging logging() {
        HttpLogging l = logging;
        if (l == null) {
            synchronized (this) {
                l = logging;
                if (l == null) {
                    l = new HttpLogging(options, null);
                    logging = l;
                }
            }
        }
        return l;
    }

    /** The decoded path within the application, as servlet mappings see it. */
    private static String applicationPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    private static String header(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder joined = new StringBuilder(first);
        while (values.hasMoreElements()) {
            joined.append(", ").append(values.nextElement());
        }
        return joined.toString();
    }

    private static long contentLength(HttpServletResponse response) {
        String value = response.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Logs an asynchronous request once, when the container completes it. */
    private static final class Completion implements AsyncListener {
        private final HttpLogging logging;
        private final HttpExchange exchange;
        private final HttpServletResponse response;
        private final LogTideScope requestScope;
        private volatile Throwable error;

        Completion(HttpLogging logging, HttpExchange exchange, HttpServletResponse response, LogTideScope requestScope) {
            this.logging = logging;
            this.exchange = exchange;
            this.response = response;
            this.requestScope = requestScope;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            try (LogTideScope scope = LogTideScope.push(requestScope.values())) {
                exchange.complete(response.getStatus(), contentLength(response), error);
            } catch (RuntimeException | LinkageError e) {
                logging.reportFailure(e);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The container goes on to its error handling and completes the request: logged then, with its status.
        }

        @Override
        public void onError(AsyncEvent event) {
            Throwable t = event.getThrowable();
            if (t != null) {
                error = t;
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Listeners are dropped when the request goes asynchronous again; keep waiting for the real end.
            event.getAsyncContext().addListener(this);
        }
    }
}
