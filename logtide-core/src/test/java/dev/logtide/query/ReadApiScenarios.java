package dev.logtide.query;

import dev.logtide.ClientOptions;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;
import dev.logtide.TraceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read API and the live tail end to end: logs shipped by a real {@link LogTideClient}, read
 * back and tailed. {@link RealServerTest} runs these against a real server, {@link FakeServerTest}
 * against {@link FakeLogTide} in the default build. Each run logs under its own service name, so
 * runs do not see each other's logs.
 */
abstract class ReadApiScenarios {
    /** The server caches answers about 60 s (trace lookups about 5 min): wait past that. */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(90);

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String service = "sdk-it-" + run;
    LogTideClient client;

    /** @return the server's base URL */
    abstract String apiUrl();

    /** @return the API key */
    abstract String apiKey();

    /** @return where the printed figures were measured */
    abstract String measuredOn();

    @BeforeEach
    void connect() {
        client = new LogTideClient(options().build());
    }

    /** @return the options of the client that ships the logs (and reads them) */
    ClientOptions.Builder options() {
        return ClientOptions.builder().apiUrl(apiUrl()).apiKey(apiKey()).service(service).registerShutdownHook(false);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void queryTraceLogAndStatsReadBackWhatWasSent() throws Exception {
        Instant start = Instant.now().minusSeconds(5);
        String traceId = "trace-" + run;
        try (TraceContext.Scope ignored = client.withTraceId(traceId)) {
            for (int i = 0; i < 5; i++) {
                client.log(i % 2 == 0 ? LogLevel.INFO : LogLevel.ERROR, service, "read-back " + i,
                        Collections.singletonMap("n", i), null);
                Thread.sleep(2); // the server stores milliseconds: distinct times give a defined order
            }
        }
        assertTrue(client.flush(30, TimeUnit.SECONDS));
        assertEquals(5, client.getMetrics().logsSent());

        LogsResponse page = eventually(() -> client.query(QueryOptions.builder().service(service)
                .from(start).to(Instant.now()).build()), p -> p.logs().size() == 5);
        assertEquals(5, page.total(), "total is an exact count");
        List<LogRecord> logs = page.logs();
        for (int i = 1; i < logs.size(); i++) {
            assertTrue(!logs.get(i).time().isAfter(logs.get(i - 1).time()), "newest first: " + logs);
        }
        LogRecord newest = logs.get(0);
        assertEquals("read-back 4", newest.message());
        assertEquals(LogLevel.INFO, newest.level());
        assertEquals(traceId, newest.traceId());
        assertEquals(4, ((Number) newest.metadata().get("n")).intValue());

        List<LogRecord> trace = eventually(() -> client.getByTraceId(traceId), t -> t.size() == 5);
        assertEquals("read-back 0", trace.get(0).message(), "a trace is oldest first");
        assertEquals(Optional.of(newest.id()), client.getLog(newest.id()).map(LogRecord::id));
        assertEquals(Optional.empty(), client.getLog(UUID.randomUUID().toString()));

        AggregatedStats stats = eventually(() -> client.getAggregatedStats(AggregatedStatsOptions.builder()
                .from(start.minus(Duration.ofHours(1))).to(Instant.now().plus(Duration.ofHours(1)))
                .interval(StatsInterval.ONE_HOUR).service(service).build()),
                s -> s.timeseries().stream().mapToLong(StatsBucket::total).sum() == 5);
        assertEquals(2, stats.timeseries().stream().mapToLong(b -> b.count(LogLevel.ERROR)).sum());
    }

    /**
     * Issue 19 rows 1 and 2 on the real server: three waves of 50 a second apart, then 300 in one
     * request, each delivered once, never older than one delivered before; prints the latency (log
     * time to callback).
     */
    @Test
    void liveTailDeliversEveryLogOnceInTimeOrder() throws Exception {
        List<LogRecord> received = new CopyOnWriteArrayList<>();
        List<Long> latencies = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (LiveTail tail = client.stream(record -> {
            latencies.add(System.currentTimeMillis() - record.time().toEpochMilli());
            received.add(record);
        }, errors::add, LiveTailOptions.builder().service(service).build())) {
            Thread.sleep(3000); // the server streams logs stamped after the connection opened
            for (int wave = 0; wave < 3; wave++) {
                for (int i = 0; i < 50; i++) {
                    client.info(service, "w" + wave + "-" + i);
                }
                client.flush(30, TimeUnit.SECONDS);
                Thread.sleep(1000);
            }
            for (int i = 0; i < 300; i++) {
                client.info(service, "burst-" + i);
            }
            client.flush(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 450 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(3000); // re-sends would arrive now
            assertTrue(errors.isEmpty(), errors.toString());
            System.out.println("live tail on " + measuredOn() + ": reconnects=" + tail.reconnects()
                    + " catch-up queries=" + tail.catchUpQueries());
        }
        Set<String> ids = new HashSet<>();
        for (LogRecord record : received) {
            assertTrue(ids.add(record.id()), "delivered twice: " + record);
        }
        assertEquals(450, received.size());
        // Nothing here reaches the server late, so time never goes back. Ties are by id within a poll
        // only: a log of the next poll may share the millisecond of one delivered (docs/query.md, Order).
        for (int i = 1; i < received.size(); i++) {
            LogRecord before = received.get(i - 1);
            LogRecord after = received.get(i);
            assertTrue(!after.time().isBefore(before.time()), before + " then " + after);
        }
        List<Long> ms = new ArrayList<>(latencies);
        Collections.sort(ms);
        System.out.println("live tail latency on " + measuredOn() + ", log time to callback: n=" + ms.size()
                + " p50=" + ms.get(ms.size() / 2) + " ms p95=" + ms.get((int) Math.ceil(ms.size() * 0.95) - 1)
                + " ms max=" + ms.get(ms.size() - 1) + " ms");
    }

    /** Retries a read until it shows what was sent: the server caches answers and indexes asynchronously. */
    static <T> T eventually(Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        T last = read.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            last = read.get();
        }
        assertTrue(done.test(last), "not visible within " + VISIBLE_WITHIN + ": " + last);
        return last;
    }
}
