package dev.logtide.spring.webflux;

import dev.logtide.LogTideClient;
import dev.logtide.LogTideScope;
import dev.logtide.http.HttpExchange;
import dev.logtide.http.HttpLogOptions;
import dev.logtide.http.HttpLogging;
import dev.logtide.http.TraceIds;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs every request of a Spring WebFlux application and its outcome, and carries the request's
 * trace id: the W3C {@code traceparent} header's trace id (or {@code X-Trace-Id},
 * {@code X-Request-Id}, the current server span's, or a new one) travels in the Reactor context under
 * {@link #CONTEXT_KEY}. With Reactor's automatic context propagation on
 * ({@code Hooks.enableAutomaticContextPropagation()}, or {@code spring.reactor.context-propagation=auto}
 * in Spring Boot) and Micrometer's context-propagation library present, it is put in the MDC
 * ({@code trace_id}, {@code span_id}) and the core's {@link dev.logtide.TraceContext} around every
 * operator of the request, on whatever thread it runs, and removed afterwards. Without it, code
 * that runs while the handler is subscribed (a controller method's body) still sees it.
 *
 * <p>Each request also has its own {@link LogTideScope} (a clone of the subscribing thread's, if
 * any), in the Reactor context under {@link #SCOPE_KEY} and made current the same way: what the
 * application sets on {@code LogTideScope.current()} while serving the request (tags, user,
 * breadcrumbs) goes on the request's entries, its response and error entries included, and on no
 * other request's.
 *
 * <p>Per request, as the servlet filter: a request entry (info) when it arrives; when the exchange
 * completes, a response entry with status and duration (5xx error, 4xx warn, else info); an error
 * signal is passed on unchanged and logged when the exception handlers have committed the response
 * it becomes: with a status below 500 (a 404 for an unknown path, a {@code WebExceptionHandler}
 * that answers 400) as that response, else at error with the structured exception; a cancelled
 * exchange (the client went away) is logged as cancelled. Each request is logged once. Skip
 * patterns are matched against the decoded path within the application.
 *
 * <p>Where entries go and every option: {@link HttpLogOptions}, docs/http.md. The filter never
 * breaks a request: its own failures are swallowed, counted ({@link #failureCount()}) and reported
 * to the client's diagnostic listener, or stderr.
 */
public class LogTideWebFilter implements WebFilter, Ordered {
    /** The Reactor context key (and context-propagation key) holding the request's {@link TraceIds}. */
    public static final String CONTEXT_KEY = "dev.logtide.trace";
    /** The Reactor context key (and context-propagation key) holding the request's {@link LogTideScope}. */
    public static final String SCOPE_KEY = "dev.logtide.scope";

    private final HttpLogging logging;
    private int order = Ordered.HIGHEST_PRECEDENCE;

    /** A filter with the default options: entries go to the SLF4J logger {@value HttpLogOptions#LOGGER_NAME}. */
    public LogTideWebFilter() {
        this(HttpLogOptions.builder().build());
    }

    /** @param client the client entries are queued on; {@code null} for the SLF4J logger */
    public LogTideWebFilter(LogTideClient client) {
        this(HttpLogOptions.builder().client(client).build());
    }

    /** @param options the options; {@code null} for the defaults */
    public LogTideWebFilter(HttpLogOptions options) {
        this.logging = new HttpLogging(options == null ? HttpLogOptions.builder().build() : options, null);
    }

    /**
     * @param context a Reactor context, for example from {@code Mono.deferContextual}
     * @return the request's trace ids in it, or {@code null}
     */
    public static TraceIds traceIds(ContextView context) {
        return context.getOrDefault(CONTEXT_KEY, null);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpExchange logged = start(exchange);
        if (logged == null) {
            return chain.filter(exchange);
        }
        TraceIds ids = logged.trace();
        LogTideScope requestScope = LogTideScope.fork();
        Mono<Void> result = Mono.defer(() -> {
            LogTideScope before = LogTideScope.currentOrNull();
            LogTideScope.setCurrent(requestScope);
            TraceIds.Scope scope = logged.open();
            try {
                return chain.filter(exchange);
            } finally {
                logged.close(scope);
                LogTideScope.setCurrent(before);
            }
        }).doOnEach(signal -> {
            if (signal.isOnComplete()) {
                complete(logged, exchange.getResponse());
            } else if (signal.isOnError()) {
                failed(logged, exchange.getResponse(), signal.getThrowable());
            }
        }).doOnCancel(logged::cancelled).contextWrite(ctx -> ctx.put(SCOPE_KEY, requestScope));
        return ids == null ? result : result.contextWrite(ctx -> ctx.put(CONTEXT_KEY, ids));
    }

    private HttpExchange start(ServerWebExchange exchange) {
        try {
            ServerHttpRequest request = exchange.getRequest();
            if (logging.skips(decodedPath(request.getPath().pathWithinApplication()))) {
                return null;
            }
            HttpExchange logged = logging.start(request.getMethod().name(),
                    HttpLogging.withoutPathParameters(request.getURI().getRawPath()), request.getURI().getRawQuery(),
                    address(request.getRemoteAddress()), name -> header(request.getHeaders(), name));
            if (logged == null) {
                return null;
            }
            String echo = logging.options().traceIdResponseHeader();
            if (echo != null && logged.trace() != null) {
                exchange.getResponse().getHeaders().set(echo, logged.trace().traceId());
            }
            return logged;
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
            return null;
        }
    }

    /**
     * An error left the chain. The exception handlers, which run outside the filters, decide the
     * response it becomes, so it is logged when that response is committed, with the status the
     * client really gets: below 500 as that response (an {@code @ExceptionHandler} or
     * {@code WebExceptionHandler} that answers 400), else as an error entry.
     */
    private void failed(HttpExchange logged, ServerHttpResponse response, Throwable error) {
        try {
            if (HttpLogging.isClientAbort(error)) {
                logged.complete(0, -1, error); // no response will be committed for a client that is gone
                return;
            }
            if (!response.isCommitted()) {
                response.beforeCommit(() -> {
                    logError(logged, response.getStatusCode(), error);
                    return Mono.empty();
                });
                if (!response.isCommitted()) {
                    return;
                }
            }
            // Committed before the error (a body that broke midway): its status says nothing about the error.
            logged.complete(500, -1, error);
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
            logError(logged, null, error);
        }
    }

    private void logError(HttpExchange logged, HttpStatusCode committed, Throwable error) {
        try {
            int status = committed != null ? committed.value()
                    : error instanceof ErrorResponse ? ((ErrorResponse) error).getStatusCode().value() : 500;
            logged.complete(status, -1, status < 500 ? null : error);
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
        }
    }

    private void complete(HttpExchange logged, ServerHttpResponse response) {
        try {
            HttpStatusCode status = response.getStatusCode();
            logged.complete(status == null ? 200 : status.value(), response.getHeaders().getContentLength(), null);
        } catch (RuntimeException | LinkageError e) {
            logging.reportFailure(e);
        }
    }

    /**
     * The path within the application, percent-decoded and without path parameters, as the servlet
     * filter matches it ({@code /st%61tic/a.css} is {@code /static/a.css}).
     */
    private static String decodedPath(PathContainer path) {
        StringBuilder out = new StringBuilder();
        for (PathContainer.Element e : path.elements()) {
            out.append(e instanceof PathContainer.PathSegment ? ((PathContainer.PathSegment) e).valueToMatch() : e.value());
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    private static String address(InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    /**
     * The values of one header, by name in any case, joined with {@code ", "}; {@code null} when
     * absent. Read through {@code forEach}, which Spring 6 and 7 both declare with the same
     * signature: {@code get(Object)} of Spring 6's {@code MultiValueMap} is gone from Spring 7's
     * {@code HttpHeaders} (Spring Boot 4), where calling it threw {@code NoSuchMethodError}.
     */
    private static String header(HttpHeaders headers, String name) {
        List<String> values = new ArrayList<>(1);
        headers.forEach((key, list) -> {
            if (key.equalsIgnoreCase(name) && list != null) {
                values.addAll(list);
            }
        });
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /** @return how many times the filter's logging failed and swallowed its own error */
    public long failureCount() {
        return logging.failureCount();
    }

    /** @return the filter's order: {@link Ordered#HIGHEST_PRECEDENCE} unless set, so it sees every other filter's work */
    @Override
    public int getOrder() {
        return order;
    }

    /** @param order the filter's order among the application's {@code WebFilter}s */
    public void setOrder(int order) {
        this.order = order;
    }
}
