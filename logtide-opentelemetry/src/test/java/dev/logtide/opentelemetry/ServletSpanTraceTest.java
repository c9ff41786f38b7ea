package dev.logtide.opentelemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.servlet.LogTideFilter;
import dev.logtide.testing.IngestServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static dev.logtide.http.testing.HttpTestSupport.PARENT_ID;
import static dev.logtide.http.testing.HttpTestSupport.TRACEPARENT;
import static dev.logtide.http.testing.HttpTestSupport.TRACE_ID;
import static dev.logtide.http.testing.HttpTestSupport.await;
import static dev.logtide.http.testing.HttpTestSupport.configureLogback;
import static dev.logtide.http.testing.HttpTestSupport.get;
import static dev.logtide.http.testing.HttpTestSupport.requestPath;
import static dev.logtide.http.testing.HttpTestSupport.stopLogback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Issue 21, "without doubling or disagreeing", through LogTideFilter in a real embedded Tomcat on
 * a random port: a filter ahead of it starts a server span from the request and makes it current,
 * as the OpenTelemetry Java agent's servlet instrumentation does. The application ships its logs,
 * the request entries included, through LogTide's Logback appender.
 */
class ServletSpanTraceTest {
    private static final Logger HANDLER_LOG = LoggerFactory.getLogger("shop.Handler");
    private static final HttpClient HTTP = dev.logtide.http.testing.HttpTestSupport.http();
    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String name) {
            return request == null ? null : request.getHeader(name);
        }
    };

    private static IngestServer server;
    private static Tomcat tomcat;
    private static Path baseDir;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new IngestServer();
        configureLogback("otel-http-logback.xml", server);
        baseDir = Files.createTempDirectory("tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context root = tomcat.addContext("", baseDir.toString());
        root.addServletContainerInitializer((classes, ctx) -> {
            addFilters(ctx, "true");
            addIds(ctx);
            // Completed on a thread of its own: the response entry is logged where the span is not current.
            ServletRegistration.Dynamic async = ctx.addServlet("async", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                    AsyncContext ac = req.startAsync();
                    ac.setTimeout(10_000);
                    new Thread(() -> {
                        try {
                            resp.getWriter().write("done later");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        } finally {
                            ac.complete();
                        }
                    }, "async-worker").start();
                }
            });
            async.setAsyncSupported(true);
            async.addMapping("/async");
        }, null);
        // autoTraceId off: no id is made, but the span's is still taken.
        Context off = tomcat.addContext("/off", baseDir.toString());
        off.addServletContainerInitializer((classes, ctx) -> {
            addFilters(ctx, "false");
            addIds(ctx);
        }, null);
        tomcat.start();
        base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
    }

    /** The span filter, then LogTideFilter echoing the trace id in X-Trace-Id. */
    private static void addFilters(ServletContext ctx, String autoTraceId) {
        FilterRegistration.Dynamic span = ctx.addFilter("agent-span", (Filter) ServletSpanTraceTest::serverSpan);
        span.setAsyncSupported(true);
        span.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        FilterRegistration.Dynamic logtide = ctx.addFilter("logtide", LogTideFilter.class);
        logtide.setInitParameter("traceIdResponseHeader", "X-Trace-Id");
        logtide.setInitParameter("autoTraceId", autoTraceId);
        logtide.setAsyncSupported(true);
        logtide.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC,
                DispatcherType.ERROR), true, "/*");
    }

    /** Logs a line, answers with the MDC's trace_id and span_id and TraceContext's id as the application sees them. */
    private static void addIds(ServletContext ctx) {
        ctx.addServlet("ids", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HANDLER_LOG.info("handled {}", req.getRequestURI());
                resp.getWriter().write(MDC.get("trace_id") + " " + MDC.get("span_id") + " " + TraceContext.getTraceId());
            }
        }).addMapping("/ids/*");
    }

    /** As the agent: a server span continuing an inbound traceparent, current while the chain runs; its ids in response headers. */
    private static void serverSpan(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res,
                                   jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        io.opentelemetry.context.Context parent = W3CTraceContextPropagator.getInstance()
                .extract(io.opentelemetry.context.Context.root(), request, HEADERS);
        Span span = TestSpans.tracer().spanBuilder("GET " + request.getRequestURI()).setParent(parent)
                .setSpanKind(SpanKind.SERVER).startSpan();
        response.setHeader("X-Span-Trace-Id", span.getSpanContext().getTraceId());
        response.setHeader("X-Span-Id", span.getSpanContext().getSpanId());
        try (Scope ignored = span.makeCurrent()) {
            chain.doFilter(req, res);
        } finally {
            span.end();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        stopLogback();
        server.close();
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String spanTraceId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Span-Trace-Id").orElseThrow();
    }

    private static String spanId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Span-Id").orElseThrow();
    }

    @Test
    void c26WithoutATraceHeaderTheRequestTakesTheServerSpansIdsEverywhere() throws Exception {
        HttpResponse<String> response = get(HTTP, base + "/ids/plain");
        assertEquals(200, response.statusCode());
        String traceId = spanTraceId(response);
        String spanId = spanId(response);
        assertEquals(traceId, response.headers().firstValue("X-Trace-Id").orElse(null), "echoed trace id");
        assertEquals(traceId + " " + spanId + " " + traceId, response.body(),
                "the application's MDC trace_id and span_id, then TraceContext");
        List<JsonNode> stored = await(server, requestPath("/ids/plain")
                .or(e -> "handled /ids/plain".equals(e.path("message").asText())), 3);
        for (JsonNode entry : stored) {
            assertEquals(traceId, entry.path("trace_id").asText(), entry::toString);
            assertEquals(spanId, entry.path("span_id").asText(), entry::toString);
        }
    }

    @Test
    void withAutoTraceIdOffTheSpansIdsAreStillTaken() throws Exception {
        HttpResponse<String> response = get(HTTP, base + "/off/ids/plain");
        String traceId = spanTraceId(response);
        assertEquals(traceId, response.headers().firstValue("X-Trace-Id").orElse(null), "echoed trace id");
        assertEquals(traceId + " " + spanId(response) + " " + traceId, response.body());
    }

    @Test
    void c26AnAsyncRequestsResponseEntryLoggedOutsideTheSpanCarriesTheSpansIds() throws Exception {
        HttpResponse<String> response = get(HTTP, base + "/async");
        assertEquals(200, response.statusCode());
        String traceId = spanTraceId(response);
        assertEquals(traceId, response.headers().firstValue("X-Trace-Id").orElse(null), "echoed trace id");
        JsonNode outcome = await(server, requestPath("/async").and(e -> e.path("metadata").has("status")), 1).get(0);
        assertEquals(traceId, outcome.path("trace_id").asText(), outcome::toString);
        assertEquals(spanId(response), outcome.path("span_id").asText(), outcome::toString);
    }

    @Test
    void anInboundTraceparentStillGivesTheRequestsTraceWhichTheSpanContinues() throws Exception {
        HttpResponse<String> response = get(HTTP, base + "/ids/traced", "traceparent", TRACEPARENT);
        assertEquals(TRACE_ID, spanTraceId(response), "the span continues the caller's trace");
        assertEquals(TRACE_ID, response.headers().firstValue("X-Trace-Id").orElse(null));
        assertEquals(TRACE_ID + " " + PARENT_ID + " " + TRACE_ID, response.body(), "the caller's span as span_id, as without a span");
        JsonNode line = await(server, e -> "handled /ids/traced".equals(e.path("message").asText()), 1).get(0);
        assertEquals(TRACE_ID, line.path("trace_id").asText(), line::toString);
        assertEquals(spanId(response), line.path("span_id").asText(), "an entry built inside the span carries its id");
    }

    @Test
    void anInboundRequestIdStillWinsForTheRequestsOwnTrace() throws Exception {
        HttpResponse<String> response = get(HTTP, base + "/ids/requested", "X-Request-Id", "req-21");
        assertNotNull(spanTraceId(response));
        assertEquals("req-21", response.headers().firstValue("X-Trace-Id").orElse(null));
        assertEquals("req-21 null req-21", response.body());
    }
}
