package dev.logtide.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static dev.logtide.http.testing.HttpTestSupport.await;
import static dev.logtide.http.testing.HttpTestSupport.matching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The options that shape entries, through a real client to a loopback ingest endpoint, with
 * the request given as the filters give it (method, path, query, peer address, headers).
 */
class HttpLoggingTest {
    private IngestServer server;
    private LogTideClient client;
    private final List<String> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = new IngestServer();
        client = new LogTideClient(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .service("client-default").flushIntervalMs(50).registerShutdownHook(false)
                .diagnosticListener((severity, message, error) -> reports.add(severity + " " + message)).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static Function<String, String> headers(String... nameValue) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i].toLowerCase(Locale.ROOT), nameValue[i + 1]);
        }
        return name -> m.get(name.toLowerCase(Locale.ROOT));
    }

    private HttpLogging logging(HttpLogOptions.Builder options) {
        return new HttpLogging(options.client(client).build(), null);
    }

    @Test
    void levelFollowsTheStatusAndTheServiceIsTheFiltersOrTheClients() throws Exception {
        HttpLogging named = logging(HttpLogOptions.builder().serviceName("orders-api").logRequests(false));
        for (int status : new int[] {200, 302, 404, 503}) {
            named.start("GET", "/s" + status, null, "10.0.0.1", headers()).complete(status, 42, null);
        }
        logging(HttpLogOptions.builder().logRequests(false)).start("PUT", "/default", null, null, headers()).complete(204, -1, null);
        List<JsonNode> entries = await(server, e -> e.path("metadata").has("status"), 5);
        Map<String, String> levels = new HashMap<>();
        for (JsonNode e : entries) {
            levels.put(e.path("metadata").path("path").asText(), e.path("level").asText());
        }
        assertEquals(Map.of("/s200", "info", "/s302", "info", "/s404", "warn", "/s503", "error", "/default", "info"), levels);
        JsonNode ok = entries.stream().filter(e -> "/s200".equals(e.path("metadata").path("path").asText())).findFirst().orElseThrow();
        assertEquals("orders-api", ok.path("service").asText());
        assertEquals(42, ok.path("metadata").path("response_size").asInt());
        assertEquals("dev.logtide.http", ok.path("metadata").path("logger").asText());
        JsonNode other = entries.stream().filter(e -> "/default".equals(e.path("metadata").path("path").asText())).findFirst().orElseThrow();
        assertEquals("client-default", other.path("service").asText());
        assertFalse(other.path("metadata").has("response_size"), "unknown size is left out");
        assertTrue(other.path("message").asText().startsWith("PUT /default 204 ("), other::toString);
    }

    @Test
    void clientAddressComesFromTheConnectionUnlessForwardedForIsTrustedAndCanBeLeftOut() throws Exception {
        Function<String, String> proxied = headers("X-Forwarded-For", " 203.0.113.7 , 10.0.0.1");
        logging(HttpLogOptions.builder()).start("GET", "/peer", null, "10.0.0.1", proxied);
        logging(HttpLogOptions.builder().trustForwardedFor(true)).start("GET", "/forwarded", null, "10.0.0.1", proxied);
        logging(HttpLogOptions.builder().trustForwardedFor(true)).start("GET", "/forwarded-absent", null, "10.0.0.2", headers());
        logging(HttpLogOptions.builder().logClientAddress(false)).start("GET", "/anonymous", null, "10.0.0.1", proxied);
        List<JsonNode> entries = await(server, e -> true, 4);
        Map<String, String> ips = new HashMap<>();
        for (JsonNode e : entries) {
            ips.put(e.path("metadata").path("path").asText(), e.path("metadata").path("ip").asText(null));
        }
        assertEquals("10.0.0.1", ips.get("/peer"));
        assertEquals("203.0.113.7", ips.get("/forwarded"));
        assertEquals("10.0.0.2", ips.get("/forwarded-absent"));
        assertNull(ips.get("/anonymous"));
        assertTrue(ips.containsKey("/anonymous"));
    }

    @Test
    void withoutAutoTraceIdARequestWithoutIdsHasNoTraceAndLeavesTheThreadAlone() throws Exception {
        HttpLogging logging = logging(HttpLogOptions.builder().autoTraceId(false));
        HttpExchange exchange = logging.start("GET", "/untraced", null, null, headers());
        assertNull(exchange.trace());
        assertNull(exchange.open());
        assertNull(TraceContext.getTraceId());
        exchange.complete(200, -1, null);
        for (JsonNode e : await(server, e -> true, 2)) {
            assertFalse(e.has("trace_id"), e::toString);
        }
    }

    @Test
    void theOutcomeIsLoggedOnceWhicheverWayItEnds() throws Exception {
        HttpExchange exchange = logging(HttpLogOptions.builder().logRequests(false)).start("GET", "/once", null, null, headers());
        assertTrue(exchange.complete(500, -1, new IllegalStateException("first")));
        assertFalse(exchange.complete(200, -1, null));
        assertFalse(exchange.cancelled());
        JsonNode error = await(server, e -> true, 1).get(0);
        assertEquals("Request error: GET /once - first", error.path("message").asText());
        assertEquals("java.lang.IllegalStateException", error.path("metadata").path("exception").path("type").asText());
        Thread.sleep(200);
        assertEquals(1, server.entries().size());
    }

    @Test
    void logResponsesOffKeepsErrorsAndTheScopeRestoresWhatTheThreadHad() throws Exception {
        HttpLogging logging = logging(HttpLogOptions.builder().logRequests(false).logResponses(false));
        try (TraceContext.Scope outer = TraceContext.withTraceId("outer-id")) {
            HttpExchange quiet = logging.start("GET", "/quiet", null, null, headers("X-Request-Id", "req-7"));
            TraceIds.Scope scope = quiet.open();
            assertEquals("req-7", TraceContext.getTraceId());
            quiet.close(scope);
            assertEquals("outer-id", TraceContext.getTraceId());
            quiet.complete(200, -1, null);
            quiet.cancelled();
        }
        logging.start("GET", "/broken", null, null, headers()).complete(0, -1, new RuntimeException());
        JsonNode error = await(server, e -> true, 1).get(0);
        assertEquals("Request error: GET /broken - java.lang.RuntimeException", error.path("message").asText());
        assertTrue(matching(server, e -> "/quiet".equals(e.path("metadata").path("path").asText())).isEmpty());
    }

    @Test
    void aFailureWhileStartingIsCountedAndReportedAndTheRequestGoesOnUnlogged() {
        HttpLogOptions options = HttpLogOptions.builder().client(client).build();
        HttpLogging logging = new HttpLogging(options, (severity, message, error) -> reports.add(severity + " " + message));
        HttpExchange exchange = logging.start("GET", "/x", null, null, name -> {
            throw new IllegalStateException("headers are gone");
        });
        assertNull(exchange);
        assertEquals(1, logging.failureCount());
        assertTrue(reports.contains("WARN HTTP request logging failed: java.lang.IllegalStateException"), reports::toString);
    }
}
