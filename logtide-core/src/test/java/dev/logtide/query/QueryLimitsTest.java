package dev.logtide.query;

import dev.logtide.testing.ChildJvm;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.logtide.query.ServerShapes.KEY;
import static dev.logtide.query.ServerShapes.json;
import static dev.logtide.query.ServerShapes.log;
import static dev.logtide.query.ServerShapes.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22 row 5: every read call has an overall time limit and a cap on the decoded answer size,
 * each failing with a {@link LogTideQueryException} that says which limit was hit.
 */
class QueryLimitsTest {
    /** Socket timeouts far above the call limit: only the call limit can end these calls. */
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .connectTimeout(5, TimeUnit.SECONDS).readTimeout(20, TimeUnit.SECONDS).build();
    private static final String TIME_LIMIT = "the time limit of a read call";
    private static final String SIZE_LIMIT = "the size limit of an answer (decoded)";
    private static final AggregatedStatsOptions STATS = AggregatedStatsOptions.builder()
            .from(Instant.EPOCH).to(Instant.parse("2030-01-01T00:00:00Z")).build();

    @StartStop
    final MockWebServer server = new MockWebServer();

    private QueryClient client(String url, Duration callTimeout, long maxAnswerBytes) {
        return new QueryClient(HTTP, url, KEY, null, callTimeout, maxAnswerBytes);
    }

    /** A valid page whose body arrives 10 bytes every 100 ms: each read stays far inside readTimeout. */
    private MockResponse trickled() {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body(page(null, log(1, "2030-01-01T00:00:01.000Z", "info", "slow")))
                .throttleBody(10, 100, TimeUnit.MILLISECONDS).build();
    }

