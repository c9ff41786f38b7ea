package dev.logtide.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logtide.Breadcrumb;
import dev.logtide.CircuitState;
import dev.logtide.ClientMetrics;
import dev.logtide.ClientOptions;
import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;
import dev.logtide.ThrowableView;
import dev.logtide.LogTideScope;
import dev.logtide.PayloadLimits;
import dev.logtide.TraceContext;
import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ServerRules;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LogTide SDK contract, one test per scenario ID the core covers (C01–C18, C22; C15 is the HTTP
 * filters', C28 each adapter's {@code ContractTest}), through the real client over real HTTP on
 * loopback. Each test asserts the contract's value, not this SDK's; where the SDK deliberately
 * differs, the test asserts the contract's core and the difference is named in CONFORMANCE.md. A
 * test that shows a non-conformance stays {@code @Disabled} with the failing expectation as its
 * reason, and its row is not ✅ ({@link ConformanceTableTest} checks that).
 */
class ContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The entry fields the contract allows at the top level (C04). */
    private static final Set<String> CONTRACT_FIELDS = new HashSet<>(Arrays.asList(
            "time", "service", "level", "message", "metadata", "trace_id", "span_id", "session_id"));
    private static final String RFC3339_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";
    private static final String SEMVER = "\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?";

    private IngestServer server;
    private final List<IngestServer> extraServers = new ArrayList<>();
    private final List<LogTideClient> clients = new ArrayList<>();
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = new IngestServer();
    }

    @AfterEach
    void stop() {
        clients.forEach(c -> c.close(1, TimeUnit.SECONDS));
        extraServers.forEach(IngestServer::close);
        server.close();
    }

    private LogTideClient client(Consumer<ClientOptions.Builder> tweak) {
        return client(server, tweak);
    }

    private LogTideClient client(IngestServer to, Consumer<ClientOptions.Builder> tweak) {
        ClientOptions.Builder b = base().apiUrl(to.url()).apiKey(IngestServer.API_KEY);
        tweak.accept(b);
        return track(new LogTideClient(b.build()));
    }

    private ClientOptions.Builder base() {
        return ClientOptions.builder()
                .service("contract")
                .registerShutdownHook(false)
                .flushIntervalMs(60_000) // nothing leaves by the timer unless a test asks for it
                .diagnosticListener((DiagnosticListener.Severity s, String m, Throwable e) ->
                        diagnostics.add(s + " " + m + (e == null ? "" : " / " + e)));
    }

    private LogTideClient track(LogTideClient c) {
        clients.add(c);
        return c;
    }

    private IngestServer extraServer() {
        IngestServer s = new IngestServer();
        extraServers.add(s);
        return s;
    }

    /** Options with every default, to read the contract's default values from. */
    private static ClientOptions defaults() {
        return ClientOptions.builder().apiUrl("http://127.0.0.1:1").apiKey(IngestServer.API_KEY).build();
    }

    private static List<String> messages(List<JsonNode> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.path("message").asText()));
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Records when each request arrives and answers it with {@code answer(n)}, n counted from 0. */
    private static Function<List<JsonNode>, MockResponse> timed(List<Long> arrivals,
                                                              Function<Integer, MockResponse> answer) {
        AtomicInteger n = new AtomicInteger();
        return batch -> {
            arrivals.add(System.nanoTime());
            MockResponse r = answer.apply(n.getAndIncrement());
            return r == null ? IngestServer.accept(batch) : r;
        };
    }

    private static long gapMs(List<Long> arrivals, int i) {
        return TimeUnit.NANOSECONDS.toMillis(arrivals.get(i + 1) - arrivals.get(i));
    }

    private static MockResponse status(int code) {
        return IngestServer.json(code, "{}");
    }

    private static MockResponse retryAfter(int code, String value) {
        return new MockResponse.Builder().code(code).setHeader("Retry-After", value).body("{}").build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void c01_basicLog() throws IOException {
        LogTideClient c = client(b -> { });
        c.info(null, "c01 hello", Map.of("orderId", "A-1"));
        c.info(null, "c01 own sdk", Map.of("sdk", Map.of("name", "wrapper", "version", "9.9.9")));
        c.flush();

        assertEquals(1, server.requests().size(), "one POST for both entries");
        RecordedRequest r = server.requests().get(0);
        assertEquals("POST", r.getMethod());
        assertEquals("/api/v1/ingest", r.getUrl().encodedPath());
        assertNull(r.getUrl().encodedQuery());
        assertEquals(IngestServer.API_KEY, r.getHeaders().get("X-API-Key"));
        assertTrue(r.getHeaders().get("Content-Type").startsWith("application/json"), r.getHeaders().get("Content-Type"));
        JsonNode body = JSON.readTree(r.getBody().utf8());
        assertEquals(Set.of("logs"), fieldNames(body));
        assertEquals(2, body.get("logs").size());

        JsonNode hello = server.entryWithMessage("c01 hello");
        assertNull(ServerRules.violation(hello), hello::toString);
        assertTrue(hello.get("time").asText().matches(RFC3339_UTC), hello.get("time").asText());
        assertEquals("contract", hello.get("service").asText());
        assertEquals("info", hello.get("level").asText());
        assertEquals("A-1", hello.get("metadata").get("orderId").asText());
        JsonNode sdk = hello.get("metadata").get("sdk");
        assertTrue(sdk.isObject(), sdk::toString);
        assertEquals("logtide-java", sdk.get("name").asText());
        assertTrue(sdk.get("version").asText().matches(SEMVER), sdk.toString());
        // The caller's own sdk key wins over the stamp.
        assertEquals("wrapper", server.entryWithMessage("c01 own sdk").get("metadata").get("sdk").get("name").asText());
    }

    @Test
    void c02_batchBySize() {
        assertEquals(100, defaults().batchSize());
        LogTideClient c = client(b -> { }); // the default batchSize; the timer would wait 60 s
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            c.info(null, "c02 " + i);
            if (i < 100) {
                expected.add("c02 " + i);
            }
        }
        List<JsonNode> got = server.awaitEntries(100, Duration.ofSeconds(10));
        assertEquals(expected, messages(got), "the first full batch leaves on its own, in order");
        assertEquals(50, c.getMetrics().bufferedEntries(), "half a batch waits for the timer or a flush");
    }

    @Test
    void c03_batchByInterval() {
        assertEquals(5000, defaults().flushIntervalMs());
        LogTideClient c = client(b -> b.flushIntervalMs(200));
        c.info(null, "c03 a");
        c.info(null, "c03 b");
        c.info(null, "c03 c");
        // No flush: the timer sends the partial batch.
        assertEquals(List.of("c03 a", "c03 b", "c03 c"), messages(server.awaitEntries(3, Duration.ofSeconds(10))));
        assertEquals(0, c.getMetrics().bufferedEntries());
    }

    @Test
    void c04_onlyContractFieldsTopLevel() {
        LogTideClient c = client(b -> b.globalMetadata("region", "eu-west-1"));
        c.log(LogEntry.builder(LogLevel.ERROR, "c04 full")
                .service("billing")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .spanId("00f067aa0ba902b7")
                .logger("app.Billing")
                .thread("worker-1")
                .context(Map.of("requestId", "r-1"))
                .put("orderId", "A-1")
                .throwable(new IllegalStateException("declined"))
                .build());
        c.info(null, "c04 bare");
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("nothing", null);
        c.info(null, "c04 null value", withNull);
        c.flush();

        List<JsonNode> all = server.awaitEntries(3, Duration.ofSeconds(10));
        assertEquals(3, all.size());
        for (JsonNode e : all) {
            assertTrue(CONTRACT_FIELDS.containsAll(fieldNames(e)), "top-level keys " + fieldNames(e));
            e.fields().forEachRemaining(f -> assertFalse(f.getValue().isNull(), "null top-level " + f.getKey()));
            assertNull(ServerRules.violation(e), e::toString);
        }
        JsonNode full = server.entryWithMessage("c04 full");
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", full.get("trace_id").asText());
        assertEquals("00f067aa0ba902b7", full.get("span_id").asText());
        JsonNode md = full.get("metadata");
        for (String key : new String[] {"sdk", "exception", "logger", "thread", "requestId", "orderId", "region"}) {
            assertTrue(md.has(key), "metadata." + key + " in " + md);
        }
        JsonNode bare = server.entryWithMessage("c04 bare");
        assertFalse(bare.has("trace_id"), "omitted, not null: " + bare);
        assertFalse(bare.has("span_id"), "omitted, not null: " + bare);
        assertTrue(server.entryWithMessage("c04 null value").get("metadata").isObject());
    }

    @Test
    void c05_exceptionCapture() {
        LogTideClient c = client(b -> { });
        IOException root = new IOException(); // no message: the type stands in for it
        c.error(null, "c05 failed", new IllegalStateException("payment failed", root));
        c.flush();

        JsonNode ex = server.entryWithMessage("c05 failed").get("metadata").get("exception");
        assertEquals("java.lang.IllegalStateException", ex.get("type").asText());
        assertEquals("payment failed", ex.get("message").asText());
        assertEquals("java", ex.get("language").asText());
        JsonNode frames = ex.get("stacktrace");
        assertTrue(frames.isArray() && frames.size() > 0, ex::toString);
        for (JsonNode f : frames) {
            assertTrue(f.get("file").isTextual() && f.get("function").isTextual() && f.get("line").isNumber(), f::toString);
        }
        assertTrue(frames.get(0).get("function").asText().endsWith("ContractTest.c05_exceptionCapture"), frames.get(0)::toString);
        assertTrue(ex.get("raw").asText().contains("Caused by: java.io.IOException"), ex.get("raw").asText());
        JsonNode cause = ex.get("cause");
        assertEquals("java.io.IOException", cause.get("type").asText());
        assertEquals("java.io.IOException", cause.get("message").asText(), "an empty message falls back to the type");
        assertEquals("java", cause.get("language").asText());
        assertTrue(cause.get("stacktrace").isArray());
        assertFalse(cause.has("raw"), "raw on the root only");
    }

    @Test
    void c06_causeCap() {
        LogTideClient c = client(b -> { });
        Throwable chain = new RuntimeException("root of fifteen");
        for (int i = 14; i >= 1; i--) {
            chain = new RuntimeException("level " + i, chain);
        }
        Throwable deep = chain;
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b); // a -> b -> a
        RuntimeException tall = new RuntimeException("tall");
        StackTraceElement[] frames = new StackTraceElement[300];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new StackTraceElement("app.Deep", "m" + i, "Deep.java", i + 1);
        }
        tall.setStackTrace(frames);

        assertDoesNotThrow(() -> {
            c.error(null, "c06 deep", deep);
            c.error(null, "c06 cycle", a);
            c.error(null, "c06 tall", tall);
        });
        c.flush();

        JsonNode deepEx = server.entryWithMessage("c06 deep").get("metadata").get("exception");
        assertTrue(levels(deepEx) <= 10, "at most 10 levels, was " + levels(deepEx));
        assertEquals("root of fifteen", last(deepEx).get("message").asText(), "the root cause stays visible");
        JsonNode cycleEx = server.entryWithMessage("c06 cycle").get("metadata").get("exception");
        assertTrue(levels(cycleEx) <= 10, "a cycle ends, at " + levels(cycleEx) + " levels");
        assertTrue(cycleEx.get("raw").asText().contains("CIRCULAR REFERENCE"), cycleEx.get("raw").asText());
        JsonNode tallEx = server.entryWithMessage("c06 tall").get("metadata").get("exception");
        assertEquals(100, tallEx.get("stacktrace").size(), "frames capped at 100");
    }

    private static int levels(JsonNode ex) {
        int n = 0;
        for (JsonNode e = ex; e != null && e.isObject(); e = e.get("cause")) {
            n++;
        }
        return n;
    }

    private static JsonNode last(JsonNode ex) {
        JsonNode e = ex;
        while (e.has("cause")) {
            e = e.get("cause");
        }
        return e;
    }

    @Test
    void c07_retry() throws Exception {
        assertEquals(3, defaults().maxRetries());
        assertEquals(1000, defaults().retryDelayMs());
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        int[] transientStatuses = {503, 429, 500};
        server.respondWith(timed(arrivals, n -> n < transientStatuses.length ? status(transientStatuses[n]) : null));
        LogTideClient c = client(b -> b.retryDelayMs(100).maxRetryDelayMs(10_000));
        c.info(null, "c07 retried");
        c.flush();

        assertEquals(List.of("c07 retried"), messages(server.entries()));
        assertEquals(4, arrivals.size(), "503, 429 and 500 retried, then delivered");
        ClientMetrics m = c.getMetrics();
        assertEquals(3, m.retries());
        assertEquals(3, m.errors());
        // Backoff from retryDelayMs, doubling (equal jitter: at least half of each step).
        long[] atLeast = {50, 100, 200};
        for (int i = 0; i < atLeast.length; i++) {
            assertTrue(gapMs(arrivals, i) >= atLeast[i], "wait " + i + " was " + gapMs(arrivals, i) + " ms");
        }

        // 408 is retried too. (OkHttp itself repeats a request answered 408 once, at once, before
        // the SDK sees the second 408 and retries with backoff.)
        IngestServer timeouts = extraServer();
        timeouts.respondWith(timed(new ArrayList<>(), n -> n < 2 ? status(408) : null));
        LogTideClient t = client(timeouts, b -> b.retryDelayMs(1));
        t.info(null, "c07 after 408");
        t.flush();
        assertEquals(List.of("c07 after 408"), messages(timeouts.entries()));
        assertEquals(3, timeouts.requests().size());
        assertEquals(0, t.getMetrics().logsDropped());

        // A network error (nothing listens) is retried too.
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        // The breaker opens on the last retry's failure, so the sender stays still for the asserts.
        LogTideClient down = track(new LogTideClient(base().apiUrl("http://127.0.0.1:" + deadPort)
                .apiKey(IngestServer.API_KEY).retryDelayMs(1).circuitBreakerThreshold(4)
                .circuitBreakerResetMs(60_000).build()));
        down.info(null, "c07 unreachable");
        down.flush();
        assertEquals(3, down.getMetrics().retries());
        assertEquals(4, down.getMetrics().errors());
        // This SDK keeps what failed every retry buffered (docs/architecture.md, When things fail).
        assertEquals(1, down.getMetrics().bufferedEntries());
        assertEquals(0, down.getMetrics().logsDropped());
    }

    @Test
    void c08_noRetryOnPermanent4xx() {
        for (int code : new int[] {400, 401, 403, 404, 413, 422}) {
            IngestServer s = extraServer();
            s.respondWith(batch -> status(code));
            LogTideClient c = client(s, b -> b.retryDelayMs(1));
            c.info(null, "c08 " + code);
            c.flush();
            assertEquals(1, s.requests().size(), code + " was retried");
            assertEquals(0, c.getMetrics().retries(), code + " counted a retry");
            ClientMetrics m = c.getMetrics();
            if (code == 400 || code == 413) {
                // The rejected entry alone is dropped (a batch is split first until it is alone).
                assertEquals(1, m.logsDropped(code == 400 ? DropReason.INVALID : DropReason.OVERSIZE), "" + code);
            } else {
                // This SDK's difference: a refused key or URL keeps entries buffered behind an open breaker.
                assertEquals(1, m.bufferedEntries(), "" + code);
                assertEquals(CircuitState.OPEN, c.getCircuitBreakerState(), "" + code);
            }
        }
    }

    @Test
    void c09_retryAfterDeltaSecondsReplacesTheComputedDelay() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        server.respondWith(timed(arrivals, n -> n == 0 ? retryAfter(429, "1") : n == 1 ? retryAfter(503, "1") : null));
        LogTideClient c = client(b -> b.retryDelayMs(1)); // the computed delay would be ~1 ms
        c.info(null, "c09 delta");
        c.flush();
        assertEquals(List.of("c09 delta"), messages(server.entries()));
        assertEquals(3, arrivals.size());
        assertTrue(gapMs(arrivals, 0) >= 1000, "429 Retry-After: 1 was followed after " + gapMs(arrivals, 0) + " ms");
        assertTrue(gapMs(arrivals, 1) >= 1000, "503 Retry-After: 1 was followed after " + gapMs(arrivals, 1) + " ms");
    }

    @Test
    void c09_fractionalRetryAfterIsHonoured() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        server.respondWith(timed(arrivals, n -> n == 0 ? retryAfter(429, "1.5") : null));
        LogTideClient c = client(b -> b.retryDelayMs(1));
        c.info(null, "c09 fraction");
        c.flush();
        assertEquals(2, arrivals.size());
        assertTrue(gapMs(arrivals, 0) >= 1500, "Retry-After: 1.5 was followed after " + gapMs(arrivals, 0) + " ms");
    }

    @Test
    void c09_negativeRetryAfterIsIgnored() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        server.respondWith(timed(arrivals, n -> n == 0 ? retryAfter(429, "-5") : null));
        LogTideClient c = client(b -> b.retryDelayMs(600).maxRetryDelayMs(600));
        c.info(null, "c09 negative");
        c.flush();
        assertEquals(2, arrivals.size());
        assertTrue(gapMs(arrivals, 0) >= 300, "the computed delay (300 to 600 ms) was replaced: "
                + gapMs(arrivals, 0) + " ms");
    }

    @Test
    void c10_circuitBreakerOpens() throws Exception {
        assertEquals(5, defaults().circuitBreakerThreshold());
        assertEquals(30_000, defaults().circuitBreakerResetMs());
        server.respondWith(batch -> status(503));
        LogTideClient c = client(b -> b.maxRetries(0).batchSize(1).flushIntervalMs(10).circuitBreakerResetMs(60_000));
        c.info(null, "c10 one");
        c.info(null, "c10 two");
        c.info(null, "c10 three");
        await("the breaker to open", () -> c.getCircuitBreakerState() == CircuitState.OPEN);
        assertEquals(5, server.requests().size(), "opens after 5 consecutive failed requests");
        assertEquals(1, c.getMetrics().circuitBreakerTrips());
        Thread.sleep(300);
        assertEquals(5, server.requests().size(), "no request while open");
        // This SDK's difference: entries stay buffered while the breaker is open.
        assertEquals(3, c.getMetrics().bufferedEntries());
        assertEquals(0, c.getMetrics().logsDropped());

        // A success resets the count: 4 failures, a success, 4 failures, a success never open it.
        IngestServer s = extraServer();
        s.respondWith(timed(new ArrayList<>(), n -> n % 5 == 4 ? null : status(503)));
        LogTideClient r = client(s, b -> b.maxRetries(4).retryDelayMs(1));
        r.info(null, "c10 first");
        r.flush();
        r.info(null, "c10 second");
        r.flush();
        assertEquals(List.of("c10 first", "c10 second"), messages(s.entries()));
        assertEquals(10, s.requests().size());
        assertEquals(0, r.getMetrics().circuitBreakerTrips());
        assertEquals(CircuitState.CLOSED, r.getCircuitBreakerState());
    }

    @Test
    void c11_halfOpenProbeAndRecovery() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        server.respondWith(timed(arrivals, n -> n < 2 ? status(503) : null));
        LogTideClient c = client(b -> b.maxRetries(0).circuitBreakerThreshold(1).circuitBreakerResetMs(300)
                .flushIntervalMs(10));
        c.info(null, "c11 one");
        assertEquals(List.of("c11 one"), messages(server.awaitEntries(1, Duration.ofSeconds(10))));
        c.flush(); // the server counts the entry before the client has read the answer
        // Fails and opens; after 300 ms one probe fails and reopens at once; the next probe closes it.
        assertEquals(3, arrivals.size());
        assertEquals(2, c.getMetrics().circuitBreakerTrips());
        assertTrue(gapMs(arrivals, 0) >= 300, "probe after " + gapMs(arrivals, 0) + " ms");
        assertTrue(gapMs(arrivals, 1) >= 300, "reopened at once: next probe after " + gapMs(arrivals, 1) + " ms");
        assertEquals(CircuitState.CLOSED, c.getCircuitBreakerState());
        assertEquals(0, c.getMetrics().logsDropped());
    }

    @Test
    void c12_bufferCap() {
        assertEquals(500_000, defaults().maxBufferSize());
        server.respondWith(batch -> status(503));
        LogTideClient c = client(b -> b.maxBufferSize(10).maxRetries(0).circuitBreakerThreshold(1)
                .circuitBreakerResetMs(60_000));
        c.error(null, "c12 first");
        c.flush(); // fails and opens the breaker: the entry waits in the buffer
        assertEquals(CircuitState.OPEN, c.getCircuitBreakerState());
        List<String> kept = new ArrayList<>(List.of("c12 first"));
        assertDoesNotThrow(() -> {
            for (int i = 0; i < 100; i++) {
                c.error(null, "c12 " + i);
            }
        });
        for (int i = 0; i < 9; i++) {
            kept.add("c12 " + i);
        }
        ClientMetrics m = c.getMetrics();
        assertEquals(10, m.bufferedEntries());
        assertEquals(91, m.logsDropped(DropReason.BUFFER_FULL), "each entry arriving at a full buffer is counted");
        server.respondWith(IngestServer::accept);
        c.flush(); // one attempt even while open
        assertEquals(kept, messages(server.entries()), "the newest entries were the ones dropped");
    }

    @Test
    void c13_close() {
        LogTideClient c = client(b -> { });
        c.info(null, "c13 a");
        c.info(null, "c13 b");
        c.info(null, "c13 c");
        c.close();
        assertEquals(List.of("c13 a", "c13 b", "c13 c"), messages(server.entries()), "close flushes");
        int requests = server.requests().size();

        assertDoesNotThrow(() -> {
            c.close(); // idempotent
            c.info(null, "c13 after");
            c.error(null, "c13 after", new IllegalStateException("late"));
            c.flush();
        });
        assertTrue(c.isClosed());
        assertEquals(requests, server.requests().size(), "nothing is sent after close");
        // This SDK's difference: post-close calls are counted, and said once per client.
        assertEquals(2, c.getMetrics().logsDropped(DropReason.AFTER_CLOSE));
        assertEquals(1, diagnostics.stream().filter(d -> d.contains("is closed")).count(), diagnostics::toString);
    }

    @Test
    void c14_dsn() {
        HttpUrl url = HttpUrl.get(server.url());
        ClientOptions o = base().dsn("http://" + IngestServer.API_KEY + "@127.0.0.1:" + url.port() + "/logtide/").build();
        assertEquals("http://127.0.0.1:" + url.port() + "/logtide", o.apiUrl(), "port kept, base path without '/'");
        assertEquals(IngestServer.API_KEY, o.apiKey());
        assertEquals("https://logs.example.com:8443/base", base().dsn("https://lp_k@logs.example.com:8443/base")
                .build().apiUrl());
        LogTideClient c = track(new LogTideClient(o));
        c.info(null, "c14 via dsn");
        c.flush();
        RecordedRequest r = server.requests().get(0);
        assertEquals("/logtide/api/v1/ingest", r.getUrl().encodedPath());
        assertEquals(IngestServer.API_KEY, r.getHeaders().get("X-API-Key"));
        assertFalse(r.getUrl().toString().contains(IngestServer.API_KEY), "the key never travels in the URL");
        assertEquals(1, server.entries().size());

        String secret = "lp_c14_secret_key";
        String[] invalid = {
            "", "   ", "not-a-dsn",
            "ftp://" + secret + "@logs.example.com",
            "https://logs.example.com",          // no key
            "https://@logs.example.com",         // empty key
            "https://" + secret + "@",           // no host
            secret + "@logs.example.com",        // no scheme
            "https://" + secret + "@logs example.com",
        };
        for (String dsn : invalid) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClientOptions.builder().dsn(dsn).build(), "accepted '" + dsn + "'");
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            IllegalArgumentException fromEnv = assertThrows(IllegalArgumentException.class,
                    () -> ClientOptions.builder().environmentDefaults(n -> n.equals("LOGTIDE_DSN") ? dsn : null).build(),
                    "LOGTIDE_DSN accepted '" + dsn + "'");
            assertFalse(fromEnv.getMessage().contains(secret), fromEnv.getMessage());
        }
    }

    @Test
    void c16_apiKeyTravelsOnlyInTheHeader() {
        // The server's error text echoes the key; debug diagnostics are on.
        AtomicInteger n = new AtomicInteger();
        server.respondWith(batch -> n.getAndIncrement() == 0
                ? IngestServer.json(500, "{\"error\":\"no database for key " + IngestServer.API_KEY + "\"}")
                : IngestServer.accept(batch));
        LogTideClient c = client(b -> b.debug(true).maxRetries(0));
        c.info(null, "c16 entry");
        c.flush();
        c.flush();
        assertEquals(1, server.entries().size());
        String wrongKey = "lp_c16_wrong_key_value";
        LogTideClient wrong = client(b -> b.apiKey(wrongKey).debug(true));
        wrong.info(null, "c16 refused");
        wrong.flush();

        assertFalse(diagnostics.isEmpty());
        for (String d : diagnostics) {
            assertFalse(d.contains(IngestServer.API_KEY) || d.contains(wrongKey), d);
        }
        for (RecordedRequest r : server.requests()) {
            assertFalse(r.getUrl().toString().contains(IngestServer.API_KEY) || r.getUrl().toString().contains(wrongKey));
            assertFalse(r.getBody().utf8().contains(IngestServer.API_KEY), "the key is not in any entry");
        }
        for (LogTideClient each : List.of(c, wrong)) {
            assertFalse(each.toString().contains(each.options().apiKey()), each::toString);
            assertFalse(each.options().toString().contains(each.options().apiKey()), each.options()::toString);
        }
        JsonNode md = server.entryWithMessage("c16 entry").get("metadata");
        assertFalse(md.has("user") || md.has("ip"), "nothing personal is added by default: " + md);
    }

    @Test
    void c17_serialisationRobustness() {
        LogTideClient c = client(b -> { });
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        List<Object> list = new ArrayList<>();
        list.add(list);
        Object throwing = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        };
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("cyclic", cyclic);
        md.put("list", list);
        md.put("throwing", throwing);
        md.put("notANumber", Double.NaN);
        md.put("opaque", new Object());
        md.put("iterator", new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object next() {
                throw new UnsupportedOperationException();
            }
        });
        assertDoesNotThrow(() -> c.info(null, "c17 hostile", md));
        c.flush();

        JsonNode e = server.entryWithMessage("c17 hostile");
        assertNull(ServerRules.violation(e), e::toString);
        JsonNode m = e.get("metadata");
        assertEquals("[Circular]", m.get("cyclic").get("self").asText());
        assertEquals("[Circular]", m.get("list").get(0).asText());
        assertTrue(m.get("throwing").asText().contains("IllegalStateException"), m.get("throwing")::toString);
        assertEquals("NaN", m.get("notANumber").asText());
        assertTrue(m.get("opaque").isTextual(), m.get("opaque")::toString);
        assertTrue(m.has("iterator"), m::toString);
    }

    @Test
    void c18_timestampFidelity() throws Exception {
        LogTideClient c = client(b -> { });
        Instant before = Instant.now();
        c.info(null, "c18 stamped");
        Instant after = Instant.now();
        Thread.sleep(50); // sending starts strictly later than the call returned
        Instant sendStarted = Instant.now();
        c.flush();

        Instant time = Instant.parse(server.entryWithMessage("c18 stamped").get("time").asText());
        assertFalse(time.isBefore(before.truncatedTo(ChronoUnit.MICROS)), time + " is before the call (" + before + ")");
        assertFalse(time.isAfter(after), time + " is after the call returned (" + after + ")");
        assertTrue(time.isBefore(sendStarted), "time is the capture, not the send");
    }

    @Test
    void c22_beforeSendCanChangeOrDropEntries() {
        List<String> hookThreads = new CopyOnWriteArrayList<>();
        LogTideClient c = client(b -> b.globalMetadata("region", "eu-west-1").beforeSend(e -> {
            hookThreads.add(Thread.currentThread().getName());
            if (e.message().contains("secret")) {
                return null;
            }
            return e.toBuilder().service("rewritten").put("checked", true).build();
        }));
        c.info(null, "c22 kept", Map.of("orderId", "A-1"));
        c.info(null, "c22 secret");
        c.error(null, "c22 error secret", new IllegalStateException("dropped too"));
        c.flush();

        assertEquals(List.of("c22 kept"), messages(server.entries()), "null drops, whatever the level");
        JsonNode kept = server.entryWithMessage("c22 kept");
        assertNull(ServerRules.violation(kept), kept::toString);
        assertEquals("rewritten", kept.get("service").asText());
        assertTrue(kept.get("metadata").get("checked").asBoolean(), kept::toString);
        assertEquals("A-1", kept.get("metadata").get("orderId").asText(), "the changed entry keeps its values");
        assertEquals("eu-west-1", kept.get("metadata").get("region").asText(), "global metadata still applies");
        assertEquals("logtide-java", kept.get("metadata").get("sdk").get("name").asText());
        assertEquals(3, hookThreads.size(), "once per entry: " + hookThreads);
        assertFalse(hookThreads.contains(Thread.currentThread().getName()), "never on the calling thread: " + hookThreads);
        assertEquals(2, c.getMetrics().logsDropped(DropReason.BEFORE_SEND), "a drop is counted");
        assertEquals(0, c.getMetrics().beforeSendErrors());
    }

    @Test
    void c22_aThrowingHookKeepsTheOriginalEntry() {
        LogTideClient c = client(b -> b.beforeSend(e -> {
            throw new IllegalStateException("hook bug");
        }));
        c.info(null, "c22 first");
        c.warn(null, "c22 second");
        c.flush();

        assertEquals(List.of("c22 first", "c22 second"), messages(server.entries()), "kept as logged, not lost");
        assertEquals(2, c.getMetrics().beforeSendErrors(), "each failure is counted");
        assertEquals(0, c.getMetrics().logsDropped());
        assertEquals(1, diagnostics.stream().filter(d -> d.contains("beforeSend")).count(), "reported once: " + diagnostics);
        assertTrue(diagnostics.stream().anyMatch(d -> d.contains("hook bug")), "with the hook's exception: " + diagnostics);
    }

    @Test
    void c22_aHookReadsTheEntrysException() {
        LogTideClient c = client(b -> b.beforeSend(e -> {
            if (e.throwable() instanceof IllegalStateException) {
                return null;
            }
            ThrowableView exception = e.exception();
            return exception == null ? e : e.toBuilder().put("exceptionType", exception.className()).build();
        }));
        c.error(null, "c22 expected failure", new IllegalStateException("known, not worth sending"));
        c.error(null, "c22 unexpected failure", new IllegalArgumentException("bad"));
        c.info(null, "c22 no exception");
        c.flush();

        assertEquals(List.of("c22 unexpected failure", "c22 no exception"), messages(server.entries()));
        JsonNode unexpected = server.entryWithMessage("c22 unexpected failure").get("metadata");
        assertEquals(IllegalArgumentException.class.getName(), unexpected.get("exceptionType").asText());
        assertEquals("bad", unexpected.get("exception").get("message").asText(), "the exception is still sent");
        assertFalse(server.entryWithMessage("c22 no exception").get("metadata").has("exceptionType"));
        assertEquals(1, c.getMetrics().logsDropped(DropReason.BEFORE_SEND));
    }

    @Test
    void c22_anEntryRetriedAfterAnOutagePassesTheHookOnce() {
        AtomicInteger calls = new AtomicInteger();
        server.enqueue(status(503));
        LogTideClient c = client(b -> b.maxRetries(0).beforeSend(e -> {
            calls.incrementAndGet();
            return e.toBuilder().put("hooked", calls.get()).build();
        }));
        c.info(null, "c22 a"); // alone: a 503 for one entry is an outage, not a batch to split
        c.flush(); // the 503 gives the entry back to the buffer
        c.flush();

        assertEquals(2, server.requests().size());
        assertEquals(List.of("c22 a"), messages(server.entries()));
        assertEquals(1, calls.get(), "the hook ran once per entry, not once per attempt");
        assertEquals(1, server.entryWithMessage("c22 a").get("metadata").get("hooked").asInt(), "the first change is sent");
    }

    @Test
    void c23_rateZeroSendsNothingAndCountsEveryEntryAsSampled() {
        LogTideClient c = client(b -> b.sampleRate(0));
        for (int i = 0; i < 50; i++) {
            c.info(null, "c23 info " + i);
            c.error(null, "c23 error " + i, new IllegalStateException("not exempt"));
        }
        c.flush();

        assertEquals(List.of(), server.entries(), "rate 0 sends nothing, errors included");
        assertEquals(100, c.getMetrics().logsDropped(DropReason.SAMPLED));
        assertEquals(100, c.getMetrics().logsDropped(), "under no other reason");
        assertEquals(0, c.getMetrics().bufferedEntries(), "a sampled-out entry takes no buffer room");
    }

    @Test
    void c23_aShareKeepsEntriesAtEveryLevelByAFreshDrawAndAccountsForEachOne() {
        LogTideClient c = client(b -> b.sampleRate(0.5).maxBufferSize(10_000));
        int each = 1000;
        for (int i = 0; i < each; i++) {
            c.info(null, "c23 info " + i);
            c.error(null, "c23 error " + i);
        }
        c.flush();

        List<JsonNode> sent = server.entries();
        long errors = sent.stream().filter(e -> e.get("level").asText().equals("error")).count();
        long infos = sent.size() - errors;
        ClientMetrics m = c.getMetrics();
        assertEquals(2 * each, m.logsSent() + m.logsDropped(DropReason.SAMPLED), "every entry sent or counted: " + m);
        assertEquals(sent.size(), m.logsSent());
        // 1000 draws at 0.5: the standard deviation is 16, so 350..650 fails only for a broken draw.
        assertTrue(errors > 350 && errors < 650, "errors are sampled like any level: " + errors + " of " + each);
        assertTrue(infos > 350 && infos < 650, "info kept by the share: " + infos + " of " + each);
        assertEquals(1.0, defaults().sampleRate(), "default: everything is sent");
    }

    @Test
    void c23_theRateIsValidatedAtInitAndTheEnvironmentStandsInWhenItIsUnset() {
        for (double bad : new double[] {-0.1, 1.01, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> base().apiUrl(server.url()).apiKey(IngestServer.API_KEY).sampleRate(bad).build());
            assertEquals("sampleRate must be between 0 and 1, was " + bad, e.getMessage());
        }
        Map<String, String> env = Map.of("LOGTIDE_SAMPLE_RATE", "0.25");
        assertEquals(0.25, base().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .environmentDefaults(env::get).build().sampleRate());
        assertEquals(1.0, base().apiUrl(server.url()).apiKey(IngestServer.API_KEY).sampleRate(1)
                .environmentDefaults(env::get).build().sampleRate(), "a value set in code wins");
        Map<String, String> wrong = Map.of("LOGTIDE_SAMPLE_RATE", "half");
        assertEquals("LOGTIDE_SAMPLE_RATE: sampleRate must be a decimal number such as 0.25, got 'half'",
                assertThrows(IllegalArgumentException.class, () -> base().environmentDefaults(wrong::get)).getMessage());
        Map<String, String> tooHigh = Map.of("LOGTIDE_SAMPLE_RATE", "2");
        assertEquals("LOGTIDE_SAMPLE_RATE: sampleRate must be between 0 and 1, was 2.0",
                assertThrows(IllegalArgumentException.class, () -> base().environmentDefaults(tooHigh::get)).getMessage());
    }

    private static final String SESSION = "0b8e4a52-3c1f-4d7e-9a26-5f0c2d8b1e47";

    @Test
    void c20_scopeValuesReachEveryEntryAndTheEntrysOwnValuesWin() {
        LogTideClient c = client(b -> b.globalMetadata(Map.of("region", "global", "zone", "global")));
        try (LogTideScope scope = LogTideScope.push()) {
            scope.setTag("tenant", "acme").setExtra("orderId", "from-scope").setExtra("region", "from-scope")
                    .setUser(LogTideScope.User.id("42")).setSessionId(SESSION)
                    .setTrace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
            c.info(null, "c20 inside", Map.of("orderId", "from-entry"));
            c.info(null, "c20 own tags", Map.of("tags", Map.of("mine", "yes"), "user", "entry-user"));
            c.log(LogEntry.builder(LogLevel.INFO, "c20 explicit trace").traceId("explicit").build());
            try (TraceContext.Scope thread = TraceContext.withTraceId("from-trace-context")) {
                c.info(null, "c20 scope over trace context");
            }
        }
        c.info(null, "c20 after");
        c.flush();

        JsonNode inside = server.entryWithMessage("c20 inside");
        assertNull(ServerRules.violation(inside), inside::toString);
        JsonNode md = inside.get("metadata");
        assertEquals("from-entry", md.get("orderId").asText(), "the entry's metadata wins over the scope's extras");
        assertEquals("from-scope", md.get("region").asText(), "the scope wins over global metadata");
        assertEquals("global", md.get("zone").asText());
        assertEquals("acme", md.get("tags").get("tenant").asText());
        assertEquals("42", md.get("user").get("id").asText());
        assertEquals(SESSION, inside.get("session_id").asText(), "a UUID session id is the top-level field");
        assertEquals(SESSION, md.get("session_id").asText(), "and in metadata, which servers before 0.8.0 keep");
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", inside.get("trace_id").asText());
        assertEquals("00f067aa0ba902b7", inside.get("span_id").asText());
        assertTrue(CONTRACT_FIELDS.containsAll(fieldNames(inside)), inside::toString);

        JsonNode own = server.entryWithMessage("c20 own tags").get("metadata");
        assertEquals("{\"mine\":\"yes\"}", own.get("tags").toString(), "tags only when the entry has none");
        assertEquals("entry-user", own.get("user").asText(), "user only when the entry has none");
        JsonNode explicit = server.entryWithMessage("c20 explicit trace");
        assertEquals("explicit", explicit.get("trace_id").asText());
        assertFalse(explicit.has("span_id"), "the span id comes with its trace id: " + explicit);

        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
                server.entryWithMessage("c20 scope over trace context").get("trace_id").asText(),
                "the scope's trace comes before the thread's TraceContext");

        JsonNode after = server.entryWithMessage("c20 after");
        assertFalse(after.has("session_id") || after.has("trace_id"), after::toString);
        for (String key : List.of("tags", "user", "session_id", "orderId")) {
            assertFalse(after.get("metadata").has(key), key + " left with the scope: " + after);
        }
        assertEquals("global", after.get("metadata").get("region").asText());
    }

    @Test
    void c20_aSessionIdThatIsNotAUuidStaysInMetadataSoTheBatchIsNotRefused() {
        LogTideClient c = client(b -> { });
        try (LogTideScope scope = LogTideScope.push()) {
            scope.setSessionId("sess-\u0000-42");
            c.info(null, "c20 session");
        }
        c.flush();

        JsonNode entry = server.entryWithMessage("c20 session");
        assertFalse(entry.has("session_id"), "LogTide 0.8+ refuses the whole batch for a non-UUID session_id: " + entry);
        assertEquals("sess--42", entry.get("metadata").get("session_id").asText(), "NUL stripped as everywhere");
        assertNull(ServerRules.violation(entry), entry::toString);
    }

    @Test
    void c20_aBeforeSendHookSeesTheScopeAndCanStripIt() {
        List<String> seenUsers = new CopyOnWriteArrayList<>();
        LogTideClient c = client(b -> b.beforeSend(e -> {
            LogTideScope.Values scope = e.scope();
            seenUsers.add(scope == null || scope.user() == null ? "none" : String.valueOf(scope.user().fields().get("id")));
            return e.message().contains("strip") ? e.toBuilder().scope(null).build() : e;
        }));
        try (LogTideScope scope = LogTideScope.push()) {
            scope.setUser(LogTideScope.User.id("42")).setTag("tenant", "acme");
            c.info(null, "c20 keep");
            c.info(null, "c20 strip");
        }
        c.flush();

        assertEquals(List.of("42", "42"), seenUsers, "the hook runs on the sender thread, yet sees the caller's scope");
        assertEquals("42", server.entryWithMessage("c20 keep").get("metadata").get("user").get("id").asText());
        JsonNode stripped = server.entryWithMessage("c20 strip").get("metadata");
        assertFalse(stripped.has("user") || stripped.has("tags"), stripped::toString);
    }

    @Test
    void c20_hostileScopeValuesNeverBreakALogCallNorTheBatch() {
        LogTideClient c = client(b -> { });
        Object throwing = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString bomb");
            }
        };
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        try (LogTideScope scope = LogTideScope.push()) {
            assertDoesNotThrow(() -> scope.setExtra("bomb", throwing).setExtra("cycle", cyclic).setExtra(null, "ignored")
                    .setTag("nul\u0000key", "v\u0000al").setTag(null, "ignored")
                    .setUser(LogTideScope.User.id("42").with("friends", cyclic))
                    .addBreadcrumb(Breadcrumb.of(null).withData("cycle", cyclic).withData("bomb", throwing))
                    .addBreadcrumb((Breadcrumb) null).setSessionId("\ud800 lone surrogate"));
            c.info(null, "c20 hostile");
            c.info(null, "c20 neighbour");
        }
        c.flush();

        assertEquals(2, server.entries().size(), "one request, nothing refused");
        JsonNode hostile = server.entryWithMessage("c20 hostile");
        assertNull(ServerRules.violation(hostile), hostile::toString);
        JsonNode md = hostile.get("metadata");
        assertTrue(md.get("bomb").asText().contains("IllegalStateException"), md::toString);
        assertEquals("[Circular]", md.get("cycle").get("self").asText(), md::toString);
        assertEquals("val", md.get("tags").get("nulkey").asText(), "NUL stripped as everywhere: " + md);
        assertEquals("", md.get("breadcrumbs").get(0).get("message").asText());
        assertFalse(hostile.has("session_id"), hostile::toString);
        assertEquals(0, c.getMetrics().logsDropped());
    }

    @Test
    void c20_aPushedScopeIsACloneWhoseChangesDoNotLeakOut() {
        LogTideClient c = client(b -> { });
        try (LogTideScope outer = LogTideScope.push()) {
            outer.setTag("level", "outer").setExtra("kept", true);
            try (LogTideScope inner = LogTideScope.push()) {
                assertEquals(outer.values().tags(), inner.values().tags(), "the clone starts with the outer values");
                inner.setTag("level", "inner").setTag("only", "inner").setExtra("kept", null);
                c.info(null, "c20 inner");
            }
            assertSame(outer, LogTideScope.current(), "closing restores the previous scope");
            c.info(null, "c20 outer");
            outer.close();
            outer.close(); // twice: nothing more happens
        }
        c.info(null, "c20 none");
        c.flush();

        JsonNode inner = server.entryWithMessage("c20 inner").get("metadata");
        assertEquals("inner", inner.get("tags").get("level").asText());
        assertEquals("inner", inner.get("tags").get("only").asText());
        assertFalse(inner.has("kept"), inner::toString);
        JsonNode outer = server.entryWithMessage("c20 outer").get("metadata");
        assertEquals("{\"level\":\"outer\"}", outer.get("tags").toString(), "the inner change did not leak out");
        assertTrue(outer.get("kept").asBoolean());
        assertFalse(server.entryWithMessage("c20 none").get("metadata").has("tags"));
    }

    @Test
    void c20_scopesOfConcurrentTasksInAThreadPoolNeverMix() throws Exception {
        LogTideClient c = client(b -> b.maxBufferSize(10_000));
        int tasks = 400;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int i = 0; i < tasks; i++) {
                String id = Integer.toString(i);
                done.add(pool.submit(() -> {
                    start.await();
                    try (LogTideScope scope = LogTideScope.push()) {
                        scope.setTag("task", id).setExtra("taskExtra", id).setUser(LogTideScope.User.id("user-" + id));
                        Thread.yield(); // let the other tasks set theirs in between
                        c.info(null, "c20 task " + id);
                    }
                    c.info(null, "c20 after task " + id); // the pooled thread's next entry has no scope
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        c.flush();

        List<JsonNode> entries = server.entries();
        assertEquals(2 * tasks, entries.size());
        for (JsonNode e : entries) {
            String message = e.get("message").asText();
            JsonNode md = e.get("metadata");
            if (message.startsWith("c20 task ")) {
                String id = message.substring("c20 task ".length());
                assertEquals(id, md.get("tags").get("task").asText(), message);
                assertEquals(id, md.get("taskExtra").asText(), message);
                assertEquals("user-" + id, md.get("user").get("id").asText(), message);
            } else {
                assertFalse(md.has("tags") || md.has("taskExtra") || md.has("user"), "leaked: " + e);
            }
        }
    }

    @Test
    void c20_completableFutureChainsGetTheScopeOnlyWhenItIsHandedOver() throws Exception {
        LogTideClient c = client(b -> { });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (LogTideScope scope = LogTideScope.push()) {
            scope.setTag("request", "r-1");
            CompletableFuture.runAsync(() -> c.info(null, "c20 not handed over"), pool).get(10, TimeUnit.SECONDS);
            CompletableFuture.supplyAsync(scope.wrapSupplier(() -> {
                LogTideScope.current().setTag("changedInTask", "yes");
                c.info(null, "c20 wrapped");
                return "x";
            }), pool).thenAcceptAsync(x -> c.info(null, "c20 chained"), scope.executor(pool))
                    .get(10, TimeUnit.SECONDS);
            Executor propagating = LogTideScope.propagating(pool);
            CompletableFuture.runAsync(() -> c.info(null, "c20 propagating executor"), propagating).get(10, TimeUnit.SECONDS);
            Callable<String> call = scope.wrapCallable(() -> {
                c.info(null, "c20 callable");
                return "y";
            });
            pool.submit(call).get(10, TimeUnit.SECONDS);
            c.info(null, "c20 origin");
        } finally {
            pool.shutdownNow();
        }
        c.flush();

        assertFalse(server.entryWithMessage("c20 not handed over").get("metadata").has("tags"));
        for (String handedOver : List.of("c20 wrapped", "c20 chained", "c20 propagating executor", "c20 callable")) {
            assertEquals("r-1", server.entryWithMessage(handedOver).get("metadata").get("tags").get("request").asText(),
                    handedOver);
        }
        assertEquals("yes", server.entryWithMessage("c20 wrapped").get("metadata").get("tags").get("changedInTask").asText());
        assertEquals("{\"request\":\"r-1\"}", server.entryWithMessage("c20 origin").get("metadata").get("tags").toString(),
                "a task works on a clone: its change does not reach the submitting scope");
    }

    @Test
    void c16_noUserOrSessionUnlessTheApplicationSetsOne() {
        LogTideClient c = client(b -> { });
        c.info(null, "c16 no scope");
        try (LogTideScope scope = LogTideScope.push()) {
            scope.setTag("tenant", "acme");
            c.error(null, "c16 scope without user", new IllegalStateException("boom"));
            scope.setUser(LogTideScope.User.id("42").withEmail("ann@example.com").withUsername("ann").with("plan", "pro"));
            c.info(null, "c16 user set");
            assertFalse(scope.toString().contains("ann") || scope.toString().contains("42"),
                    "a scope's toString names what is set, never the values: " + scope);
        }
        c.flush();

        for (String message : List.of("c16 no scope", "c16 scope without user")) {
            JsonNode e = server.entryWithMessage(message);
            assertFalse(e.has("session_id"), e::toString);
            for (String personal : List.of("user", "session_id", "ip", "client_ip", "email", "username")) {
                assertFalse(e.get("metadata").has(personal), personal + " filled without being asked: " + e);
            }
        }
        JsonNode user = server.entryWithMessage("c16 user set").get("metadata").get("user");
        assertEquals("{\"id\":\"42\",\"email\":\"ann@example.com\",\"username\":\"ann\",\"plan\":\"pro\"}",
                user.toString(), "exactly what the application set");
    }

    private static List<String> crumbMessages(JsonNode entry) {
        List<String> out = new ArrayList<>();
        entry.get("metadata").path("breadcrumbs").forEach(b -> out.add(b.get("message").asText()));
        return out;
    }

    @Test
    void c21_breadcrumbsGoOldestFirstOnEveryEntryWhileTheScopeHoldsAny() {
        LogTideClient c = client(b -> { });
        Instant at = Instant.parse("2026-12-07T18:30:00.123Z");
        try (LogTideScope scope = LogTideScope.push()) {
            c.info(null, "c21 before any");
            scope.addBreadcrumb("cart opened");
            scope.addBreadcrumb(Breadcrumb.of("GET /api/cart").withType(Breadcrumb.Type.HTTP).withCategory("http.client")
                    .withLevel(LogLevel.WARN).withTimestamp(at).withData("status", 503).withData("ms", 12.5));
            c.info(null, "c21 info");
            c.error(null, "c21 error", new IllegalStateException("boom"));
            c.info(null, "c21 own", Map.of("breadcrumbs", "the entry's own"));
        }
        c.info(null, "c21 after");
        c.flush();

        assertFalse(server.entryWithMessage("c21 before any").get("metadata").has("breadcrumbs"));
        for (String message : List.of("c21 info", "c21 error")) {
            JsonNode entry = server.entryWithMessage(message);
            assertNull(ServerRules.violation(entry), entry::toString);
            assertEquals(List.of("cart opened", "GET /api/cart"), crumbMessages(entry), "every level, oldest first");
            JsonNode first = entry.get("metadata").get("breadcrumbs").get(0);
            assertEquals(Set.of("type", "message", "level", "timestamp"), fieldNames(first), "no empty category or data");
            assertEquals("custom", first.get("type").asText());
            assertEquals("info", first.get("level").asText());
            assertTrue(first.get("timestamp").asText().matches(RFC3339_UTC), first::toString);
            JsonNode second = entry.get("metadata").get("breadcrumbs").get(1);
            assertEquals("{\"type\":\"http\",\"message\":\"GET /api/cart\",\"category\":\"http.client\",\"level\":\"warn\","
                    + "\"timestamp\":\"2026-12-07T18:30:00.123Z\",\"data\":{\"status\":503,\"ms\":12.5}}", second.toString());
        }
        assertEquals("the entry's own", server.entryWithMessage("c21 own").get("metadata").get("breadcrumbs").asText());
        assertFalse(server.entryWithMessage("c21 after").get("metadata").has("breadcrumbs"), "they left with the scope");
    }

    @Test
    void c21_theRingKeepsTheNewestAndEvictsTheOldestFirst() {
        LogTideClient c = client(b -> { });
        try (LogTideScope scope = LogTideScope.push()) {
            assertEquals(100, scope.values().maxBreadcrumbs(), "the contract's default capacity");
            for (int i = 1; i <= 150; i++) {
                scope.addBreadcrumb("crumb " + i);
            }
            c.info(null, "c21 default ring");
            scope.setMaxBreadcrumbs(3);
            c.info(null, "c21 shrunk");
            scope.addBreadcrumb("crumb 151");
            c.info(null, "c21 small ring");
            try (LogTideScope inner = LogTideScope.push()) {
                inner.addBreadcrumb("inner 1");
                assertEquals(3, inner.values().maxBreadcrumbs(), "a clone keeps the capacity");
                c.info(null, "c21 inner");
            }
            c.info(null, "c21 outer again");
            assertThrows(IllegalArgumentException.class, () -> scope.setMaxBreadcrumbs(-1));
            scope.setMaxBreadcrumbs(0).addBreadcrumb("not kept");
            c.info(null, "c21 none kept");
        }
        c.flush();

        List<String> ring = crumbMessages(server.entryWithMessage("c21 default ring"));
        assertEquals(100, ring.size());
        assertEquals("crumb 51", ring.get(0));
        assertEquals("crumb 150", ring.get(99));
        assertEquals(List.of("crumb 148", "crumb 149", "crumb 150"), crumbMessages(server.entryWithMessage("c21 shrunk")));
        assertEquals(List.of("crumb 149", "crumb 150", "crumb 151"), crumbMessages(server.entryWithMessage("c21 small ring")));
        assertEquals(List.of("crumb 150", "crumb 151", "inner 1"), crumbMessages(server.entryWithMessage("c21 inner")));
        assertEquals(List.of("crumb 149", "crumb 150", "crumb 151"), crumbMessages(server.entryWithMessage("c21 outer again")),
                "the inner scope's breadcrumb did not leak out");
        assertFalse(server.entryWithMessage("c21 none kept").get("metadata").has("breadcrumbs"));
    }

    @Test
    void c21_breadcrumbsPastMaxLogSizeAreGivenUpAndTheEntryIsStillSent() {
        LogTideClient c = client(b -> b.payloadLimits(PayloadLimits.builder().maxLogSize(4096).build()));
        try (LogTideScope scope = LogTideScope.push()) {
            for (int i = 0; i < 100; i++) {
                scope.addBreadcrumb("step " + i + " " + "x".repeat(200));
            }
            c.error(null, "c21 large", Map.of("orderId", "A-1"));
        }
        c.flush();

        JsonNode entry = server.entryWithMessage("c21 large");
        assertNull(ServerRules.violation(entry), entry::toString);
        JsonNode md = entry.get("metadata");
        assertTrue(md.get("_truncated").asBoolean(), md::toString);
        assertTrue(md.get("_original_size").asLong() > 20_000, md::toString);
        assertEquals("A-1", md.get("orderId").asText(), "the small values stay");
        assertEquals("[REMOVED: entry over maxLogSize]", md.get("breadcrumbs").asText(), "the largest value went first");
        assertTrue(entry.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 4096, entry::toString);
    }
}
