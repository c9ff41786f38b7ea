package dev.logtide.query;

import dev.logtide.CircuitState;
import dev.logtide.ClientOptions;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.logtide.query.ServerShapes.KEY;
import static dev.logtide.query.ServerShapes.json;
import static dev.logtide.query.ServerShapes.log;
import static dev.logtide.query.ServerShapes.page;
import static dev.logtide.query.ServerShapes.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read calls on {@link LogTideClient} itself, beside a delivery engine that is failing. */
class ClientReadsTest {
    private static final String BASE = "/logtide";

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final Routes routes = new Routes();
    private LogTideClient client;

    @BeforeEach
    void start() {
        server.setDispatcher(routes);
        client = new LogTideClient(ClientOptions.builder().apiUrl(server.url(BASE).toString()).apiKey(KEY)
                .registerShutdownHook(false).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(600_000).flushIntervalMs(60_000).closeTimeoutMs(1000).build());
    }

    @AfterEach
    void stop() {
        client.close();
        routes.finishStreams();
    }

    @Test
    void readsWorkWhileDeliveryIsBrokenAndKeepTheBasePath() throws Exception {
        // Ingest is down (no scripted answer: 503) and the breaker opens after one failure.
        client.info("svc", "not delivered");
        client.flush(10, TimeUnit.SECONDS);
        assertEquals(CircuitState.OPEN, client.getCircuitBreakerState());
        long ingestAttempts = routes.count(BASE + "/api/v1/ingest");

        routes.add(BASE + "/api/v1/logs", json(page(null, log(1, "2030-01-01T00:00:01.000Z", "info", "a"))));
        routes.add(BASE + "/api/v1/logs", json(page(null, log(2, "2030-01-01T00:00:02.000Z", "info", "b"))));
        routes.add(BASE + "/api/v1/logs/trace/t%2F1", json("{\"logs\":[" + log(3, "2030-01-01T00:00:03.000Z", "warn", "c") + "]}"));
        routes.add(BASE + "/api/v1/logs/" + uuid(4), json("{\"log\":" + log(4, "2030-01-01T00:00:04.000Z", "error", "d") + "}"));
        routes.add(BASE + "/api/v1/logs/aggregated", json("{\"timeseries\":[{\"bucket\":\"2030-01-01T00:00:00.000Z\",\"total\":2,\"by_level\":{\"info\":2}}]}"));
        routes.add(BASE + "/api/v1/logs", json(page(null, log(5, "2030-01-01T00:00:05.000Z", "info", "e"))));
        routes.stream(BASE + "/api/v1/logs/stream",
                new SseStream().connected("2030-01-01T00:00:00.000Z").log(log(6, "2030-01-01T00:00:06.000Z", "info", "f")));

        assertEquals(uuid(1), client.query(QueryOptions.builder().build()).logs().get(0).id());
        assertEquals(uuid(2), client.queryAll(QueryOptions.builder().build()).findFirst().map(LogRecord::id).orElse(null));
        assertEquals(LogLevel.WARN, client.getByTraceId("t/1").get(0).level());
        assertEquals("d", client.getLog(uuid(4)).map(LogRecord::message).orElse(null));
        assertEquals(2, client.getAggregatedStats(AggregatedStatsOptions.builder().from(Instant.EPOCH)
                .to(Instant.parse("2030-01-02T00:00:00Z")).build()).timeseries().get(0).count(LogLevel.INFO));
        assertEquals(uuid(5), client.async().query(QueryOptions.builder().build()).get(10, TimeUnit.SECONDS).logs().get(0).id());

        BlockingQueue<LogRecord> tailed = new LinkedBlockingQueue<>();
        try (LiveTail tail = client.stream(tailed::add, null, null)) {
            LogRecord record = tailed.poll(10, TimeUnit.SECONDS);
            assertEquals(uuid(6), record == null ? null : record.id());
        }

        assertEquals(ingestAttempts, routes.count(BASE + "/api/v1/ingest"), "reads never touch the delivery path");
        assertEquals(0, client.getMetrics().logsSent());
        assertEquals(CircuitState.OPEN, client.getCircuitBreakerState(), "successful reads do not close the breaker");
        assertTrue(routes.requests.stream().allMatch(r -> KEY.equals(r.getHeaders().get("X-API-Key"))));
    }
}
