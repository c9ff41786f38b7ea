package dev.logtide.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogTideScope;
import dev.logtide.testing.IngestServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.logtide.http.testing.HttpTestSupport.await;
import static dev.logtide.http.testing.HttpTestSupport.configureLogback;
import static dev.logtide.http.testing.HttpTestSupport.stopLogback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract C20 through the servlet filter: many concurrent requests in a real embedded Tomcat
 * with a pool of request threads, each setting its own tag, user and breadcrumb on
 * {@code LogTideScope.current()} and logging through SLF4J and LogTide's Logback appender
 * (http-logback.xml). Every entry must carry its own request's values and no other's, the
 * filter's response and error entries included.
 */
class ServletScopeTest {
    private static final Logger HANDLER_LOG = LoggerFactory.getLogger("shop.Handler");
    private static final int REQUESTS = 200;

    private static IngestServer server;
    private static EmbeddedTomcat tomcat;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new IngestServer();
        configureLogback("http-logback.xml", server);
        tomcat = new EmbeddedTomcat(6);
        tomcat.context("", (classes, ctx) -> {
            FilterRegistration.Dynamic f = ctx.addFilter("logtide", LogTideFilter.class);
            f.setAsyncSupported(true);
            f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR), true, "/*");
            ctx.addServlet("work", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    String id = req.getParameter("id");
                    LogTideScope scope = LogTideScope.current();
                    boolean clean = scope.values().tags().isEmpty() && scope.values().breadcrumbs().isEmpty();
                    scope.setTag("request", id).setUser(LogTideScope.User.id("user-" + id)).addBreadcrumb("step " + id);
                    Thread.yield(); // let other requests set theirs in between
                    if (id.endsWith("7")) {
                        throw new IllegalStateException("request " + id + " failed");
                    }
                    HANDLER_LOG.info("work {}", id);
                    resp.getWriter().write(clean ? "clean" : "dirty");
                }
            }).addMapping("/work");
        });
        base = tomcat.start();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
        stopLogback();
        server.close();
    }

    @Test
    void c20_concurrentRequestsThroughTheFilterEachKeepTheirOwnScope() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/work?id=" + i)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int failed = 0;
        for (CompletableFuture<HttpResponse<String>> r : responses) {
            HttpResponse<String> response = r.get(60, TimeUnit.SECONDS);
            if (response.statusCode() == 500) {
                failed++;
            } else {
                assertEquals("clean", response.body(), "a request starts with nothing of the thread's earlier requests");
            }
        }
        assertEquals(REQUESTS / 10, failed);

        List<JsonNode> work = await(server, e -> e.path("message").asText().startsWith("work "), REQUESTS - failed);
        Map<String, String> requestOfTrace = new HashMap<>();
        for (JsonNode e : work) {
            String id = e.path("message").asText().substring("work ".length());
            assertRequestScope(e, id);
            requestOfTrace.put(e.path("trace_id").asText(), id);
        }
        // The filter's response entry is logged inside the request's scope too.
        List<JsonNode> ok = await(server, e -> e.path("message").asText().startsWith("GET /work 200 ("), REQUESTS - failed);
        for (JsonNode e : ok) {
            assertRequestScope(e, requestOfTrace.get(e.path("trace_id").asText()));
        }
        // The error entry of a failed request (C27) carries its scope, breadcrumbs included.
        List<JsonNode> errors = await(server, e -> "error".equals(e.path("level").asText())
                && e.path("metadata").has("exception"), failed);
        for (JsonNode e : errors) {
            String message = e.path("metadata").path("exception").path("message").asText();
            assertTrue(message.matches("request \\d+ failed"), message);
            assertRequestScope(e, message.split(" ")[1]);
        }
        // The request entry is logged when the request arrives, before the application sets anything.
        for (JsonNode e : server.entries()) {
            if (e.path("message").asText().equals("GET /work")) {
                assertFalse(e.path("metadata").has("tags") || e.path("metadata").has("user"), e::toString);
            }
        }
    }

    private static void assertRequestScope(JsonNode entry, String id) {
        JsonNode md = entry.path("metadata");
        assertEquals(id, md.path("tags").path("request").asText(), entry::toString);
        assertEquals("user-" + id, md.path("user").path("id").asText(), entry::toString);
        assertEquals(1, md.path("breadcrumbs").size(), entry::toString);
        assertEquals("step " + id, md.path("breadcrumbs").path(0).path("message").asText(), entry::toString);
    }
}
