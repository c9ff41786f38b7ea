package dev.logtide.query;

import dev.logtide.LogLevel;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.logtide.query.ServerShapes.KEY;
import static dev.logtide.query.ServerShapes.json;
import static dev.logtide.query.ServerShapes.log;
import static dev.logtide.query.ServerShapes.page;
import static dev.logtide.query.ServerShapes.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryClientTest {
    static final OkHttpClient HTTP = new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS).build();

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final List<String> diagnostics = new ArrayList<>();

    private QueryClient client(String basePath) {
        return new QueryClient(HTTP, server.url(basePath).toString(), KEY, ServerShapes.collecting(diagnostics));
    }

    private QueryClient client() {
        return client("/");
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertTrue(request != null, "no request reached the server");
        assertEquals(KEY, request.getHeaders().get("X-API-Key"));
        assertFalse(request.getUrl().toString().contains(KEY), "the key must never be in a URL");
        return request;
    }

    @Test
    void queryEncodesEveryParameterAsTheServerExpects() throws Exception {
        server.enqueue(json(page(null)));
        client().query(QueryOptions.builder()
                .service("api", "worker").level(LogLevel.ERROR).level(LogLevel.CRITICAL)
                .from(Instant.parse("2025-01-15T10:30:00.123456789Z")).to(Instant.parse("2025-01-15T11:00:00Z"))
                .traceId("trace-1").q("time out+retry & café").searchMode(SearchMode.SUBSTRING)
                .limit(1000).offset(20).cursor("opaque/cursor=")
                .build());

        RecordedRequest request = take();
        HttpUrl url = request.getUrl();
        assertEquals("GET", request.getMethod());
        assertEquals("/api/v1/logs", url.encodedPath());
        assertEquals(Arrays.asList("api", "worker"), url.queryParameterValues("service"));
        assertEquals(Arrays.asList("error", "critical"), url.queryParameterValues("level"));
        assertEquals("2025-01-15T10:30:00.123Z", url.queryParameter("from"));
        assertEquals("2025-01-15T11:00:00.000Z", url.queryParameter("to"));
        assertEquals("trace-1", url.queryParameter("traceId"));
        assertEquals("time out+retry & café", url.queryParameter("q"));
        // A literal '+' must not turn into a space in the server's query-string parser.
        assertTrue(url.encodedQuery().contains("q=time%20out%2Bretry%20%26%20caf%C3%A9"), url.encodedQuery());
        assertEquals("substring", url.queryParameter("searchMode"));
        assertEquals("1000", url.queryParameter("limit"));
        assertEquals("20", url.queryParameter("offset"));
        assertEquals("opaque/cursor=", url.queryParameter("cursor"));
        assertEquals("application/json", request.getHeaders().get("Accept"));
    }

    @Test
    void queryWithoutFiltersSendsNoParameters() throws Exception {
        server.enqueue(json(page(null)));
        client().query(QueryOptions.builder().build());
        assertNull(take().getUrl().encodedQuery());
    }

    @Test
    void queryTurnsTheAnswerIntoTypedRecords() {
        server.enqueue(json("{\"logs\":[" + log(1, "2025-01-15T10:30:00.123Z", "error", "boom") + ","
                + "{\"id\":\"" + uuid(2) + "\",\"time\":\"2025-01-15T10:29:59Z\",\"projectId\":\"p\",\"service\":\"db\","
                + "\"level\":\"info\",\"message\":\"m\",\"metadata\":null,\"traceId\":null,\"sessionId\":null}],"
                + "\"total\":\"1234\",\"hasMore\":true,\"limit\":2,\"offset\":0,\"nextCursor\":\"c2\"}"));

        LogsResponse response = client().query(QueryOptions.builder().limit(2).build());

        assertEquals(1234, response.total());
        assertEquals(2, response.limit());
        assertEquals(0, response.offset());
        assertEquals(Optional.of("c2"), response.nextCursor());
        LogRecord first = response.logs().get(0);
        assertEquals(uuid(1), first.id());
        assertEquals(Instant.parse("2025-01-15T10:30:00.123Z"), first.time());
        assertEquals("api", first.service());
        assertEquals(LogLevel.ERROR, first.level());
        assertEquals("boom", first.message());
        assertEquals("trace-1", first.traceId());
        assertEquals("7d3f2c1b-0000-4000-8000-000000000001", first.projectId());
        Map<String, Object> metadata = first.metadata();
        assertEquals(42, ((Map<?, ?>) metadata.get("user")).get("id"));
        assertEquals(Arrays.asList("a", "b"), metadata.get("tags"));
        assertEquals(true, metadata.get("ok"));
        assertEquals(0.5, metadata.get("ratio"));
        assertTrue(metadata.containsKey("none"));
        assertNull(metadata.get("none"));
        assertThrows(UnsupportedOperationException.class, () -> metadata.put("x", 1));
        LogRecord second = response.logs().get(1);
        assertTrue(second.metadata().isEmpty());
        assertNull(second.traceId());
    }

    @Test
    void anAnswerWithoutNextCursorIsTheLastPage() {
        server.enqueue(json("{\"logs\":[],\"total\":0,\"limit\":100,\"offset\":0}"));
        LogsResponse response = client().query(QueryOptions.builder().build());
        assertEquals(Optional.empty(), response.nextCursor());
        assertTrue(response.logs().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/logtide", "/logtide/", "/proxy/logtide"})
    void everyRouteKeepsTheBasePathAndPort(String basePath) throws Exception {
        String prefix = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        QueryClient client = client(basePath);
        server.enqueue(json(page(null)));
        server.enqueue(json("{\"logs\":[]}"));
        server.enqueue(json("{\"log\":" + log(1, "2025-01-15T10:30:00Z", "info", "m") + "}"));
        server.enqueue(json("{\"timeseries\":[]}"));

        client.query(QueryOptions.builder().build());
        client.getByTraceId("t1");
        client.getLog(uuid(1));
        client.getAggregatedStats(AggregatedStatsOptions.builder()
                .from(Instant.parse("2025-01-01T00:00:00Z")).to(Instant.parse("2025-01-02T00:00:00Z")).build());

        for (String path : Arrays.asList("/api/v1/logs", "/api/v1/logs/trace/t1", "/api/v1/logs/" + uuid(1),
                "/api/v1/logs/aggregated")) {
            RecordedRequest request = take();
            assertEquals(prefix + path, request.getUrl().encodedPath());
            assertEquals(server.getPort(), request.getUrl().port());
        }
    }

    @Test
    void queryAllFollowsNextCursorLazily() throws Exception {
        server.enqueue(json(page("c1", log(1, "2025-01-15T10:30:03Z", "info", "a"), log(2, "2025-01-15T10:30:02Z", "info", "b"))));
        server.enqueue(json(page("c2", log(3, "2025-01-15T10:30:01Z", "info", "c"))));
        server.enqueue(json(page(null, log(4, "2025-01-15T10:30:00Z", "info", "d"))));
        QueryOptions options = QueryOptions.builder().service("api").limit(2).offset(5).build();

        Iterator<LogRecord> all = client().queryAll(options).iterator();
        assertEquals(0, server.getRequestCount(), "nothing is fetched before the stream is used");
        assertEquals(uuid(1), all.next().id());
        assertEquals(uuid(2), all.next().id());
        assertEquals(1, server.getRequestCount(), "the second page is fetched only when needed");
        List<String> rest = new ArrayList<>();
        all.forEachRemaining(r -> rest.add(r.id()));
        assertEquals(Arrays.asList(uuid(3), uuid(4)), rest);
        assertEquals(3, server.getRequestCount());

        HttpUrl first = take().getUrl();
        assertNull(first.queryParameter("cursor"));
        assertEquals("5", first.queryParameter("offset"));
        HttpUrl second = take().getUrl();
        assertEquals("c1", second.queryParameter("cursor"));
        assertNull(second.queryParameter("offset"), "a cursor replaces the offset");
        assertEquals("api", second.queryParameter("service"));
        assertEquals("2", second.queryParameter("limit"));
        assertEquals("c2", take().getUrl().queryParameter("cursor"));
    }

    @Test
    void queryAllStopsEarlyWithLimitAndOnACursorThatDoesNotMove() {
        server.enqueue(json(page("same", log(1, "2025-01-15T10:30:01Z", "info", "a"))));
        server.enqueue(json(page("same", log(2, "2025-01-15T10:30:00Z", "info", "b"))));
        server.enqueue(json(page("same", log(3, "2025-01-15T10:29:00Z", "info", "c"))));

        assertEquals(1, client().queryAll(QueryOptions.builder().build()).limit(1).count());
        assertEquals(1, server.getRequestCount());

        List<String> ids = client().queryAll(QueryOptions.builder().build()).map(LogRecord::id).collect(Collectors.toList());
        assertEquals(Arrays.asList(uuid(2), uuid(3)), ids, "the page that repeats its cursor is the last one read");
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void aFailedPageThrowsFromTheStream() {
        server.enqueue(json(page("c1", log(1, "2025-01-15T10:30:01Z", "info", "a"))));
        server.enqueue(json(500, "{\"error\":\"Internal Server Error\",\"message\":\"db down\"}"));
        Iterator<LogRecord> all = client().queryAll(QueryOptions.builder().build()).iterator();
        all.next();
        LogTideApiException e = assertThrows(LogTideApiException.class, all::hasNext);
        assertEquals(500, e.status());
        assertEquals("db down", e.serverMessage());
    }

    @Test
    void getByTraceIdEncodesOnePathSegmentAndUnwrapsLogs() throws Exception {
        server.enqueue(json("{\"logs\":[" + log(1, "2025-01-15T10:30:00Z", "info", "a") + ","
                + log(2, "2025-01-15T10:30:01Z", "warn", "b") + "]}"));

        List<LogRecord> logs = client().getByTraceId("a/b c?d#e%f");

        assertEquals(Arrays.asList(uuid(1), uuid(2)), logs.stream().map(LogRecord::id).collect(Collectors.toList()));
        assertEquals(LogLevel.WARN, logs.get(1).level());
        HttpUrl url = take().getUrl();
        assertEquals("/api/v1/logs/trace/a%2Fb%20c%3Fd%23e%25f", url.encodedPath());
        assertEquals(Arrays.asList("api", "v1", "logs", "trace", "a/b c?d#e%f"), url.pathSegments());
    }

    @Test
    void getByTraceIdRejectsIdsAPathCannotCarry() {
        for (String bad : Arrays.asList("", "  ", ".", "..")) {
            assertThrows(IllegalArgumentException.class, () -> client().getByTraceId(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> client().getByTraceId(null));
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void getLogUnwrapsTheLogAndIsEmptyOn404() throws Exception {
        server.enqueue(json("{\"log\":" + log(7, "2025-01-15T10:30:00Z", "critical", "down") + "}"));
        server.enqueue(json(404, "{\"error\":\"Log not found\"}"));

        Optional<LogRecord> found = client().getLog(uuid(7));
        assertEquals(LogLevel.CRITICAL, found.orElseThrow(AssertionError::new).level());
        assertEquals(Optional.empty(), client().getLog(uuid(8)));
        assertEquals("/api/v1/logs/" + uuid(7), take().getUrl().encodedPath());
        assertEquals("/api/v1/logs/" + uuid(8), take().getUrl().encodedPath());
    }

    @Test
    void aWrongBasePathIsAnErrorNotAMissingLog() {
        server.enqueue(json(404, "{\"message\":\"Route GET:/api/v1/logs/" + uuid(7) + " not found\",\"error\":\"Not Found\",\"statusCode\":404}"));
        LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().getLog(uuid(7)));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("check that apiUrl (with its base path) points at the LogTide API"), e.getMessage());
    }

    @Test
    void aRateLimitSaysWhenToRetry() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "52").addHeader("Content-Type", "application/json")
                .body("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded, retry in 1 minute\"}").build());
        LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().getByTraceId("t"));
        assertEquals(429, e.status());
        assertTrue(e.getMessage().contains("answered 429: rate limited, retry after 52 s (Too Many Requests: Rate limit exceeded"),
                e.getMessage());
    }

    @Test
    void getLogRejectsAnIdThatIsNotAUuidWithoutARequest() {
        // "stream", "aggregated", "context" are sibling routes: they must never be reached as an id.
        for (String bad : Arrays.asList("stream", "aggregated", "1", "../ingest", "0b7c1e2a-5d4f-4c3b-9a8e")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client().getLog(bad));
            assertTrue(e.getMessage().contains("UUID"), e.getMessage());
        }
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void aggregatedStatsSendsRangeIntervalAndServiceAndTypesTheBuckets() throws Exception {
        server.enqueue(json("{\"timeseries\":["
                + "{\"bucket\":\"2025-01-15T10:00:00.000Z\",\"total\":12,\"by_level\":{\"info\":10,\"error\":2}},"
                + "{\"bucket\":\"2025-01-15T11:00:00+00:00\",\"total\":\"3\",\"by_level\":{\"warn\":\"3\"}},"
                + "{\"bucket\":\"2025-01-15T12:00:00.000Z\",\"total\":0,\"by_level\":{}}]}"));

        AggregatedStats stats = client().getAggregatedStats(AggregatedStatsOptions.builder()
                .from(Instant.parse("2025-01-15T10:00:00Z")).to(Instant.parse("2025-01-15T13:00:00Z"))
                .interval(StatsInterval.FIVE_MINUTES).service("api").build());

        HttpUrl url = take().getUrl();
        assertEquals("/api/v1/logs/aggregated", url.encodedPath());
        assertEquals("2025-01-15T10:00:00.000Z", url.queryParameter("from"));
        assertEquals("2025-01-15T13:00:00.000Z", url.queryParameter("to"));
        assertEquals("5m", url.queryParameter("interval"));
        assertEquals("api", url.queryParameter("service"));

        List<StatsBucket> buckets = stats.timeseries();
        assertEquals(3, buckets.size());
        assertEquals(Instant.parse("2025-01-15T10:00:00Z"), buckets.get(0).bucket());
        assertEquals(12, buckets.get(0).total());
        assertEquals(10, buckets.get(0).count(LogLevel.INFO));
        assertEquals(2, buckets.get(0).byLevel().get(LogLevel.ERROR));
        assertEquals(0, buckets.get(0).count(LogLevel.DEBUG));
        assertEquals(Instant.parse("2025-01-15T11:00:00Z"), buckets.get(1).bucket());
        assertEquals(3, buckets.get(1).total());
        assertEquals(3, buckets.get(1).count(LogLevel.WARN));
        assertTrue(buckets.get(2).byLevel().isEmpty());
    }

    @Test
    void statsIntervalsAreTheServersFour() {
        assertEquals(Arrays.asList("1m", "5m", "1h", "1d"),
                Arrays.stream(StatsInterval.values()).map(StatsInterval::wireName).collect(Collectors.toList()));
        assertEquals(StatsInterval.ONE_HOUR, AggregatedStatsOptions.builder().from(Instant.EPOCH).to(Instant.EPOCH).build().interval());
    }

    @Test
    void a401SaysTheKeyWasRejectedWithoutPrintingIt() {
        server.enqueue(ServerShapes.invalidKey());
        LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().query(QueryOptions.builder().build()));
        assertEquals(401, e.status());
        assertEquals("Unauthorized", e.error());
        assertEquals("Invalid API key", e.serverMessage());
        assertTrue(e.getMessage().contains("API key was rejected"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid API key"), e.getMessage());
        assertTrue(e.getMessage().contains(server.url("/api/v1/logs").toString()), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        assertFalse(e.toString().contains(KEY));
        assertFalse(client().toString().contains(KEY));
    }

    @Test
    void a403SaysTheReadWasRefusedWithTheServersReason() {
        server.enqueue(ServerShapes.forbidden());
        LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().getByTraceId("t"));
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("refused to let this API key read logs (Forbidden: Access denied by policy)"), e.getMessage());
    }

    @Test
    void aServerErrorKeepsTheStatusAndTheStartOfABodyThatIsNotJson() {
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                .body("<html>\n<body>Bad   gateway</body></html>").build());
        LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().query(QueryOptions.builder().build()));
        assertEquals(502, e.status());
        assertNull(e.error());
        assertEquals("<html> <body>Bad gateway</body></html>", e.serverMessage());
    }

    @Test
    void aValidationErrorCarriesTheServersExplanation() {
        server.enqueue(json(400, "{\"statusCode\":400,\"code\":\"FST_ERR_VALIDATION\",\"error\":\"Bad Request\","
                + "\"message\":\"querystring/level must be equal to one of the allowed values\"}"));
        LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().query(QueryOptions.builder().build()));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().endsWith("(Bad Request: querystring/level must be equal to one of the allowed values)"),
                e.getMessage());
    }

    @Test
    void aMalformedJsonAnswerIsAClearError() {
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html").body("<html>login</html>").build());
        LogTideQueryException e = assertThrows(LogTideQueryException.class, () -> client().query(QueryOptions.builder().build()));
        assertFalse(e instanceof LogTideApiException);
        assertTrue(e.getMessage().contains("answered 200 with a body that is not JSON (Content-Type text/html)"), e.getMessage());
        assertEquals(server.url("/api/v1/logs").toString(), e.url());
    }

    @Test
    void anAnswerOfTheWrongShapeNamesTheField() {
        server.enqueue(json("{\"logs\":{}}"));
        server.enqueue(json("{\"logs\":[{\"id\":\"x\",\"time\":\"yesterday\",\"service\":\"a\",\"level\":\"info\",\"message\":\"m\"}]}"));
        server.enqueue(json("{\"logs\":[{\"id\":\"x\",\"time\":\"2025-01-15T10:30:00Z\",\"service\":\"a\",\"level\":\"loud\",\"message\":\"m\"}]}"));
        server.enqueue(json("[]"));
        server.enqueue(json("{\"timeseries\":[{\"bucket\":\"2025-01-15T10:00:00Z\",\"total\":1.5}]}"));

        assertShapeError("logs is missing or not an array", () -> client().query(QueryOptions.builder().build()));
        assertShapeError("logs[0].time is not an ISO-8601 date-time: \"yesterday\"", () -> client().query(QueryOptions.builder().build()));
        assertShapeError("logs[0].level is not a LogTide level: \"loud\"", () -> client().getByTraceId("t"));
        assertShapeError("the answer is missing or not a JSON object", () -> client().getByTraceId("t"));
        assertShapeError("timeseries[0].total is missing or not a whole number", () -> client().getAggregatedStats(
                AggregatedStatsOptions.builder().from(Instant.EPOCH).to(Instant.EPOCH).build()));
    }

    private static void assertShapeError(String detail, org.junit.jupiter.api.function.Executable call) {
        LogTideQueryException e = assertThrows(LogTideQueryException.class, call);
        assertTrue(e.getMessage().contains("with JSON of an unexpected shape: " + detail), e.getMessage());
    }

    @Test
    void aNetworkErrorNamesTheUrlAndNotTheKey() throws Exception {
        String url = server.url("/logtide").toString();
        server.close();
        QueryClient client = new QueryClient(HTTP, url, KEY, ServerShapes.collecting(diagnostics));
        LogTideQueryException e = assertThrows(LogTideQueryException.class, () -> client.query(QueryOptions.builder().q("x").build()));
        assertInstanceOf(java.io.IOException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("GET " + url + "/api/v1/logs?q=x failed: "), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    /** Issue 22 row 2, query side: an error page that echoes the key, or pieces of it, across the cut. */
    @Test
    void serverTextIsRedactedBeforeItIsCutAndCannotForgeLines() {
        String padding = new String(new char[190]).replace('\0', 'x');
        server.enqueue(json(500, "{\"error\":\"Internal\",\"message\":\"" + padding + KEY
                + " you sent X-API-Key: " + KEY.substring(3, 12) + "\\n[logtide] INFO forged\"}"));
        server.enqueue(new MockResponse.Builder().code(502).body("<html>proxy saw " + KEY + "\r\n[logtide] INFO forged</html>").build());
        for (int i = 0; i < 2; i++) {
            LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().query(QueryOptions.builder().build()));
            for (int start = 0; start + 6 <= KEY.length(); start++) {
                assertFalse(e.getMessage().contains(KEY.substring(start, start + 6)), e.getMessage());
                assertFalse(String.valueOf(e.serverMessage()).contains(KEY.substring(start, start + 6)), e.serverMessage());
            }
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
        }
    }

    /**
     * Issue 22 row 1, query side, for a QueryClient built without ClientOptions (which refuses such
     * a key): OkHttp's own error would print the key whole.
     */
    @Test
    void aKeyAHeaderCannotCarryFailsWithoutPrintingIt() throws Exception {
        String pasted = "lp_EXAMPLEKEY\u00a0";
        QueryClient client = new QueryClient(HTTP, server.url("/").toString(), pasted, null);

        LogTideQueryException sync = assertThrows(LogTideQueryException.class, () -> client.query(QueryOptions.builder().build()));
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.getAggregatedStatsAsync(AggregatedStatsOptions.builder().from(Instant.EPOCH)
                        .to(Instant.parse("2030-01-01T00:00:00Z")).build()).get(10, TimeUnit.SECONDS));
        java.util.concurrent.BlockingQueue<Throwable> tailErrors = new java.util.concurrent.LinkedBlockingQueue<>();
        LiveTail tail = client.stream(r -> { }, tailErrors::add, null);
        Throwable stopped = tailErrors.poll(10, TimeUnit.SECONDS);
        assertTrue(tail.awaitTermination(10, TimeUnit.SECONDS));

        for (Throwable e : Arrays.asList(sync, async.getCause(), stopped)) {
            assertInstanceOf(LogTideQueryException.class, e);
            assertTrue(e.getMessage().contains("the API key has a character an HTTP header cannot carry"), e.getMessage());
            assertFalse(e.getMessage().contains("EXAMPLEKEY"), e.getMessage());
        }
        assertEquals(0, server.getRequestCount(), "nothing was sent");
    }

    @Test
    void redirectsAreNotFollowedSoTheKeyStaysWithApiUrl() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start();
            elsewhere.enqueue(json(page(null)));
            server.enqueue(new MockResponse.Builder().code(302)
                    .addHeader("Location", elsewhere.url("/api/v1/logs").toString()).build());

            LogTideApiException e = assertThrows(LogTideApiException.class, () -> client().query(QueryOptions.builder().build()));
            assertEquals(302, e.status());
            assertTrue(e.getMessage().contains("redirect to " + elsewhere.url("/api/v1/logs")), e.getMessage());
            assertEquals(0, elsewhere.getRequestCount());
        }
    }

    @Test
    void optionsAreValidatedWithTheOptionsName() {
        assertMessage("limit must be between 1 and 1000, was 0", () -> QueryOptions.builder().limit(0).build());
        assertMessage("limit must be between 1 and 1000, was 1001", () -> QueryOptions.builder().limit(1001).build());
        assertMessage("offset must not be negative, was -1", () -> QueryOptions.builder().offset(-1).build());
        assertMessage("service must not be null or blank", () -> QueryOptions.builder().service(" ").build());
        assertMessage("level must not be null", () -> QueryOptions.builder().level((LogLevel) null).build());
        assertMessage("from (1970-01-01T00:00:01Z) must not be after to (1970-01-01T00:00:00Z)",
                () -> QueryOptions.builder().from(Instant.ofEpochSecond(1)).to(Instant.EPOCH).build());
        assertMessage("from is required", () -> AggregatedStatsOptions.builder().to(Instant.EPOCH).build());
        assertMessage("to is required", () -> AggregatedStatsOptions.builder().from(Instant.EPOCH).build());
        assertMessage("maxBackfill must be between 0 and 10000, was 10001", () -> LiveTailOptions.builder().maxBackfill(10_001).build());
        assertMessage("catchUpWindow must not be negative, was PT-1S", () -> LiveTailOptions.builder().catchUpWindow(Duration.ofSeconds(-1)).build());
        assertMessage("reconnectDelay must be positive, was PT0S",
                () -> LiveTailOptions.builder().reconnectDelay(java.time.Duration.ZERO).build());
        assertMessage("apiKey is required to read logs", () -> new QueryClient(HTTP, "http://localhost", " ", null));
        assertMessage("apiUrl must be an http:// or https:// URL", () -> new QueryClient(HTTP, "ftp://x", KEY, null));
        assertEquals(QueryOptions.builder().limit(1).build(), QueryOptions.builder().limit(1).build().toBuilder().build());
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable build) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, build).getMessage());
    }
}
