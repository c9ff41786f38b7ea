package dev.logtide.query;

import dev.logtide.AsyncLogTideClient;
import dev.logtide.ClientOptions;
import dev.logtide.LogLevel;
import dev.logtide.LogMethods;
import dev.logtide.LogTideClient;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.logtide.query.ServerShapes.KEY;
import static dev.logtide.query.ServerShapes.json;
import static dev.logtide.query.ServerShapes.log;
import static dev.logtide.query.ServerShapes.page;
import static dev.logtide.query.ServerShapes.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncClientTest {
    @StartStop
    final MockWebServer server = new MockWebServer();

    /** Held answers wait for this, so a test can act while the request is in flight. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private AsyncLogTideClient async;

    @AfterEach
    void closeClient() throws Exception {
        release.countDown();
        if (async != null) {
            async.close().get(30, TimeUnit.SECONDS);
        }
    }

    /** Answers the server's shapes; {@code /api/v1/logs} only once {@link #release} opens. */
    private void answer() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                requests.add(request);
                String path = request.getUrl().encodedPath();
                switch (path) {
                    case "/api/v1/ingest":
                        return json("{\"received\":1,\"timestamp\":\"2030-01-01T00:00:00.000Z\"}");
                    case "/api/v1/logs":
                        release.await(30, TimeUnit.SECONDS);
                        return json(page(null, log(1, "2030-01-01T00:00:01.000Z", "info", "a")));
                    case "/api/v1/logs/trace/t-1":
                        return json("{\"logs\":[" + log(2, "2030-01-01T00:00:02.000Z", "warn", "b") + "]}");
                    case "/api/v1/logs/aggregated":
                        return json("{\"timeseries\":[{\"bucket\":\"2030-01-01T00:00:00.000Z\",\"total\":1,\"by_level\":{\"info\":1}}]}");
                    default:
                        return path.equals("/api/v1/logs/" + uuid(9)) ? ServerShapes.invalidKey()
                                : json(404, "{\"error\":\"Log not found\"}");
                }
            }
        });
    }

    private AsyncLogTideClient client() {
        answer();
        async = new AsyncLogTideClient(ClientOptions.builder().apiUrl(server.url("/").toString()).apiKey(KEY)
                .registerShutdownHook(false).flushIntervalMs(60_000).build());
        return async;
    }

    @Test
    void readsCompleteOnOkHttpsDispatcherWithoutBlockingTheCaller() throws Exception {
        AsyncLogTideClient client = client();

        CompletableFuture<LogsResponse> page = client.query(QueryOptions.builder().build());
        CompletableFuture<String> completingThread = page.thenApply(r -> Thread.currentThread().getName());
        assertFalse(page.isDone(), "the answer is held by the server, yet the caller is free");
        release.countDown();

        assertTrue(completingThread.get(10, TimeUnit.SECONDS).startsWith("OkHttp"), completingThread.get());
        assertEquals(uuid(1), page.get().logs().get(0).id());
        assertEquals(LogLevel.WARN, client.getByTraceId("t-1").get(10, TimeUnit.SECONDS).get(0).level());
        assertEquals(1, client.getAggregatedStats(AggregatedStatsOptions.builder().from(Instant.EPOCH)
                .to(Instant.parse("2030-01-02T00:00:00Z")).build()).get(10, TimeUnit.SECONDS).timeseries().get(0).count(LogLevel.INFO));
        assertEquals(Optional.empty(), client.getLog(uuid(8)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void errorsCompleteTheFutureExceptionally() {
        AsyncLogTideClient client = client();
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.getLog(uuid(9)).get(10, TimeUnit.SECONDS));
        LogTideApiException cause = assertInstanceOf(LogTideApiException.class, e.getCause());
        assertEquals(401, cause.status());
        assertFalse(cause.getMessage().contains(KEY));
        assertThrows(IllegalArgumentException.class, () -> client.getLog("stream"), "bad input fails at the call");
    }

    @Test
    void cancellingTheFutureCancelsTheHttpCall() throws Exception {
        answer();
        BlockingQueue<Call> cancelled = new LinkedBlockingQueue<>();
        OkHttpClient http = new OkHttpClient.Builder().eventListener(new EventListener() {
            @Override
            public void canceled(Call call) {
                cancelled.add(call);
            }
        }).build();
        QueryClient queries = new QueryClient(http, server.url("/").toString(), KEY, null);

        CompletableFuture<LogsResponse> viaCancel = queries.queryAsync(QueryOptions.builder().build());
        assertTrue(viaCancel.cancel(true));
        assertEquals("/api/v1/logs", cancelled.poll(10, TimeUnit.SECONDS).request().url().encodedPath());
        assertThrows(CancellationException.class, viaCancel::join);

        CompletableFuture<LogsResponse> viaTimeout = queries.queryAsync(QueryOptions.builder().limit(5).build());
        viaTimeout.completeExceptionally(new java.util.concurrent.TimeoutException("gave up"));
        assertEquals("5", cancelled.poll(10, TimeUnit.SECONDS).request().url().queryParameter("limit"));
    }

    @Test
    void flushAndCloseCompleteOnceTheEntriesAreSent() throws Exception {
        AsyncLogTideClient client = client();

        client.info("svc", "first", null);
        client.flush().get(30, TimeUnit.SECONDS);
        assertEquals(1, ingested("first"));

        client.error("svc", "second", new IllegalStateException("boom"));
        CompletableFuture<Void> closed = client.close();
        closed.get(30, TimeUnit.SECONDS);
        assertEquals(1, ingested("second"), "close() completes after pending entries are sent");
        assertTrue(client.sync().isClosed());
        assertEquals(2, client.getMetrics().logsSent());
        client.close().get(30, TimeUnit.SECONDS);
    }

    /** Issue 19 row 4: the async client has every logging overload of the blocking one, from one definition. */
    @Test
    void theAsyncClientHasTheBlockingClientsLoggingOverloads() throws Exception {
        assertTrue(LogMethods.class.isAssignableFrom(AsyncLogTideClient.class));
        assertTrue(LogMethods.class.isAssignableFrom(LogTideClient.class));
        List<String> levels = Arrays.asList("log", "debug", "info", "warn", "error", "critical");
        Set<String> blocking = Arrays.stream(LogTideClient.class.getMethods()).filter(m -> levels.contains(m.getName()))
                .map(m -> m.getName() + Arrays.toString(m.getParameterTypes())).collect(Collectors.toSet());
        Set<String> async = Arrays.stream(AsyncLogTideClient.class.getMethods()).filter(m -> levels.contains(m.getName()))
                .map(m -> m.getName() + Arrays.toString(m.getParameterTypes())).collect(Collectors.toSet());
        assertEquals(blocking, async);
        assertEquals(14, async.size(), async.toString());

        AsyncLogTideClient client = client();
        Map<String, Object> fields = Collections.singletonMap("k", 1);
        IllegalStateException boom = new IllegalStateException("boom");
        client.debug("svc", "m1");
        client.debug("svc", "m2", fields);
        client.info("svc", "m3");
        client.info("svc", "m4", fields);
        client.warn("svc", "m5");
        client.warn("svc", "m6", fields);
        client.error("svc", "m7");
        client.error("svc", "m8", fields);
        client.error("svc", "m9", boom);
        client.critical("svc", "m10");
        client.critical("svc", "m11", fields);
        client.critical("svc", "m12", boom);
        client.flush().get(30, TimeUnit.SECONDS);
        for (int i = 1; i <= 12; i++) {
            assertEquals(1, ingested("m" + i), "m" + i);
        }
        assertEquals(12, client.getMetrics().logsSent());
    }

    private long ingested(String message) {
        return requests.stream()
                .filter(r -> r.getUrl().encodedPath().equals("/api/v1/ingest"))
                .filter(r -> r.getBody() != null && r.getBody().utf8().contains("\"message\":\"" + message + "\""))
                .count();
    }
}
