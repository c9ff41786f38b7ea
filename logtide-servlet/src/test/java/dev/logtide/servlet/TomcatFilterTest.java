package dev.logtide.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.TraceContext;
import dev.logtide.http.HttpLogOptions;
import dev.logtide.testing.IngestServer;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.logtide.http.testing.HttpTestSupport.PARENT_ID;
import static dev.logtide.http.testing.HttpTestSupport.TRACEPARENT;
import static dev.logtide.http.testing.HttpTestSupport.TRACE_ID;
import static dev.logtide.http.testing.HttpTestSupport.assertNotLogged;
import static dev.logtide.http.testing.HttpTestSupport.assertNothingContains;
import static dev.logtide.http.testing.HttpTestSupport.await;
import static dev.logtide.http.testing.HttpTestSupport.configureLogback;
import static dev.logtide.http.testing.HttpTestSupport.get;
import static dev.logtide.http.testing.HttpTestSupport.matching;
import static dev.logtide.http.testing.HttpTestSupport.message;
import static dev.logtide.http.testing.HttpTestSupport.requestPath;
import static dev.logtide.http.testing.HttpTestSupport.stopLogback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter in a real embedded Tomcat 11 on a random port, registered programmatically as a
 * servlet container initializer does (init parameters as in web.xml), with the application's
 * real Logback setup (http-logback.xml) shipping through LogTide's appender. One request thread,
 * so consecutive requests run on the same pooled thread.
 *
 * <p>Context {@code ""}: the default sink, the logger dev.logtide.http. Context {@code /client}:
 * entries queued on a LogTideClient the application gives the filter.
 */
class TomcatFilterTest {
    private static final Logger HANDLER_LOG = LoggerFactory.getLogger("shop.Handler");
    private static final Logger HELPER_LOG = LoggerFactory.getLogger("shop.PriceService");
    /** Exceptions as they left the LogTide filter, seen by a filter outside it, by request path. */
    private static final Map<String, Throwable> ESCAPED = new ConcurrentHashMap<>();
    private static final IllegalStateException BOOM = new IllegalStateException("checkout exploded");

