package dev.logtide.query;

import dev.logtide.internal.transport.FeedbackGuard;
import dev.logtide.LogLevel;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static dev.logtide.query.ServerShapes.KEY;
import static dev.logtide.query.ServerShapes.log;
import static dev.logtide.query.ServerShapes.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveTailTest {
    private static final String STREAM = "/api/v1/logs/stream";
    private static final OkHttpClient HTTP = new OkHttpClient();
    /** Fast reconnection so the suite stays quick; the backoff's shape is the same. */
    private static final LiveTailOptions FAST = LiveTailOptions.builder()
            .reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50)).build();

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final Routes routes = new Routes();
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();
    private final BlockingQueue<LogRecord> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    private final List<LiveTail> tails = new ArrayList<>();

    @BeforeEach
    void routeRequests() {
        server.setDispatcher(routes);
    }

    @AfterEach
    void stopEverything() {
        tails.forEach(LiveTail::close);
        routes.finishStreams();
    }

    private LiveTail tail(LiveTailOptions options) {
        QueryClient client = new QueryClient(HTTP, server.url("/").toString(), KEY, ServerShapes.collecting(diagnostics));
        LiveTail tail = client.stream(received::add, errors::add, options);
        tails.add(tail);
        return tail;
    }

    private LogRecord next() throws InterruptedException {
        LogRecord record = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(record, "no log delivered; diagnostics: " + diagnostics);
        return record;
    }

    private List<String> nextIds(int n) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(next().id());
        }
        return ids;
    }

    @Test
    void deliversUnwrappedLogsOnceAndSkipsTheConnectedEventAndHeartbeats() throws Exception {
        BlockingQueue<String> callbackThreads = new LinkedBlockingQueue<>();
        routes.stream(new SseStream()
                .connected("2030-01-01T00:00:00.000Z")
                .heartbeat()
                .log(log(1, "2030-01-01T00:00:01.000Z", "error", "first"))
                .heartbeat()
                // The server sends its newest log again on every poll.
                .log(log(1, "2030-01-01T00:00:01.000Z", "error", "first"))
                .log(log(2, "2030-01-01T00:00:02.000Z", "error", "second")));
        QueryClient client = new QueryClient(HTTP, server.url("/").toString(), KEY, ServerShapes.collecting(diagnostics));
        LiveTail tail = client.stream(record -> {
            callbackThreads.add(Thread.currentThread().getName() + " internal=" + FeedbackGuard.isInternalThread());
            received.add(record);
        }, errors::add, LiveTailOptions.builder().service("api").level(LogLevel.ERROR).build());
        tails.add(tail);

        LogRecord first = next();
        assertEquals(uuid(1), first.id());
        assertEquals("first", first.message());
        assertEquals(LogLevel.ERROR, first.level());
        assertEquals("trace-1", first.traceId());
        assertEquals(uuid(2), next().id());
        // Events arrive in order: the repeat of log 1 came before log 2 and was dropped.
        assertTrue(received.isEmpty(), "duplicates delivered: " + received);
        assertEquals("logtide-live-tail internal=true", callbackThreads.take());

        RecordedRequest request = routes.first(STREAM);
        HttpUrl url = request.getUrl();
        assertEquals(KEY, request.getHeaders().get("X-API-Key"));
        assertEquals("text/event-stream", request.getHeaders().get("Accept"));
        assertFalse(url.toString().contains(KEY));
        assertEquals("api", url.queryParameter("service"));
        assertEquals("error", url.queryParameter("level"));
        assertNull(url.queryParameter("token"));

        tail.close();
        assertTrue(tail.awaitTermination(10, TimeUnit.SECONDS));
        assertFalse(tail.isRunning());
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(0, tail.reconnects());
    }

    @Test
    void reconnectsAfterADropAndFillsTheGapWithoutDuplicates() throws Exception {
        routes.stream(new SseStream()
                .connected("2030-01-01T00:00:00.000Z")
                .log(log(1, "2030-01-01T00:00:01.000Z", "info", "a"))
                .log(log(2, "2030-01-01T00:00:02.000Z", "info", "b"))
                .end());
        // Logged while the tail was away: the query API answers newest first, overlapping what was seen.
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null,
                log(3, "2030-01-01T00:00:03.000Z", "info", "gap"), log(2, "2030-01-01T00:00:02.000Z", "info", "b"))));
        routes.stream(new SseStream()
                .connected("2030-01-01T00:00:05.000Z")
                .log(log(2, "2030-01-01T00:00:02.000Z", "info", "b"))
                .log(log(4, "2030-01-01T00:00:06.000Z", "info", "after")));
        LiveTail tail = tail(LiveTailOptions.builder().service("api").level(LogLevel.INFO)
                .reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50))
                .catchUpWindow(Duration.ZERO).build());

        assertEquals(Arrays.asList(uuid(1), uuid(2), uuid(3), uuid(4)), nextIds(4));
        assertTrue(received.isEmpty(), "duplicates delivered: " + received);
        assertEquals(1, tail.reconnects());

        HttpUrl gap = routes.first("/api/v1/logs").getUrl();
        assertEquals("2030-01-01T00:00:02.000Z", gap.queryParameter("from"), "resumes from the last delivered log");
        // A minute past now (here: past "from", whose clock runs years ahead): logs stamped after the
        // reconnection may reach the server late too.
        assertEquals("2030-01-01T00:01:02.000Z", gap.queryParameter("to"));
        assertEquals("api", gap.queryParameter("service"));
        assertEquals("info", gap.queryParameter("level"));
        assertEquals("1000", gap.queryParameter("limit"));
        assertEquals(2, routes.count(STREAM));
        assertEquals(1, tail.catchUpQueries());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** Issue 19 row 1: the server sends each poll newest first; the callback gets time order, ties by id. */
    @Test
    void eachPollIsDeliveredInTimeOrderTiesByIdAndRepeatsOnce() throws Exception {
        SseStream stream = new SseStream().connected("2030-01-01T00:00:00.000Z");
        routes.stream(stream);
        tail(FAST);
        List<String> expected = new ArrayList<>();
        String previousNewest = null;
        for (int wave = 0; wave < 3; wave++) {
            List<String> poll = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = wave * 100 + i;
                // Pairs of logs share a millisecond: ties are broken by id.
                poll.add(log(n, String.format("2030-01-01T00:00:%02d.%03dZ", wave + 1, i / 2), "info", "w" + wave + "-" + i));
                expected.add(uuid(n));
            }
            Collections.reverse(poll); // newest first, as the server sends a poll
            if (previousNewest != null) {
                stream.log(previousNewest); // and the last poll's newest log again
            }
            poll.forEach(stream::log);
            stream.heartbeat();
            previousNewest = poll.get(0);
            Thread.sleep(300); // the server polls about once a second
        }
        assertEquals(expected, nextIds(150));
        Thread.sleep(LiveTail.SETTLE_MS * 3);
        assertTrue(received.isEmpty(), "delivered twice: " + received);
    }

    /** Issue 19 row 2: 300 logs stored between two polls; the stream sends only the newest 100. */
    @Test
    void aFullPageOfNewLogsIsCompletedThroughTheQueryApi() throws Exception {
        SseStream stream = new SseStream().connected("2030-01-01T00:00:00.000Z")
                .log(log(1, "2030-01-01T00:00:00.500Z", "info", "before"));
        routes.stream(stream);
        LiveTail tail = tail(FAST);
        assertEquals(uuid(1), next().id());

        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            burst.add(log(1000 + i, String.format("2030-01-01T00:00:01.%03dZ", i), "info", "burst-" + i));
        }
        // The query API's answer for the gap: newest first, down to the last delivered log.
        List<String> gap = new ArrayList<>(burst.subList(0, 201));
        gap.add(log(1, "2030-01-01T00:00:00.500Z", "info", "before"));
        Collections.reverse(gap.subList(0, 201));
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null, gap.toArray(new String[0]))));
        // The newest page of the poll, newest first, in one write as the server sends it: written
        // log by log, a pause of 100 ms (SETTLE_MS) on a loaded machine split it into two batches.
        List<String> page = new ArrayList<>(burst.subList(200, 300));
        Collections.reverse(page);
        stream.logs(page);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(uuid(1000 + i));
        }
        assertEquals(expected, nextIds(300));
        HttpUrl fill = routes.first("/api/v1/logs").getUrl();
        assertEquals("2030-01-01T00:00:00.500Z", fill.queryParameter("from"), "from the last delivered log");
        assertEquals("2030-01-01T00:00:01.200Z", fill.queryParameter("to"), "to the oldest log of the full page");

        // A poll of fewer than 100 new logs is complete: no query.
        for (int i = 0; i < 99; i++) {
            stream.log(log(2000 + i, "2030-01-01T00:00:02.000Z", "info", "small"));
        }
        nextIds(99);
        assertEquals(1, routes.count("/api/v1/logs"));
        assertEquals(1, tail.catchUpQueries());
        assertTrue(received.isEmpty(), "delivered twice: " + received);
    }

    /**
     * A full page of 100 that holds 99 new logs and 1 sent before (0.5.0 streams from its last poll's
     * newest time, inclusive): 150 more logs share that time and the page left them out.
     */
    @Test
    void aFullPageWithAReSentLogIsStillCompletedThroughTheQueryApi() throws Exception {
        String first = log(1, "2030-01-01T00:00:00.500Z", "info", "before");
        SseStream stream = new SseStream().connected("2030-01-01T00:00:00.000Z").log(first);
        routes.stream(stream);
        LiveTail tail = tail(FAST);
        assertEquals(uuid(1), next().id());

        List<String> gap = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 149; i >= 0; i--) {
            gap.add(log(2000 + i, "2030-01-01T00:00:00.500Z", "info", "same millisecond " + i));
        }
        gap.add(first);
        for (int i = 0; i < 150; i++) {
            expected.add(uuid(2000 + i));
        }
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null, gap.toArray(new String[0]))));
        for (int i = 98; i >= 0; i--) {
            stream.log(log(3000 + i, String.format("2030-01-01T00:00:01.%03dZ", i), "info", "new " + i));
        }
        stream.log(first); // the page's oldest: the previous poll's newest, sent again
        for (int i = 0; i < 99; i++) {
            expected.add(uuid(3000 + i));
        }

        assertEquals(expected, nextIds(249));
        HttpUrl fill = routes.first("/api/v1/logs").getUrl();
        assertEquals("2030-01-01T00:00:00.500Z", fill.queryParameter("from"), "from where the server's poll started");
        assertEquals("2030-01-01T00:00:00.500Z", fill.queryParameter("to"), "to the oldest log of the full page");
        assertEquals(1, tail.catchUpQueries());
        Thread.sleep(LiveTail.SETTLE_MS * 3);
        assertTrue(received.isEmpty(), "delivered twice: " + received);
    }

    /**
     * A full page whose logs are all stamped before the newest delivered one (a catch-up delivered a
     * log stamped ahead of the server's clock): the logs the page left out are read all the same.
     */
    @Test
    void aFullPageStampedBeforeTheNewestDeliveredLogIsStillCompleted() throws Exception {
        routes.stream(new SseStream()
                .connected("2030-01-01T00:00:00.000Z")
                .log(log(1, "2030-01-01T00:00:01.000Z", "info", "a"))
                .end());
        // The reconnection's catch-up finds a log stamped ahead of the server's clock.
        String ahead = log(2, "2030-01-01T00:00:09.000Z", "info", "stamped ahead");
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null, ahead, log(1, "2030-01-01T00:00:01.000Z", "info", "a"))));
        SseStream second = new SseStream().connected("2030-01-01T00:00:05.000Z");
        routes.stream(second);
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            burst.add(log(1000 + i, String.format("2030-01-01T00:00:06.%03dZ", i), "info", "burst-" + i));
        }
        List<String> gap = new ArrayList<>(burst.subList(0, 201));
        Collections.reverse(gap);
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null, gap.toArray(new String[0]))));
        LiveTail tail = tail(LiveTailOptions.builder().reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50))
                .catchUpWindow(Duration.ZERO).build());
        assertEquals(Arrays.asList(uuid(1), uuid(2)), nextIds(2));

        for (int i = 299; i >= 200; i--) {
            second.log(burst.get(i)); // the stream's newest page, all before the newest delivered log
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(uuid(1000 + i));
        }
        assertEquals(expected, nextIds(300), "the page and what it left out, in time order, after the log stamped ahead");
        List<RecordedRequest> reads = routes.requests.stream().filter(r -> r.getUrl().encodedPath().equals("/api/v1/logs"))
                .collect(Collectors.toList());
        assertEquals(2, reads.size());
        assertEquals("2030-01-01T00:00:05.000Z", reads.get(1).getUrl().queryParameter("from"), "from the stream's start");
        assertEquals("2030-01-01T00:00:06.200Z", reads.get(1).getUrl().queryParameter("to"));
        assertEquals(2, tail.catchUpQueries());
        assertTrue(received.isEmpty(), "delivered twice: " + received);
    }

    /** A full page that reaches the tail in two parts (a pause mid-poll) is still seen as one poll. */
    @Test
    void aFullPageHandedOverInPartsIsStillCompleted() throws Exception {
        String first = log(1, "2030-01-01T00:00:00.500Z", "info", "before");
        SseStream stream = new SseStream().connected("2030-01-01T00:00:00.000Z").log(first);
        routes.stream(stream);
        LiveTail tail = tail(FAST);
        assertEquals(uuid(1), next().id());

        List<String> gap = new ArrayList<>();
        gap.add(log(3000, "2030-01-01T00:00:01.000Z", "info", "new 0"));
        for (int i = 199; i >= 0; i--) {
            gap.add(log(2000 + i, String.format("2030-01-01T00:00:00.%03dZ", 600 + i), "info", "left out " + i));
        }
        gap.add(first);
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null, gap.toArray(new String[0]))));
        for (int i = 99; i >= 50; i--) {
            stream.log(log(3000 + i, String.format("2030-01-01T00:00:01.%03dZ", i), "info", "new " + i));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 50; i < 100; i++) {
            expected.add(uuid(3000 + i));
        }
        assertEquals(expected, nextIds(50), "the newer half, handed over after the stream was quiet");
        for (int i = 49; i >= 0; i--) {
            stream.log(log(3000 + i, String.format("2030-01-01T00:00:01.%03dZ", i), "info", "new " + i));
        }

        expected.clear();
        for (int i = 0; i < 200; i++) {
            expected.add(uuid(2000 + i));
        }
        for (int i = 0; i < 50; i++) {
            expected.add(uuid(3000 + i));
        }
        assertEquals(expected, nextIds(250));
        HttpUrl fill = routes.first("/api/v1/logs").getUrl();
        assertEquals("2030-01-01T00:00:00.500Z", fill.queryParameter("from"));
        assertEquals("2030-01-01T00:00:01.000Z", fill.queryParameter("to"));
        assertEquals(1, tail.catchUpQueries());
        assertTrue(received.isEmpty(), "delivered twice: " + received);
    }

    /** More left out behind a full page than maxBackfill: the newest are read, and diagnostics say so. */
    @Test
    void aGapBehindAFullPageCutByMaxBackfillIsReported() throws Exception {
        String first = log(1, "2030-01-01T00:00:00.500Z", "info", "before");
        SseStream stream = new SseStream().connected("2030-01-01T00:00:00.000Z").log(first);
        routes.stream(stream);
        LiveTail tail = tail(LiveTailOptions.builder().reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50))
                .maxBackfill(50).build());
        assertEquals(uuid(1), next().id());

        List<String> gap = new ArrayList<>();
        for (int i = 149; i >= 100; i--) {
            gap.add(log(2000 + i, "2030-01-01T00:00:00.500Z", "info", "same millisecond " + i));
        }
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page("c:50", gap.toArray(new String[0]))));
        for (int i = 98; i >= 0; i--) {
            stream.log(log(3000 + i, String.format("2030-01-01T00:00:01.%03dZ", i), "info", "new " + i));
        }
        stream.log(first);

        List<String> expected = new ArrayList<>();
        for (int i = 100; i < 150; i++) {
            expected.add(uuid(2000 + i));
        }
        for (int i = 0; i < 99; i++) {
            expected.add(uuid(3000 + i));
        }
        assertEquals(expected, nextIds(149));
        assertEquals("50", routes.first("/api/v1/logs").getUrl().queryParameter("limit"));
        assertEquals(1, tail.catchUpQueries(), "no read past maxBackfill");
        assertTrue(diagnostics.stream().anyMatch(d -> d.contains("more than 50 logs not delivered yet were stamped since 2030-01-01T00:00:00.500Z")
                && d.contains("behind a full page of the stream")), diagnostics.toString());
    }

    /** With catching up off, a full page cannot be completed: diagnostics say logs may be missing. */
    @Test
    void aFullPageWithCatchingUpOffIsReported() throws Exception {
        SseStream stream = new SseStream().connected("2030-01-01T00:00:00.000Z");
        routes.stream(stream);
        tail(LiveTailOptions.builder().reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50))
                .maxBackfill(0).build());
        for (int i = 99; i >= 0; i--) {
            stream.log(log(1000 + i, String.format("2030-01-01T00:00:01.%03dZ", i), "info", "burst-" + i));
        }
        nextIds(100);
        assertEquals(0, routes.count("/api/v1/logs"));
        assertTrue(diagnostics.stream().anyMatch(d -> d.contains("a full page of 100 logs") && d.contains("maxBackfill is 0")),
                diagnostics.toString());
    }

    /**
     * Issue 19 row 3: logs another client buffered while the server was down reach it late, with
     * their original times; the stream never sends them, re-reading the gap finds them.
     */
    @Test
    void logsThatReachTheServerLateAfterAnOutageAreFoundByReReadingTheGap() throws Exception {
        // An hour ago: catch-up reads end a minute past now, each at its own "to".
        Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        IntFunction<String> at = seconds -> base.plusSeconds(seconds).toString().replace("Z", ".000Z");
        routes.stream(new SseStream()
                .connected(at.apply(0))
                .log(log(1, at.apply(1), "info", "before the outage"))
                .end());
        routes.stream(new SseStream().connected(at.apply(10)).heartbeat());
        // At the reconnection the producer has not delivered its buffered logs yet.
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null, log(1, at.apply(1), "info", "before the outage"))));
        String late = ServerShapes.page(null,
                log(5, at.apply(11), "info", "logged after the reconnection, delivered late"),
                log(4, at.apply(4), "info", "late 3"),
                log(3, at.apply(3), "info", "late 2"),
                log(2, at.apply(2), "info", "late 1"),
                log(1, at.apply(1), "info", "before the outage"));
        for (int i = 0; i < 7; i++) {
            routes.add("/api/v1/logs", ServerShapes.json(late));
        }
        LiveTail tail = tail(LiveTailOptions.builder().reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50))
                .catchUpWindow(Duration.ofMillis(1600)).build());

        assertEquals(Arrays.asList(uuid(1), uuid(2), uuid(3), uuid(4), uuid(5)), nextIds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (tail.catchUpQueries() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        assertEquals(8, tail.catchUpQueries(), "one read at the reconnection and 7 over the catch-up window");
        assertEquals(8, routes.count("/api/v1/logs"));
        List<RecordedRequest> reads = routes.requests.stream().filter(r -> r.getUrl().encodedPath().equals("/api/v1/logs"))
                .collect(Collectors.toList());
        assertTrue(reads.stream().allMatch(r -> at.apply(1).equals(r.getUrl().queryParameter("from"))));
        // Each read has its own "to", so the server's 60 s answer cache cannot replay an earlier answer.
        assertEquals(reads.size(), reads.stream().map(r -> r.getUrl().queryParameter("to")).distinct().count());
        assertTrue(received.isEmpty(), "delivered twice: " + received);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /**
     * A busy stream after a reconnection: a re-read's newest page is traffic the stream already
     * delivered, and the late logs are behind it. They count for nothing toward maxBackfill, so
     * the read pages on to the late logs (found by a reviewer: with maxBackfill 5 the read stopped
     * after the traffic and the late logs were never delivered).
     */
    @Test
    void aReReadPagesPastTrafficAlreadyDeliveredToTheLateLogs() throws Exception {
        Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        IntFunction<String> at = seconds -> base.plusSeconds(seconds).toString().replace("Z", ".000Z");
        routes.stream(new SseStream()
                .connected(at.apply(0))
                .log(log(1, at.apply(1), "info", "before the outage"))
                .end());
        SseStream traffic = new SseStream().connected(at.apply(10));
        for (int i = 10; i >= 6; i--) {
            traffic.log(log(i, at.apply(i + 5), "info", "traffic after the reconnection " + i));
        }
        routes.stream(traffic.heartbeat());
        // The catch-up at the reconnection: the producer has not delivered its buffered logs yet.
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null)));
        // The first re-read: a page of the traffic, then the late logs behind it.
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page("next",
                log(10, at.apply(15), "info", "traffic after the reconnection 10"),
                log(9, at.apply(14), "info", "traffic after the reconnection 9"),
                log(8, at.apply(13), "info", "traffic after the reconnection 8"),
                log(7, at.apply(12), "info", "traffic after the reconnection 7"),
                log(6, at.apply(11), "info", "traffic after the reconnection 6"))));
        routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null,
                log(4, at.apply(4), "info", "late 3"),
                log(3, at.apply(3), "info", "late 2"),
                log(2, at.apply(2), "info", "late 1"),
                log(1, at.apply(1), "info", "before the outage"))));
        for (int i = 0; i < 7; i++) {
            routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null)));
        }
        LiveTail tail = tail(LiveTailOptions.builder().reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50))
                .maxBackfill(5).catchUpWindow(Duration.ofMillis(64_000)).build());

        assertEquals(Arrays.asList(uuid(1), uuid(6), uuid(7), uuid(8), uuid(9), uuid(10)), nextIds(6));
        assertEquals(Arrays.asList(uuid(2), uuid(3), uuid(4)), nextIds(3), "the late logs behind the traffic");
        tail.close();
        List<RecordedRequest> reads = routes.requests.stream().filter(r -> r.getUrl().encodedPath().equals("/api/v1/logs"))
                .collect(Collectors.toList());
        assertEquals("next", reads.get(2).getUrl().queryParameter("cursor"), "the re-read paged on past the traffic");
        assertTrue(diagnostics.stream().noneMatch(d -> d.contains("may be missing")), diagnostics.toString());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** Issue 22 row 11: a server that says connected every 50 ms on one connection. */
    @Test
    void repeatedConnectedEventsOnOneConnectionGetOneCatchUp() throws Exception {
        routes.stream(new SseStream()
                .connected("2030-01-01T00:00:00.000Z")
                .log(log(1, "2030-01-01T00:00:01.000Z", "info", "a"))
                .end());
        SseStream chatty = new SseStream();
        routes.stream(chatty);
        for (int i = 0; i < 10; i++) {
            routes.add("/api/v1/logs", ServerShapes.json(ServerShapes.page(null)));
        }
        LiveTail tail = tail(LiveTailOptions.builder().reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50))
                .catchUpWindow(Duration.ZERO).build());
        assertEquals(uuid(1), next().id());

        for (int i = 0; i < 40; i++) {
            chatty.connected(String.format("2030-01-01T00:00:%02d.000Z", 10 + i / 20));
            Thread.sleep(50);
        }
        assertEquals(1, tail.catchUpQueries());
        assertEquals(1, routes.count("/api/v1/logs"));
        assertEquals(1, tail.reconnects());
    }

    /** Issue 22 row 11: a server that drops every stream right after saying connected. */
    @Test
    void aServerThatDropsEveryStreamIsRetriedWithGrowingBackoff() throws Exception {
        for (int i = 0; i < 200; i++) {
            routes.stream(new SseStream().connected(String.format("2030-01-01T00:%02d:%02d.000Z", i / 60, i % 60)).end());
        }
        LiveTail tail = tail(LiveTailOptions.builder().reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofSeconds(5))
                .catchUpWindow(Duration.ZERO).build());
        Thread.sleep(3000);
        tail.close();

        // 50, 100, 200, 400, 800, 1600 ms (+ up to a quarter): at most 7 connections in 3 s,
        // where a constant 50 ms would make about 50.
        long connections = routes.count(STREAM);
        assertTrue(connections >= 3 && connections <= 7, connections + " connections in 3 s");
        assertTrue(tail.catchUpQueries() < connections, tail.catchUpQueries() + " catch-ups for " + connections + " connections");
    }

    @Test
    void aServerErrorIsRetriedWithBackoff() throws Exception {
        routes.add(STREAM, ServerShapes.json(503, "{\"error\":\"Service Unavailable\",\"message\":\"restarting\"}"));
        routes.add(STREAM, new MockResponse.Builder().code(500).body("oops").build());
        routes.stream(new SseStream().connected("2030-01-01T00:00:00.000Z").log(log(1, "2030-01-01T00:00:01.000Z", "info", "a")));
        LiveTail tail = tail(FAST);

        assertEquals(uuid(1), next().id());
        assertEquals(2, tail.reconnects());
        assertEquals(3, routes.count(STREAM));
        assertEquals(0, routes.count("/api/v1/logs"), "nothing to fill before the first connection");
        assertTrue(diagnostics.stream().anyMatch(d -> d.contains("answered 503") && d.contains("restarting")), diagnostics.toString());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void a401StopsTheTailAndIsReportedOnce() throws Exception {
        routes.add(STREAM, ServerShapes.invalidKey());
        LiveTail tail = tail(FAST);

        Throwable error = errors.poll(10, TimeUnit.SECONDS);
        LogTideApiException e = assertInstanceOf(LogTideApiException.class, error);
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("API key was rejected"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        assertTrue(tail.awaitTermination(10, TimeUnit.SECONDS));
        assertFalse(tail.isRunning());
        assertTrue(errors.isEmpty(), "reported more than once: " + errors);
        assertEquals(1, routes.count(STREAM), "a rejected key is not retried");
    }

    @Test
    void a403StopsTheTail() throws Exception {
        routes.add(STREAM, ServerShapes.forbidden());
        LiveTail tail = tail(FAST);

        assertEquals(403, assertInstanceOf(LogTideApiException.class, errors.poll(10, TimeUnit.SECONDS)).status());
        assertTrue(tail.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, routes.count(STREAM));
    }

    @Test
    void anAnswerThatIsNotAnEventStreamStopsTheTail() throws Exception {
        routes.add(STREAM, new MockResponse.Builder().addHeader("Content-Type", "text/html").body("<html>UI</html>").build());
        LiveTail tail = tail(FAST);

        Throwable error = errors.poll(10, TimeUnit.SECONDS);
        assertNotNull(error);
        assertTrue(error.getMessage().contains("not an event stream"), error.getMessage());
        assertTrue(tail.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, routes.count(STREAM));
    }

    @Test
    void aThrowingCallbackDoesNotKillTheStream() throws Exception {
        routes.stream(new SseStream()
                .connected("2030-01-01T00:00:00.000Z")
                .log(log(1, "2030-01-01T00:00:01.000Z", "info", "a"))
                .log(log(2, "2030-01-01T00:00:02.000Z", "info", "b")));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        QueryClient client = new QueryClient(HTTP, server.url("/").toString(), KEY, ServerShapes.collecting(diagnostics));
        LiveTail tail = client.stream(record -> {
            seen.add(record.id());
            if (record.id().equals(uuid(1))) {
                throw new IllegalStateException("callback bug");
            }
            received.add(record);
        }, errors::add, FAST);
        tails.add(tail);

        assertEquals(uuid(2), next().id());
        assertEquals(Arrays.asList(uuid(1), uuid(2)), seen);
        assertTrue(tail.isRunning());
        assertTrue(diagnostics.stream().anyMatch(d -> d.contains("onLog callback threw java.lang.IllegalStateException")),
                diagnostics.toString());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void eventsItCannotReadAreSkippedAndMultiLineDataIsJoined() throws Exception {
        routes.stream(new SseStream()
                .connected("2030-01-01T00:00:00.000Z")
                .data("not json")
                .log("{\"time\":\"2030-01-01T00:00:01.000Z\"}")
                .data("{\"type\":\"something-new\"}")
                .raw("event: message\nid: 7\nretry: 10\ndata:{\"type\":\"log\",\r\ndata: \"data\":"
                        + log(5, "2030-01-01T00:00:05.000Z", "warn", "split") + "}\n\n"));
        tail(FAST);

        LogRecord record = next();
        assertEquals(uuid(5), record.id());
        assertEquals("split", record.message());
        assertTrue(received.isEmpty());
        assertTrue(diagnostics.stream().anyMatch(d -> d.contains("skipped an event that is not JSON")), diagnostics.toString());
        assertTrue(diagnostics.stream().anyMatch(d -> d.contains("skipped a log event of an unexpected shape: data.id")),
                diagnostics.toString());
    }

    @Test
    void closeEndsTheThreadWhileTheStreamIsOpen() throws Exception {
        SseStream stream = new SseStream().connected("2030-01-01T00:00:00.000Z").log(log(1, "2030-01-01T00:00:01.000Z", "info", "a"));
        routes.stream(stream);
        LiveTail tail = tail(FAST);
        assertEquals(uuid(1), next().id());
        assertTrue(tail.isRunning(), "the stream is open and idle");

        tail.close();
        assertTrue(tail.awaitTermination(10, TimeUnit.SECONDS));
        assertFalse(tail.isRunning());
        stream.log(log(2, "2030-01-01T00:00:02.000Z", "info", "late"));
        tail.close();
        assertEquals(1, routes.count(STREAM), "a closed tail does not reconnect");
        assertTrue(received.isEmpty());
        assertTrue(errors.isEmpty(), "closing is not an error: " + errors);
        assertTrue(tail.toString().endsWith("stopped}"), tail.toString());
    }

    @Test
    void closeDuringBackoffStopsAtOnce() throws Exception {
        routes.add(STREAM, ServerShapes.json(503, "{}"));
        LiveTail tail = tail(LiveTailOptions.builder().reconnectDelay(Duration.ofHours(1)).maxReconnectDelay(Duration.ofHours(1)).build());
        while (routes.count(STREAM) == 0) {
            Thread.sleep(5);
        }
        tail.close();
        assertTrue(tail.awaitTermination(10, TimeUnit.SECONDS), "an hour-long backoff must not hold close()");
        assertEquals(0, tail.reconnects());
    }
}
