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
 * answers {@code {"received":N}} at once, or after a fixed delay to play a slow server.
 * {@code GET /count} returns the running totals: entries, requests and body bytes. It runs on
 * its own thread pool; the benchmarks
 * start it in a separate JVM ({@link SinkProcess}) so that its CPU time and allocation are not
 * charged to the logging JVM.
 */
public final class Sink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final long delayMs;
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();

    /**
     * @param delayMs how long each ingest request waits before it is answered; 0 answers at once
     * @throws IOException when no loopback port can be bound
     */
    public Sink(long delayMs) throws IOException {
        // Read once by the JDK's server configuration: without it every response waits for
        // Nagle's algorithm and delayed ACKs (about 40 ms), and the sink is what gets measured.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.delayMs = delayMs;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        // A slow server holds a thread per request; a fast one needs few.
        this.pool = delayMs > 0 ? Executors.newCachedThreadPool(Sink::daemon) : Executors.newFixedThreadPool(2, Sink::daemon);
        server.setExecutor(pool);
        server.createContext("/api/v1/ingest", this::ingest);
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

    private void ingest(HttpExchange exchange) throws IOException {
        try (CountingInput in = new CountingInput(exchange.getRequestBody())) {
            long n = countEntries(in);
            entries.addAndGet(n);
            requests.incrementAndGet();
            bodyBytes.addAndGet(in.count);
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            respond(exchange, 200, "{\"received\":" + n + "}");
        }
    }

    private void count(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().close();
        respond(exchange, 200, entries.get() + " " + requests.get() + " " + bodyBytes.get());
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
     * Counts the objects directly inside the {@code logs} array: every '{' met at nesting depth 2
     * outside strings. Exact for any valid body, whatever the entries contain.
     */
    static long countEntries(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int depth = 0;
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
                    if (b == '{' && depth == 2) {
                        n++;
                    }
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                }
            }
        }
        return n;
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
     * @param args optional: the answer delay in milliseconds
     * @throws Exception on startup failure
     */
    public static void main(String[] args) throws Exception {
        long delay = args.length > 0 ? Long.parseLong(args[0]) : 0;
        try (Sink sink = new Sink(delay)) {
            System.out.println("PORT " + sink.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent never writes; EOF is the stop signal
            }
        }
        System.exit(0);
    }
}
