package dev.logtide.spring.webflux;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.LogTideScope;
import dev.logtide.TraceContext;
import dev.logtide.http.HttpLogOptions;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.reactive.handler.WebFluxResponseStatusExceptionHandler;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebFilter in a real Spring WebFlux application on Reactor Netty, on a random port, with
 * Reactor's automatic context propagation on (what {@code spring.reactor.context-propagation=auto}
 * does in Spring Boot) and the application's real Logback setup (http-logback.xml). A second
 * application gives the filter a LogTideClient.
 */
class WebFluxFilterTest {
    private static final Logger HANDLER_LOG = LoggerFactory.getLogger("shop.Handler");
    private static final IllegalStateException BOOM = new IllegalStateException("checkout exploded");
    /** Errors as they left the LogTide filter, seen by a filter outside it, by request path. */
    private static final Map<String, Throwable> ESCAPED = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = dev.logtide.http.testing.HttpTestSupport.http();

    private static IngestServer server;
    private static LogTideClient client;
    private static DisposableServer app;
    private static DisposableServer clientApp;
    private static String base;
    private static String clientBase;

    @BeforeAll
    static void start() throws Exception {
        Hooks.enableAutomaticContextPropagation();
        server = new IngestServer();
        configureLogback("http-logback.xml", server);
        client = new LogTideClient(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .service("client-default").flushIntervalMs(100).registerShutdownHook(false).build());

        LogTideWebFilter filter = new LogTideWebFilter(HttpLogOptions.builder()
                .traceIdResponseHeader("X-Trace-Id").headers(List.of("X-Tenant")).skipPaths(List.of("/static/**")).build());
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        app = serve(WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes())).filter(recorder(), filter)
                .exceptionHandler(badRequests()).exceptionHandler(new WebFluxResponseStatusExceptionHandler()));
        clientApp = serve(WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes()))
                .exceptionHandler(new WebFluxResponseStatusExceptionHandler())
                .filter(new LogTideWebFilter(HttpLogOptions.builder().client(client).serviceName("orders-api")
                        .logQueryString(true).build())));
        base = "http://127.0.0.1:" + app.port();
        clientBase = "http://127.0.0.1:" + clientApp.port();
    }

    private static DisposableServer serve(WebHttpHandlerBuilder builder) {
        return HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(builder.build())).bindNow(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        app.disposeNow();
        clientApp.disposeNow();
        client.close();
        stopLogback();
        server.close();
        Hooks.disableAutomaticContextPropagation();
    }

    /** Outside the LogTide filter: records the error signal that leaves it. */
    private static WebFilter recorder() {
        class Recorder implements WebFilter, Ordered {
            @Override
            public Mono<Void> filter(org.springframework.web.server.ServerWebExchange exchange,
                                     org.springframework.web.server.WebFilterChain chain) {
                return chain.filter(exchange).doOnError(t -> ESCAPED.put(exchange.getRequest().getPath().value(), t));
            }

            @Override
            public int getOrder() {
                return Ordered.HIGHEST_PRECEDENCE;
            }
        }
        return new Recorder();
    }

    /** The application's own exception handler: an IllegalArgumentException is the client's fault, a 400. */
    private static WebExceptionHandler badRequests() {
        return (exchange, ex) -> {
            if (!(ex instanceof IllegalArgumentException)) {
                return Mono.error(ex);
            }
            exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
            return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory()
                    .wrap(ex.getMessage().getBytes(StandardCharsets.UTF_8))));
        };
    }

    private static RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/hello", req -> {
                    HANDLER_LOG.info("handling hello");
                    String thread = Thread.currentThread().getName();
                    return Mono.delay(Duration.ofMillis(50))
                            .doOnNext(x -> HANDLER_LOG.info("price looked up on another thread"))
                            .then(ServerResponse.ok().header("X-Thread", thread).bodyValue("hello"));
                })
                .GET("/scoped", req -> {
                    String id = req.queryParam("id").orElse("");
                    LogTideScope scope = LogTideScope.current();
                    boolean clean = scope.values().tags().isEmpty() && scope.values().breadcrumbs().isEmpty();
                    scope.setTag("request", id).addBreadcrumb("step " + id);
                    return Mono.delay(Duration.ofMillis(5))
                            .doOnNext(x -> HANDLER_LOG.info("scoped work {}", id))
                            .then(ServerResponse.ok().bodyValue(clean ? "clean" : "dirty"));
                })
                .GET("/health", req -> {
                    HANDLER_LOG.info("health line {}", req.queryParam("probe").orElse(""));
                    return ServerResponse.ok().header("X-Thread", Thread.currentThread().getName())
                            .bodyValue("mdc=" + MDC.get("trace_id") + " context=" + TraceContext.getTraceId());
                })
                .GET("/fail", req -> {
                    HANDLER_LOG.info("about to fail");
                    throw BOOM;
                })
                .GET("/async", req -> Mono.delay(Duration.ofMillis(300))
                        .doOnNext(x -> HANDLER_LOG.info("async work done"))
                        .then(ServerResponse.status(202).bodyValue("done later")))
                .GET("/never", req -> Mono.never())
                .GET("/bad", req -> Mono.error(new IllegalArgumentException("bad order id")))
                .build();
    }

    @Test
    void c15InboundTraceparentTravelsInTheReactorContextToEveryLineAndNotToTheNextRequest() throws Exception {
        HttpResponse<String> traced = get(HTTP, base + "/hello", "traceparent", TRACEPARENT);
        assertEquals(200, traced.statusCode());
        assertEquals(TRACE_ID, traced.headers().firstValue("X-Trace-Id").orElse(null), "echoed");
        HttpResponse<String> next = get(HTTP, base + "/health?probe=c15");
        assertEquals(traced.headers().firstValue("X-Thread"), next.headers().firstValue("X-Thread"),
                "the same event loop thread (one kept-alive connection)");
        assertEquals("mdc=null context=null", next.body(), "nothing of the first request is left on the thread");

        List<JsonNode> lines = await(server, e -> TRACE_ID.equals(e.path("trace_id").asText()), 4);
        for (JsonNode e : lines) {
            assertEquals(PARENT_ID, e.path("span_id").asText(), e::toString);
        }
        JsonNode later = lines.stream().filter(message("price looked up on another thread")).findFirst().orElseThrow();
        assertTrue(later.path("metadata").path("thread").asText().startsWith("parallel-"), later::toString);
        JsonNode response = lines.stream().filter(e -> e.path("message").asText().startsWith("GET /hello 200 ("))
                .findFirst().orElseThrow();
        assertEquals(200, response.path("metadata").path("status").asInt());
        assertEquals("127.0.0.1", lines.stream().filter(message("GET /hello")).findFirst().orElseThrow()
                .path("metadata").path("ip").asText());
        JsonNode healthLine = await(server, message("health line c15"), 1).get(0);
        assertFalse(healthLine.has("trace_id"), healthLine::toString);
    }

    @Test
    void c20_concurrentRequestsEachKeepTheirOwnScopeOnEveryThreadTheyRunOn() throws Exception {
        int requests = 60;
        // A client of its own: the shared one keeps a single connection, which other tests rely on.
        HttpClient concurrent = HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
        for (int i = 0; i < requests; i++) {
            responses.add(concurrent.sendAsync(HttpRequest.newBuilder(URI.create(base + "/scoped?id=" + i)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (java.util.concurrent.CompletableFuture<HttpResponse<String>> r : responses) {
            HttpResponse<String> response = r.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("clean", response.body(), "a request starts with nothing of another request's scope");
        }
        Map<String, String> requestOfTrace = new java.util.HashMap<>();
        for (JsonNode e : await(server, e -> e.path("message").asText().startsWith("scoped work "), requests)) {
            String id = e.path("message").asText().substring("scoped work ".length());
            assertTrue(e.path("metadata").path("thread").asText().startsWith("parallel-"), e::toString);
            assertRequestScope(e, id);
            requestOfTrace.put(e.path("trace_id").asText(), id);
        }
        for (JsonNode e : await(server, e -> e.path("message").asText().startsWith("GET /scoped 200 ("), requests)) {
            assertRequestScope(e, requestOfTrace.get(e.path("trace_id").asText()));
        }
    }

    private static void assertRequestScope(JsonNode entry, String id) {
        JsonNode md = entry.path("metadata");
        assertEquals(id, md.path("tags").path("request").asText(), entry::toString);
        assertEquals(1, md.path("breadcrumbs").size(), entry::toString);
        assertEquals("step " + id, md.path("breadcrumbs").path(0).path("message").asText(), entry::toString);
    }

    @Test
    void unknownPathIsLoggedAsA404AtWarnWithoutAnException() throws Exception {
        assertEquals(404, get(HTTP, base + "/no/such/page").statusCode());
        List<JsonNode> entries = await(server, requestPath("/no/such/page"), 2);
        JsonNode response = entries.stream().filter(e -> e.path("metadata").has("status")).findFirst().orElseThrow();
        assertEquals("warn", response.path("level").asText());
        assertEquals(404, response.path("metadata").path("status").asInt());
        assertFalse(response.path("metadata").has("exception"));
    }

    @Test
    void c27ErrorSignalIsLoggedOnceAtErrorWithTheStructuredExceptionAndPassedOnUnchanged() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/fail", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertEquals(500, r.statusCode());
        assertSame(BOOM, ESCAPED.get("/fail"), "the very exception the handler threw left the filter");
        List<JsonNode> entries = await(server, requestPath("/fail"), 2);
        JsonNode error = entries.stream().filter(e -> e.path("metadata").has("exception")).findFirst().orElseThrow();
        assertEquals("error", error.path("level").asText());
        assertEquals("Request error: GET /fail - checkout exploded", error.path("message").asText());
        assertEquals("0af7651916cd43dd8448eb211c80319c", error.path("trace_id").asText());
        assertEquals("java.lang.IllegalStateException", error.path("metadata").path("exception").path("type").asText());
        assertEquals("0af7651916cd43dd8448eb211c80319c", await(server, message("about to fail"), 1).get(0).path("trace_id").asText());
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/fail")).size());
    }

    @Test
    void anErrorAnExceptionHandlerAnswersBelow500IsLoggedWithTheStatusTheClientGot() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/bad");
        assertEquals(400, r.statusCode());
        assertEquals("bad order id", r.body());
        JsonNode response = await(server, requestPath("/bad").and(e -> e.path("metadata").has("status")), 1).get(0);
        assertEquals(400, response.path("metadata").path("status").asInt());
        assertEquals("warn", response.path("level").asText());
        assertTrue(response.path("message").asText().startsWith("GET /bad 400 ("), response::toString);
        assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), response.path("trace_id").asText());
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/bad")).size(), "request and response, no error entry");
    }

    @Test
    void skipPathsMatchTheDecodedPath() throws Exception {
        assertNotLogged(server, HTTP, base, "after-encoded-skip", "/st%61tic/site.css");
    }

    @Test
    void asyncResponseIsTimedToItsCompletionAndLoggedOnce() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/async");
        assertEquals(202, r.statusCode());
        String id = r.headers().firstValue("X-Trace-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        JsonNode response = await(server, requestPath("/async").and(e -> e.path("metadata").has("status")), 1).get(0);
        assertEquals(202, response.path("metadata").path("status").asInt());
        assertTrue(response.path("metadata").path("duration_ms").asDouble() >= 300, response::toString);
        assertEquals(id, response.path("trace_id").asText());
        assertEquals(id, await(server, message("async work done"), 1).get(0).path("trace_id").asText(),
                "a line on Reactor's parallel thread");
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/async")).size());
    }

    @Test
    void aClientThatGoesAwayIsLoggedAsCancelledOnce() throws Exception {
        HttpClient impatient = dev.logtide.http.testing.HttpTestSupport.http();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/never")).timeout(Duration.ofMillis(500)).GET().build();
        assertThrows(HttpTimeoutException.class, () -> impatient.send(request, HttpResponse.BodyHandlers.ofString()));
        JsonNode cancelled = await(server, requestPath("/never").and(e -> e.path("metadata").has("cancelled")), 1).get(0);
        assertEquals("info", cancelled.path("level").asText());
        assertTrue(cancelled.path("message").asText().startsWith("GET /never cancelled ("), cancelled::toString);
        Thread.sleep(300);
        assertEquals(2, matching(server, requestPath("/never")).size());
    }

    @Test
    void healthChecksAndSkipPathsAreNotLogged() throws Exception {
        assertEquals(200, get(HTTP, base + "/health").statusCode());
        assertEquals(404, get(HTTP, base + "/static/site.css").statusCode());
        assertEquals(200, get(HTTP, base + "/hello", "User-Agent", "after-skips").statusCode());
        await(server, message("GET /hello").and(e -> "after-skips".equals(e.path("metadata").path("user_agent").asText())), 1);
        assertTrue(matching(server, requestPath("/health")).isEmpty());
        assertTrue(matching(server, requestPath("/static/site.css")).isEmpty());
    }

    @Test
    void queryStringAndCredentialsAreNeverSentButAllowListedHeadersAre() throws Exception {
        HttpResponse<String> r = get(HTTP, base + "/hello?token=QUERYSECRET",
                "Authorization", "Bearer AUTHSECRET", "Cookie", "session=COOKIESECRET", "X-Tenant", "acme");
        String id = r.headers().firstValue("X-Trace-Id").orElseThrow();
        JsonNode request = await(server, message("GET /hello").and(e -> id.equals(e.path("trace_id").asText())), 1).get(0);
        assertEquals("acme", request.path("metadata").path("headers").path("x-tenant").asText());
        assertEquals(1, request.path("metadata").path("headers").size());
        await(server, e -> id.equals(e.path("trace_id").asText()), 4);
        assertNothingContains(server, "QUERYSECRET", "AUTHSECRET", "COOKIESECRET");
    }

    @Test
    void withAClientEntriesCarryTheFilterServiceAndTheQueryWhenEnabled() throws Exception {
        String traceId = TRACE_ID.replace("4bf9", "6bf9");
        assertEquals(200, get(HTTP, clientBase + "/hello?page=2", "traceparent", TRACEPARENT.replace("4bf9", "6bf9")).statusCode());
        List<JsonNode> entries = await(server, e -> traceId.equals(e.path("trace_id").asText()), 4);
        JsonNode request = entries.stream().filter(message("GET /hello")).findFirst().orElseThrow();
        assertEquals("orders-api", request.path("service").asText());
        assertEquals("page=2", request.path("metadata").path("query").asText());
        assertEquals(PARENT_ID, request.path("span_id").asText());
        JsonNode line = entries.stream().filter(message("price looked up on another thread")).findFirst().orElseThrow();
        assertEquals("shop", line.path("service").asText(), "the application's lines still go through its appender");
        assertNotEquals("orders-api", line.path("service").asText());
    }
}