    private static IngestServer server;
    private static EmbeddedTomcat tomcat;
    private static LogTideClient client;
    private static String base;
    private static final HttpClient HTTP = dev.logtide.http.testing.HttpTestSupport.http();
    /** What the servlet contexts logged through the container's log (JULI, which is java.util.logging). */
    private static final List<String> CONTAINER_LOG = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.logging.Handler CONTAINER_LOG_HANDLER = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
            CONTAINER_LOG.add(record.getLoggerName() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static final LogTideFilter BROKEN_FILTER = new LogTideFilter();
    /** While true, the application's Logback setup throws on every call for the logger dev.logtide.http. */
    private static volatile boolean REQUEST_LOGGER_THROWS;

    @BeforeAll
    static void start() throws Exception {
        server = new IngestServer();
        configureLogback("http-logback.xml", server);
        TurboFilter throwing = new TurboFilter() {
            @Override
            public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                      Object[] params, Throwable t) {
                if (REQUEST_LOGGER_THROWS && "dev.logtide.http".equals(logger.getName())) {
                    throw new UnsupportedOperationException("the logging framework broke");
                }
                return FilterReply.NEUTRAL;
            }
        };
        throwing.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).addTurboFilter(throwing);
        client = new LogTideClient(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .service("client-default").flushIntervalMs(100).registerShutdownHook(false).build());
        tomcat = new EmbeddedTomcat(1);
        Context root = tomcat.context("", (classes, ctx) -> {
            addRecorder(ctx);
            FilterRegistration.Dynamic f = ctx.addFilter("logtide", LogTideFilter.class);
            f.setInitParameter("traceIdResponseHeader", "X-Trace-Id");
            f.setInitParameter("headers", "X-Tenant, Authorization, Cookie");
            f.setInitParameter("skipPaths", "/static/**");
            f.setAsyncSupported(true);
            f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR), true, "/*");
            addServlets(ctx);
            ctx.addServlet("error", new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    HANDLER_LOG.info("error page for {}", req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
                    resp.getWriter().write("error page");
                }
            }).addMapping("/error");
        });
        // An error page, as Spring Boot's /error: rendered in an ERROR dispatch.
        for (int code : new int[] {404, 500}) {
            ErrorPage page = new ErrorPage();
            page.setErrorCode(code);
            page.setLocation("/error");
            root.addErrorPage(page);
        }

        tomcat.context("/client", (classes, ctx) -> {
            FilterRegistration.Dynamic f = ctx.addFilter("logtide", new LogTideFilter(HttpLogOptions.builder()
                    .client(client).serviceName("orders-api").logQueryString(true).build()));
            f.setAsyncSupported(true);
            f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR), true, "/*");
            addServlets(ctx);
        });

        // Another filter hands on a request whose headers cannot be read, and the init parameters are wrong.
        java.util.logging.Logger.getLogger("").addHandler(CONTAINER_LOG_HANDLER);
        tomcat.context("/broken", (classes, ctx) -> {
            FilterRegistration.Dynamic w = ctx.addFilter("broken-wrapper", (Filter) (req, res, chain) ->
                    chain.doFilter(new jakarta.servlet.http.HttpServletRequestWrapper((HttpServletRequest) req) {
                        @Override
                        public java.util.Enumeration<String> getHeaders(String name) {
                            throw new IllegalStateException("headers are gone");
                        }
                    }, res));
            w.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            FilterRegistration.Dynamic f = ctx.addFilter("logtide", BROKEN_FILTER);
            f.setInitParameter("logRequests", "maybe");
            f.setInitParameter("headers", "Authorization, X-Tenant");
            f.setInitParameter("skipHealthCheck", "true");
            f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
            addServlets(ctx);
        });

        base = tomcat.start();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
        client.close();
        java.util.logging.Logger.getLogger("").removeHandler(CONTAINER_LOG_HANDLER);
        stopLogback();
        server.close();
    }

    /** Registered before the LogTide filter, so it sees what leaves it. */
    private static void addRecorder(ServletContext ctx) {
        Filter recorder = (req, res, chain) -> {
            try {
                chain.doFilter(req, res);
            } catch (IOException | RuntimeException | jakarta.servlet.ServletException e) {
                ESCAPED.put(((HttpServletRequest) req).getRequestURI(), e);
                throw e;
            }
        };
        FilterRegistration.Dynamic r = ctx.addFilter("recorder", recorder);
        r.setAsyncSupported(true);
        r.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    private static void addServlets(ServletContext ctx) {
        ctx.addServlet("hello", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HANDLER_LOG.info("handling hello for {}", req.getRemoteAddr());
                HELPER_LOG.info("price looked up");
                resp.setHeader("X-Thread", Thread.currentThread().getName());
                resp.getWriter().write("hello");
            }
        }).addMapping("/hello");
        ctx.addServlet("health", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HANDLER_LOG.info("health line {}", req.getParameter("probe"));
                resp.setHeader("X-Thread", Thread.currentThread().getName());
                resp.getWriter().write("mdc=" + MDC.get("trace_id") + " context=" + TraceContext.getTraceId());
            }
        }).addMapping("/health");
        // Streams until the client is gone: Tomcat's ClientAbortException leaves the servlet.
        ctx.addServlet("stream", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 400; i++) {
                    resp.getOutputStream().write(chunk);
                    resp.flushBuffer();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }).addMapping("/stream");
        ctx.addServlet("static-fail", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("skipped path failed");
            }
        }).addMapping("/static/fail");
        ctx.addServlet("fail", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                HANDLER_LOG.info("about to fail");
                throw BOOM;
            }
        }).addMapping("/fail");
        var async = ctx.addServlet("async", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                AsyncContext async = req.startAsync();
                async.setTimeout(10_000);
                new Thread(() -> {
                    try {
                        Thread.sleep(300);
                        resp.setStatus(202);
                        resp.getWriter().write("done later");
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    } finally {
                        async.complete();
                    }
                }, "async-worker").start();
            }
        });
        async.setAsyncSupported(true);
        async.addMapping("/async");
        // As Spring's DeferredResult: the result is set on another thread, then rendered in an ASYNC dispatch.
        var deferred = ctx.addServlet("deferred", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getDispatcherType() == DispatcherType.ASYNC) {
                    HANDLER_LOG.info("rendering deferred result {}", req.getAttribute("result"));
                    resp.getWriter().write(String.valueOf(req.getAttribute("result")));
                    return;
                }
                AsyncContext async = req.startAsync();
                new Thread(() -> {
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    req.setAttribute("result", "order-42");
                    async.dispatch();
                }, "deferred-worker").start();
            }
        });
        deferred.setAsyncSupported(true);
        deferred.addMapping("/deferred");
        // Like Spring's DispatcherServlet at "/": unknown paths become a 404.
        ctx.addServlet("default", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.sendError(404);
            }
        }).addMapping("/");
    }

    @Test
    void c15InboundTraceparentGoesOnEveryLineOfTheRequestAndNotOnTheNextRequestOfTheThread() throws Exception {
        HttpResponse<String> traced = get(HTTP, base + "/hello", "traceparent", TRACEPARENT);
        assertEquals(200, traced.statusCode());
        assertEquals(TRACE_ID, traced.headers().firstValue("X-Trace-Id").orElse(null), "echoed");
        HttpResponse<String> next = get(HTTP, base + "/health?probe=c15");
        assertEquals(traced.headers().firstValue("X-Thread"), next.headers().firstValue("X-Thread"), "same pooled thread");
        assertEquals("mdc=null context=null", next.body(), "nothing of the first request is left on the thread");

        List<JsonNode> lines = await(server, e -> TRACE_ID.equals(e.path("trace_id").asText()), 4);
        for (JsonNode e : lines) {
            assertEquals(PARENT_ID, e.path("span_id").asText(), e::toString);
            assertEquals("shop", e.path("service").asText(), "the appender's service: one pipeline");
        }
        assertEquals(1, matching(server, message("price looked up").and(e -> TRACE_ID.equals(e.path("trace_id").asText()))).size());
        JsonNode request = await(server, message("GET /hello").and(e -> TRACE_ID.equals(e.path("trace_id").asText())), 1).get(0);
        assertEquals("info", request.path("level").asText());
        assertEquals("dev.logtide.http", request.path("metadata").path("logger").asText());
        assertEquals("127.0.0.1", request.path("metadata").path("ip").asText());
        JsonNode response = await(server, e -> e.path("message").asText().startsWith("GET /hello 200 (")
                && TRACE_ID.equals(e.path("trace_id").asText()), 1).get(0);
        assertEquals(200, response.path("metadata").path("status").asInt());
        assertTrue(response.path("metadata").path("duration_ms").isNumber());

        JsonNode healthLine = await(server, message("health line c15"), 1).get(0);
        assertFalse(healthLine.has("trace_id"), healthLine::toString);
        assertFalse(healthLine.path("metadata").has("span_id"), healthLine::toString);
    }

    @Test
    void requestWithoutTraceGetsAFreshW3cTraceIdOnItsLines() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/hello", "User-Agent", "fresh-agent/1.0");
        String id = r.headers().firstValue("X-Trace-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertNotEquals(TRACE_ID, id);
        List<JsonNode> lines = await(server, e -> id.equals(e.path("trace_id").asText()), 4);
        JsonNode request = lines.stream().filter(message("GET /hello")).findFirst().orElseThrow();
        assertEquals("fresh-agent/1.0", request.path("metadata").path("user_agent").asText());
        assertFalse(request.has("span_id"));
    }

    @Test
    void unknownPathIsLoggedAsA404AtWarn() throws Exception {
        assertEquals(404, get(HTTP, base + "/no/such/page").statusCode());
        JsonNode response = await(server, requestPath("/no/such/page").and(e -> e.path("metadata").has("status")), 1).get(0);
        assertEquals("warn", response.path("level").asText());
        assertEquals(404, response.path("metadata").path("status").asInt());
        assertTrue(response.path("message").asText().startsWith("GET /no/such/page 404 ("), response::toString);
    }

    @Test
    void c27ExceptionIsLoggedOnceAtErrorWithTheStructuredExceptionAndRethrownUnchanged() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/fail", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertEquals(500, r.statusCode());
        assertSame(BOOM, ESCAPED.get("/fail"), "the very exception the servlet threw left the filter");

        List<JsonNode> entries = await(server, requestPath("/fail"), 2);
        JsonNode error = entries.stream().filter(e -> e.path("metadata").has("exception")).findFirst().orElseThrow();
        assertEquals("error", error.path("level").asText());
        assertEquals("Request error: GET /fail - checkout exploded", error.path("message").asText());
        assertEquals("0af7651916cd43dd8448eb211c80319c", error.path("trace_id").asText(), "logged inside the request's trace");
        JsonNode ex = error.path("metadata").path("exception");
        assertEquals("java.lang.IllegalStateException", ex.path("type").asText());
        assertEquals("checkout exploded", ex.path("message").asText());
        assertEquals("java", ex.path("language").asText());
        assertTrue(ex.path("stacktrace").size() > 0);
        assertTrue(error.path("metadata").path("duration_ms").isNumber());
        // Request entry and error entry, and nothing else: no second entry for the 500 the container sends.
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/fail")).size(), () -> matching(server, requestPath("/fail")).toString());
        JsonNode handlerLine = await(server, message("about to fail"), 1).get(0);
        assertEquals("0af7651916cd43dd8448eb211c80319c", handlerLine.path("trace_id").asText());
    }

    @Test
    void asyncRequestIsTimedToItsRealCompletionAndLoggedOnce() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/async");
        assertEquals(202, r.statusCode());
        assertEquals("done later", r.body());
        String id = r.headers().firstValue("X-Trace-Id").orElseThrow();
        JsonNode response = await(server, requestPath("/async").and(e -> e.path("metadata").has("status")), 1).get(0);
        assertEquals(202, response.path("metadata").path("status").asInt(), "the status set on the worker thread");
        assertTrue(response.path("metadata").path("duration_ms").asDouble() >= 300, response::toString);
        assertEquals(id, response.path("trace_id").asText(), "logged on the completing thread with the request's trace");
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/async")).size(), "request and response, once each");
    }

    @Test
    void deferredResultRenderedInAnAsyncDispatchCarriesTheTraceAndIsLoggedOnce() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/deferred", "traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
        assertEquals(200, r.statusCode());
        assertEquals("order-42", r.body());
        JsonNode rendering = await(server, message("rendering deferred result order-42"), 1).get(0);
        assertEquals("11111111111111111111111111111111", rendering.path("trace_id").asText(), "the ASYNC dispatch's line");
        JsonNode response = await(server, requestPath("/deferred").and(e -> e.path("metadata").has("status")), 1).get(0);
        assertTrue(response.path("metadata").path("duration_ms").asDouble() >= 250, response::toString);
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/deferred")).size());
    }

    @Test
    void healthChecksAndSkipPathsAreNotLogged() throws Exception {
        assertEquals(200, get(HTTP, base + "/health").statusCode());
        assertEquals(404, get(HTTP, base + "/static/css/site.css").statusCode());
        assertEquals(200, get(HTTP, base + "/hello", "User-Agent", "after-skips").statusCode());
        await(server, message("GET /hello").and(e -> "after-skips".equals(e.path("metadata").path("user_agent").asText())), 1);
        assertTrue(matching(server, requestPath("/health")).isEmpty());
        assertTrue(matching(server, requestPath("/static/css/site.css")).isEmpty());
    }

    @Test
    void laterDispatchesOfASkippedRequestStaySkipped() throws Exception {
        // A 404 on a skipped path and a skipped path that throws: both render /error in an ERROR dispatch.
        assertEquals(404, get(HTTP, base + "/static/missing.css").statusCode());
        assertEquals(500, get(HTTP, base + "/static/fail").statusCode());
        await(server, message("error page for /static/missing.css"), 1);
        await(server, message("error page for /static/fail"), 1);
        Thread.sleep(300);
        assertTrue(matching(server, requestPath("/error")).isEmpty(), () -> matching(server, requestPath("/error")).toString());
        assertTrue(matching(server, requestPath("/static/fail")).isEmpty());
        // A logged request's error page is not a request of its own either.
        assertEquals(404, get(HTTP, base + "/no/such/thing").statusCode());
        await(server, message("error page for /no/such/thing"), 1);
        await(server, requestPath("/no/such/thing"), 2);
        assertTrue(matching(server, requestPath("/error")).isEmpty());
    }

    @Test
    void aClientThatDisconnectsIsLoggedAsClientAbortedAtWarnNotAsAnError() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", java.net.URI.create(base).getPort())) {
            socket.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().read(); // the response has begun
            socket.setSoLinger(true, 0); // close with a reset, as a client that gives up does
        }
        JsonNode aborted = await(server, requestPath("/stream").and(e -> e.path("metadata").has("client_aborted")), 1).get(0);
        assertEquals("warn", aborted.path("level").asText());
        assertTrue(aborted.path("message").asText().startsWith("GET /stream client aborted ("), aborted::toString);
        assertTrue(aborted.path("metadata").path("error").asText().startsWith("org.apache.catalina.connector.ClientAbortException"),
                aborted::toString);
        assertFalse(aborted.path("metadata").has("exception"), aborted::toString);
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/stream")).size(), "request entry and the abort, no error entry");
    }

    @Test
    void skipPathsMatchTheDecodedPath() throws Exception {
        assertNotLogged(server, HTTP, base, "after-encoded-skip", "/st%61tic/site.css");
    }

    @Test
    void aLoggingFrameworkThatThrowsOnTheRequestEntryKeepsTheTraceContextAndTheEchoedHeader() throws Exception {
        String traceId = "33333333333333333333333333333333";
        HttpResponse<String> r;
        REQUEST_LOGGER_THROWS = true;
        try {
            r = get(HTTP, base + "/hello", "traceparent", "00-" + traceId + "-4444444444444444-01");
        } finally {
            REQUEST_LOGGER_THROWS = false;
        }
        assertEquals(200, r.statusCode());
        assertEquals("hello", r.body());
        assertEquals(traceId, r.headers().firstValue("X-Trace-Id").orElse(null), "echoed");
        List<JsonNode> lines = await(server, e -> traceId.equals(e.path("trace_id").asText()), 2);
        for (JsonNode line : lines) {
            assertEquals("4444444444444444", line.path("span_id").asText(), line::toString);
            assertEquals("4444444444444444", line.path("metadata").path("span_id").asText(), "the MDC");
        }
        assertEquals(1, CONTAINER_LOG.stream().filter(m -> m.contains(
                "[logtide] HTTP request logging failed: java.lang.UnsupportedOperationException")).count(), CONTAINER_LOG::toString);
    }

    @Test
    void queryStringCredentialsAndSessionIdsAreNeverSentButAllowListedHeadersAre() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/hello;jsessionid=SESSIONSECRET?token=QUERYSECRET",
                "Authorization", "Bearer AUTHSECRET", "Cookie", "session=COOKIESECRET", "X-Tenant", "acme");
        assertEquals(200, r.statusCode());
        String id = r.headers().firstValue("X-Trace-Id").orElseThrow();
        JsonNode request = await(server, message("GET /hello").and(e -> id.equals(e.path("trace_id").asText())), 1).get(0);
        assertEquals("/hello", request.path("metadata").path("path").asText());
        assertEquals(Map.of("x-tenant", "acme"), new com.fasterxml.jackson.databind.ObjectMapper()
                .convertValue(request.path("metadata").path("headers"), Map.class));
        await(server, e -> id.equals(e.path("trace_id").asText()), 4);
        assertNothingContains(server, "QUERYSECRET", "AUTHSECRET", "COOKIESECRET", "SESSIONSECRET");
    }

    @Test
    void withAClientEntriesCarryTheFilterServiceAndTheQueryWhenEnabled() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/client/hello?page=2", "traceparent", TRACEPARENT.replace("4bf9", "5bf9"));
        assertEquals(200, r.statusCode());
        String traceId = TRACE_ID.replace("4bf9", "5bf9");
        JsonNode request = await(server, requestPath("/client/hello").and(message("GET /client/hello")), 1).get(0);
        assertEquals("orders-api", request.path("service").asText());
        assertEquals(traceId, request.path("trace_id").asText());
        assertEquals(PARENT_ID, request.path("span_id").asText());
        assertEquals("page=2", request.path("metadata").path("query").asText());
        JsonNode response = await(server, requestPath("/client/hello").and(e -> e.path("metadata").has("status")), 1).get(0);
        assertEquals("orders-api", response.path("service").asText());
        assertEquals("info", response.path("level").asText());
        // The application's own lines still go through its appender, with the request's trace id.
        JsonNode line = await(server, message("price looked up").and(e -> traceId.equals(e.path("trace_id").asText())), 1).get(0);
        assertEquals("shop", line.path("service").asText());
        // /client/health is the context's /health: skipped.
        assertEquals(200, get(HTTP, base + "/client/health").statusCode());
        Thread.sleep(300);
        assertTrue(matching(server, requestPath("/client/health")).isEmpty());
    }

    @Test
    void wrongInitParametersAreReportedInTheContainerLogAndTheFilterRunsOnItsDefaults() {
        String report = CONTAINER_LOG.stream().filter(m -> m.contains("[logtide] LogTideFilter 'logtide'")
                && m.contains("[/broken]")).findFirst().orElseThrow(() -> new AssertionError(CONTAINER_LOG.toString()));
        assertTrue(report.contains("logRequests must be true or false, got 'maybe'"), report);
        assertTrue(report.contains("unknown option 'skipHealthCheck'"), report);
        assertTrue(report.contains("Authorization carries credentials and is never logged"), report);
    }

    @Test
    void aFailureOfTheFilterItselfNeverBreaksTheRequestAndIsCountedAndReported() throws Exception {
        long before = BROKEN_FILTER.failureCount();
        HttpResponse<String> r = get(HTTP, base + "/broken/hello");
        assertEquals(200, r.statusCode());
        assertEquals("hello", r.body());
        assertEquals(before + 1, BROKEN_FILTER.failureCount());
        assertTrue(CONTAINER_LOG.stream().anyMatch(m -> m.contains("[/broken]")
                && m.contains("[logtide] HTTP request logging failed: java.lang.IllegalStateException")), CONTAINER_LOG::toString);
    }
}