    @Test
    void aServerThatTricklesItsAnswerHitsTheTimeLimitSyncAsyncAndStats() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(trickled());
        }
        QueryClient client = client(server.url("/").toString(), Duration.ofSeconds(1), QueryClient.DEFAULT_MAX_ANSWER_BYTES);

        assertTimeLimit(assertThrows(LogTideQueryException.class, () -> client.query(QueryOptions.builder().build())));
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.queryAsync(QueryOptions.builder().build()).get(30, TimeUnit.SECONDS));
        assertTimeLimit(assertInstanceOf(LogTideQueryException.class, async.getCause()));
        assertTimeLimit(assertThrows(LogTideQueryException.class, () -> client.getAggregatedStats(STATS)));
    }

    @Test
    void aServerThatSendsOneHeaderLineAtATimeHitsTheTimeLimit() throws Exception {
        try (ServerSocket trickler = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> trickleHeaders(trickler), "header-trickler");
            serving.setDaemon(true);
            serving.start();
            QueryClient client = client("http://127.0.0.1:" + trickler.getLocalPort(), Duration.ofSeconds(1),
                    QueryClient.DEFAULT_MAX_ANSWER_BYTES);

            assertTimeLimit(assertThrows(LogTideQueryException.class, () -> client.getByTraceId("t")));
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> client.getAggregatedStatsAsync(STATS).get(30, TimeUnit.SECONDS));
            assertTimeLimit(assertInstanceOf(LogTideQueryException.class, async.getCause()));
        }
    }

    /** Answers every connection with a status line and then one header line every 200 ms, never ending. */
    private static void trickleHeaders(ServerSocket trickler) {
        while (!trickler.isClosed()) {
            try {
                Socket socket = trickler.accept();
                Thread t = new Thread(() -> {
                    try (Socket s = socket) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                        while (!in.readLine().isEmpty()) {
                            // Reads the request head.
                        }
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        for (int i = 0; i < 300; i++) {
                            out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            Thread.sleep(200);
                        }
                    } catch (IOException | InterruptedException | NullPointerException ended) {
                        // The client gave up: the point of the test.
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void assertTimeLimit(LogTideQueryException e) {
        assertTrue(e.getMessage().contains("did not complete within 1000 ms, " + TIME_LIMIT), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void theDefaultTimeLimitIs60SecondsOrTheSocketTimeoutsWhenLonger() {
        String url = server.url("/").toString();
        QueryClient plain = new QueryClient(HTTP, url, KEY, null);
        assertEquals(Duration.ofSeconds(60), plain.callTimeout());
        assertEquals(64L * 1024 * 1024, plain.maxAnswerBytes());
        OkHttpClient patient = HTTP.newBuilder().connectTimeout(10, TimeUnit.SECONDS).readTimeout(120, TimeUnit.SECONDS).build();
        assertEquals(Duration.ofSeconds(130), new QueryClient(patient, url, KEY, null).callTimeout());
        assertThrows(IllegalArgumentException.class, () -> client(url, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> client(url, Duration.ofSeconds(1), 0));
    }

    @Test
    void anAnswerLargerThanTheLimitFailsWithoutBeingReadWhole() throws Exception {
        long limit = 1024 * 1024;
        String big = bigPage(2 * 1024 * 1024);
        // Declared by Content-Length, sent chunked (no length), and gzip-encoded (counted after decoding).
        server.enqueue(json(big));
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").chunkedBody(big, 64 * 1024).build());
        server.enqueue(gzip(big.getBytes(StandardCharsets.UTF_8)));
        server.enqueue(gzip(big.getBytes(StandardCharsets.UTF_8)));
        QueryClient client = client(server.url("/").toString(), Duration.ofSeconds(30), limit);

        for (int i = 0; i < 3; i++) {
            LogTideQueryException e = assertThrows(LogTideQueryException.class, () -> client.query(QueryOptions.builder().build()));
            assertTrue(e.getMessage().contains("answered 200 with more than 1 MiB, " + SIZE_LIMIT), e.getMessage());
        }
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.queryAsync(QueryOptions.builder().build()).get(30, TimeUnit.SECONDS));
        assertTrue(async.getCause().getMessage().contains(SIZE_LIMIT), async.getCause().getMessage());
    }

    @Test
    void anAnswerJustUnderTheLimitIsRead() {
        String answer = bigPage(1024 * 1024 - 100);
        long size = answer.getBytes(StandardCharsets.UTF_8).length;
        server.enqueue(gzip(answer.getBytes(StandardCharsets.UTF_8)));
        server.enqueue(json(answer));
        QueryClient client = client(server.url("/").toString(), Duration.ofSeconds(30), size);

        assertEquals(1, client.query(QueryOptions.builder().build()).logs().size());
        assertEquals(1, client.query(QueryOptions.builder().build()).logs().size());
    }

    /** A valid one-log page of about {@code bytes} bytes (the message fills it). */
    static String bigPage(int bytes) {
        String empty = page(null, log(1, "2030-01-01T00:00:01.000Z", "info", ""));
        char[] fill = new char[bytes - empty.length()];
        Arrays.fill(fill, 'x');
        return page(null, log(1, "2030-01-01T00:00:01.000Z", "info", new String(fill)));
    }

    static MockResponse gzip(byte[] plain) {
        Buffer body = new Buffer();
        try (GZIPOutputStream out = new GZIPOutputStream(body.outputStream())) {
            out.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(body).build();
    }

    // ---- the memory cases, in a child JVM with a small heap ----

    @Test
    void a200MegabyteAnswerAtXmx256mFailsWithTheSizeLimitNotOutOfMemory() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                    .body(new EndlessPage(200L * 1000 * 1000)).build());
        }
        assertChildHitsTheSizeLimit("-Xmx256m");
    }

    @Test
    void aOneMegabyteGzipBombAtXmx512mFailsWithTheSizeLimitNotOutOfMemory() throws Exception {
        MockResponse bomb = gzipBomb();
        assertTrue(bomb.getBody().getContentLength() < 1_100_000, "about 1 MB on the wire: " + bomb.getBody().getContentLength());
        for (int i = 0; i < 3; i++) {
            server.enqueue(bomb);
        }
        assertChildHitsTheSizeLimit("-Xmx512m");
    }

    private void assertChildHitsTheSizeLimit(String heap) throws Exception {
        ChildJvm.Result result = ChildJvm.run(QueryLimitsChild.class, Collections.singletonList(heap),
                Collections.singletonList(server.url("/").toString()), 120_000);
        assertEquals(0, result.exitCode, result.toString());
        for (String call : Arrays.asList("query", "queryAsync", "stats")) {
            assertTrue(result.output.contains(call + ": LogTideQueryException: GET http://"), result.toString());
        }
        assertEquals(3, result.output.split(SIZE_LIMIT.replace("(", "\\(").replace(")", "\\)"), -1).length - 1, result.toString());
        assertFalse(result.output.contains("OutOfMemoryError"), result.toString());
    }

    /**
     * The live tail holds a bounded amount whatever the server sends: a stream of 1 MB events as
     * fast as the socket takes them, behind a slow callback, in a 96 MiB heap.
     */
    @Test
    void aLiveTailFloodedWithLargeEventsBehindASlowCallbackStaysInASmallHeap() throws Exception {
        server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
                .body(new Flood()).removeHeader("Content-Length").build());
        ChildJvm.Result result = ChildJvm.run(LiveTailMemoryChild.class, Collections.singletonList("-Xmx96m"),
                Arrays.asList(server.url("/").toString(), "6000"), 120_000);
        assertEquals(0, result.exitCode, result.toString());
        assertFalse(result.output.contains("OutOfMemoryError"), result.toString());
        assertTrue(result.output.matches("(?s).*delivered=[1-9]\\d* failed=0 running=false.*"), result.toString());
    }

    /** Server-Sent Events: connected, then distinct logs with 1 MB messages, for up to 30 s. */
    private static final class Flood implements MockResponseBody {
        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            char[] fill = new char[1024 * 1024];
            Arrays.fill(fill, 'f');
            String message = new String(fill);
            sink.writeUtf8("data: {\"type\":\"connected\",\"timestamp\":\"2030-01-01T00:00:00.000Z\"}\n\n");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int n = 1; System.nanoTime() < end; n++) {
                sink.writeUtf8("data: {\"type\":\"log\",\"data\":" + log(n, "2030-01-01T00:00:01.000Z", "info", message) + "}\n\n");
                sink.flush();
            }
        }
    }

    /** {@code {"logs":[{...},{...},...} }: valid JSON as far as it goes, {@code size} bytes, streamed. */
    private static final class EndlessPage implements MockResponseBody {
        private final long size;

        EndlessPage(long size) {
            this.size = size;
        }

        @Override
        public long getContentLength() {
            return -1; // chunked: the client can only count
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] one = (log(1, "2030-01-01T00:00:01.000Z", "info", "filler") + ",").getBytes(StandardCharsets.UTF_8);
            sink.writeUtf8("{\"logs\":[");
            for (long written = 0; written < size; written += one.length) {
                sink.write(one);
            }
        }
    }

    /** About 1 GB of JSON text compressed into about 1 MB. */
    private static MockResponse gzipBomb() throws IOException {
        Buffer body = new Buffer();
        byte[] block = new byte[1024 * 1024];
        Arrays.fill(block, (byte) 'a');
        try (GZIPOutputStream out = new GZIPOutputStream(body.outputStream(), 64 * 1024)) {
            out.write("{\"logs\":[{\"id\":\"".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 1000; i++) {
                out.write(block);
            }
        }
        return new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(body).build();
    }
}
