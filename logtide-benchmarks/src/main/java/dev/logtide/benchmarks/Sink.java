package dev.logtide.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the LogTide ingest endpoint: {@code POST /api/v1/ingest} counts the
 * entries of {@code {"logs":[...]}} with a byte scan (no JSON tree, so the sink stays cheap) and
 * answers {@code {"received":N}} at once, or after a fixed delay to play a slow server. It also
 * plays Loki for the peer of the burst comparison (loki4j): {@code POST /loki/api/v1/push} counts
 * the entries of Loki's JSON push body ({@code {"streams":[{"stream":{..},"values":[[ts,line],..]}]}})
 * and answers 204 with no body, as Loki does.
 *
 * <p>With a rate limit, both routes behave like the LogTide server's limiter
 * (/work/shared/logtide-server-api.md): a fixed window of 60 s per client address, counted from
 * its first request; every answer carries {@code x-ratelimit-limit}, {@code x-ratelimit-remaining}
 * and {@code x-ratelimit-reset}, and a request over the limit gets 429 with the server's body and
 * a {@code retry-after} in whole seconds until the window ends; its entries are not counted.
 *
 * <p>{@code GET /count} returns the running totals: entries, requests, body bytes, requests
 * answered 429, and the wall-clock time (microseconds since the epoch) at which the last counted
 * entries arrived, so another JVM on the same machine can time "first call to last delivery".
 * It runs on its own thread pool; the benchmarks start it in a separate JVM ({@link SinkProcess})
 * so that its CPU time and allocation are not charged to the logging JVM.
 */
public final class Sink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final long delayMs;
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong lastDeliveryMicros = new AtomicLong();
    private final RateLimit limit;

    /**
     * @param delayMs how long each ingest request waits before it is answered; 0 answers at once
     * @param requestsPerMinute the rate limit per client address and 60 s window; 0 for none
     * @throws IOException when no loopback port can be bound
     */
    public Sink(long delayMs, int requestsPerMinute) throws IOException {
        // Read once by the JDK's server configuration: without it every response waits for
        // Nagle's algorithm and delayed ACKs (about 40 ms), and the sink is what gets measured.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.delayMs = delayMs;
        this.limit = requestsPerMinute > 0 ? new RateLimit(requestsPerMinute) : null;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        // A slow server holds a thread per request; a fast one needs few.
        this.pool = delayMs > 0 ? Executors.newCachedThreadPool(Sink::daemon) : Executors.newFixedThreadPool(2, Sink::daemon);
        server.setExecutor(pool);
        server.createContext("/api/v1/ingest", e -> ingest(e, false));
        server.createContext("/loki/api/v1/push", e -> ingest(e, true));
        server.createContext("/count", this::count);
        server.start();
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "sink");
        t.setDaemon(true);
        return t;
    }

    /** @return the port on 127.0.0.1 */
    public int port() {
        return server.getAddress().getPort();
    }

    private void ingest(HttpExchange exchange, boolean loki) throws IOException {
        try (CountingInput in = new CountingInput(exchange.getRequestBody())) {
            if (limit != null && !limit.admit(exchange)) {
                in.readAllBytes();
                rejected.incrementAndGet();
                respond(exchange, 429, "{\"statusCode\":429,\"error\":\"Too Many Requests\","
                        + "\"message\":\"Rate limit exceeded, retry in 1 minute\"}");
                return;
            }
            // LogTide: the objects of the "logs" array; Loki: the [ts, line] arrays of a stream's "values".
            long n = loki ? countEntries(in, '[', 4) : countEntries(in, '{', 2);
            entries.addAndGet(n);
            requests.incrementAndGet();
            bodyBytes.addAndGet(in.count);
            lastDeliveryMicros.accumulateAndGet(epochMicros(), Math::max);
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (loki) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            } else {
                respond(exchange, 200, "{\"received\":" + n + "}");
            }
        }
    }

    /** @return the wall-clock time in microseconds since the epoch */
    static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private void count(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().close();
        respond(exchange, 200, entries.get() + " " + requests.get() + " " + bodyBytes.get() + " " + rejected.get()
                + " " + lastDeliveryMicros.get());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    /**
     * Counts the containers that open with {@code open} at nesting depth {@code depth} outside
     * strings: the objects of LogTide's {@code logs} array ('{' at depth 2), or the entries of
     * Loki's {@code values} arrays ('[' at depth 4). Exact for any valid body, whatever the entries
     * contain.
     */
    static long countEntries(InputStream in, char open, int depth) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int level = 0;
        boolean inString = false;
        boolean escaped = false;
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            for (int i = 0; i < r; i++) {
                byte b = buf[i];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    if (b == open && level == depth) {
                        n++;
                    }
                    level++;
                } else if (b == '}' || b == ']') {
                    level--;
                }
            }
        }
        return n;
    }

    /**
     * The LogTide server's limiter as /work/shared/logtide-server-api.md describes it: fixed 60 s
     * windows per client address, each starting with its first request.
     */
    private static final class RateLimit {
        private static final long WINDOW_MS = 60_000;
        private final int max;
        private final java.util.Map<InetAddress, long[]> windows = new java.util.HashMap<>();

        RateLimit(int max) {
            this.max = max;
        }

        /** Counts the request, sets the x-ratelimit headers, and says whether it is within the limit. */
        synchronized boolean admit(HttpExchange exchange) {
            long now = System.currentTimeMillis();
            long[] w = windows.computeIfAbsent(exchange.getRemoteAddress().getAddress(), a -> new long[2]);
            if (now - w[0] >= WINDOW_MS) { // {window start, requests in it}
                w[0] = now;
                w[1] = 0;
            }
            w[1]++;
            long resetSeconds = Math.max(1, (w[0] + WINDOW_MS - now + 999) / 1000);
            com.sun.net.httpserver.Headers h = exchange.getResponseHeaders();
            h.set("x-ratelimit-limit", Integer.toString(max));
            h.set("x-ratelimit-remaining", Long.toString(Math.max(0, max - w[1])));
            h.set("x-ratelimit-reset", Long.toString(resetSeconds));
            if (w[1] <= max) {
                return true;
            }
            h.set("retry-after", Long.toString(resetSeconds));
            return false;
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                count += r;
            }
            return r;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /**
     * Runs a sink until stdin closes (the parent died or closed it), printing {@code PORT n} first.
     *
     * @param args optional: the answer delay in milliseconds, then the rate limit in requests per
     *             minute and client address (0: none)
     * @throws Exception on startup failure
     */
    public static void main(String[] args) throws Exception {
        long delay = args.length > 0 ? Long.parseLong(args[0]) : 0;
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (Sink sink = new Sink(delay, limit)) {
            System.out.println("PORT " + sink.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent never writes; EOF is the stop signal
            }
        }
        System.exit(0);
    }
}
