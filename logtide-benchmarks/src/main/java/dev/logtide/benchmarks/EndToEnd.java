package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import dev.logtide.ClientMetrics;
import dev.logtide.ClientOptions;
import dev.logtide.internal.entry.SdkInfo;
import dev.logtide.logback.LogTideAppender;
import dev.logtide.internal.transport.HttpClients;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end throughput, run in a fresh JVM: events per second from the first log call until the
 * sink (in another JVM) has counted all of them, with the CPU time and the allocation of this
 * JVM per delivered event.
 *
 * <p>{@code logtide N THREADS BATCH}: N events through SLF4J, Logback and the LogTide appender
 * from THREADS threads, {@code batchSize=BATCH}, and {@code blockWhenFullMs} set so that a
 * producer faster than the network waits instead of dropping (the sink must count every event).
 * Two warm-up rounds of N events run first: with fewer (20,000 in an earlier version), the JIT
 * compilers were still at work in the measured round and used more CPU than the sender.
 *
 * <p>{@code floor N BATCH}: the ceiling of the HTTP path itself: one thread posting a prepared
 * body of BATCH entries of the same shape with OkHttp (on {@code TCP_NODELAY} sockets), back to
 * back, until N entries are sent.
 *
 * <p>Prints one {@code RESULT key=value ...} line.
 */
public final class EndToEnd {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(300);
    private static final int WARM_UP_ROUNDS = 2;

    private EndToEnd() {
    }

    /**
     * @param args see the class comment
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        try (SinkProcess sink = SinkProcess.start(0)) {
            if (args[0].equals("floor")) {
                floor(sink, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            } else {
                logtide(sink, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            }
        }
        System.exit(0);
    }

    private static void logtide(SinkProcess sink, int events, int threads, int batch) throws Exception {
        System.setProperty("logtide.bench.url", sink.url());
        System.setProperty("logtide.bench.batchSize", Integer.toString(batch));
        System.setProperty("logtide.bench.blockWhenFullMs", "10000");
        LoggerContext context = LogbackSetup.configure("/logback-logtide.xml");
        LogTideAppender appender = LogbackSetup.logtide(context);
        Logger logger = LoggerFactory.getLogger(Fixtures.LOGGER);

        for (int r = 0; r < WARM_UP_ROUNDS; r++) { // JIT, connections, buffers
            round(sink, logger, events, threads, sink.totals()[0]);
        }
        long[] before = sink.totals();
        long sinkCpu0 = sink.cpuNanos();
        long cpu0 = Allocation.processCpuNanos();
        long sender0 = Allocation.threadCpuNanos("logtide-sender");
        long alloc0 = Allocation.allThreads();
        long t0 = System.nanoTime();
        long producers = round(sink, logger, events, threads, before[0]);
        long t1 = System.nanoTime();
        long cpu1 = Allocation.processCpuNanos();
        long sender = Allocation.threadCpuNanos("logtide-sender") - sender0;
        long alloc1 = Allocation.allThreads();
        long sinkCpu1 = sink.cpuNanos();
        long[] after = sink.totals();
        ClientMetrics metrics = appender.getClient().getMetrics();
        context.stop();

        double seconds = (t1 - t0) / 1e9;
        long delivered = after[0] - before[0];
        System.out.printf("RESULT mode=logtide events=%d threads=%d batch=%d delivered=%d seconds=%.3f eventsPerSec=%.0f "
                        + "cpuSecPer100k=%.3f producersCpuSecPer100k=%.3f senderCpuSecPer100k=%.3f sinkCpuSecPer100k=%.3f "
                        + "bytesAllocPerEvent=%.0f wireBytesPerEvent=%.0f requests=%d dropped=%d%n",
                events, threads, batch, delivered, seconds, delivered / seconds,
                (cpu1 - cpu0) / 1e9 * 100_000 / delivered, producers / 1e9 * 100_000 / delivered,
                sender / 1e9 * 100_000 / delivered, (sinkCpu1 - sinkCpu0) / 1e9 * 100_000 / delivered, (alloc1 - alloc0) / (double) delivered,
                (after[2] - before[2]) / (double) delivered, after[1] - before[1], metrics.logsDropped());
    }

    /**
     * Logs {@code events} from {@code threads} threads and waits until the sink has them all.
     *
     * @return the CPU nanoseconds the producer threads used
     */
    private static long round(SinkProcess sink, Logger logger, int events, int threads, long base) throws Exception {
        AtomicLong cpu = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        int per = events / threads;
        for (int t = 0; t < threads; t++) {
            int first = t * per;
            Thread p = new Thread(() -> {
                MDC.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1);
                MDC.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long c0 = Allocation.currentThreadCpuNanos();
                for (int i = first; i < first + per; i++) {
                    logger.info(Fixtures.PATTERN, i, "alice@example.com", i % 1000);
                }
                cpu.addAndGet(Allocation.currentThreadCpuNanos() - c0);
            }, "producer-" + t);
            producers.add(p);
            p.start();
        }
        start.countDown();
        for (Thread p : producers) {
            p.join();
        }
        awaitCount(sink, base + (long) per * threads);
        return cpu.get();
    }

    private static void awaitCount(SinkProcess sink, long target) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (sink.totals()[0] < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink counted " + sink.totals()[0] + " of " + target);
            }
            Thread.sleep(5); // polling costs this JVM a little CPU; 5 ms keeps it small and the timing fine
        }
    }

    private static void floor(SinkProcess sink, int events, int batch) throws Exception {
        byte[] body = body(batch);
        // The client LogTide itself sends with (shared pool, TCP_NODELAY sockets), so the floor
        // measures the HTTP path, not Nagle's algorithm.
        OkHttpClient http = HttpClients.forOptions(ClientOptions.builder()
                .apiUrl(sink.url()).apiKey(Fixtures.API_KEY).registerShutdownHook(false).build());
        Request request = new Request.Builder().url(sink.url() + "/api/v1/ingest")
                .header("X-API-Key", Fixtures.API_KEY)
                .post(RequestBody.create(body, MediaType.get("application/json; charset=utf-8")))
                .build();
        int requests = events / batch;
        for (int i = 0; i < WARM_UP_ROUNDS * requests; i++) { // warm-up, as for LogTide
            http.newCall(request).execute().close();
        }
        long[] before = sink.totals();
        long sinkCpu0 = sink.cpuNanos();
        long cpu0 = Allocation.processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            try (Response r = http.newCall(request).execute()) {
                if (!r.isSuccessful()) {
                    throw new IllegalStateException("sink answered " + r.code());
                }
            }
        }
        long t1 = System.nanoTime();
        long cpu1 = Allocation.processCpuNanos();
        long sinkCpu1 = sink.cpuNanos();
        long[] after = sink.totals();
        long delivered = after[0] - before[0];
        double seconds = (t1 - t0) / 1e9;
        System.out.printf("RESULT mode=floor events=%d threads=1 batch=%d delivered=%d seconds=%.3f eventsPerSec=%.0f "
                        + "cpuSecPer100k=%.3f sinkCpuSecPer100k=%.3f wireBytesPerEvent=%.0f%n",
                events, batch, delivered, seconds, delivered / seconds, (cpu1 - cpu0) / 1e9 * 100_000 / delivered,
                (sinkCpu1 - sinkCpu0) / 1e9 * 100_000 / delivered,
                (after[2] - before[2]) / (double) delivered);
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** A request body of {@code n} entries shaped like the ones LogTide sends for the call. */
    private static byte[] body(int n) {
        StringBuilder sb = new StringBuilder("{\"logs\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"time\":\"2025-10-09T08:53:20.123456Z\",\"service\":\"bench\",\"level\":\"info\",")
                    .append("\"message\":\"order ").append(48213 + i).append(" paid by alice@example.com in 87 ms\",")
                    .append("\"metadata\":{\"logger\":\"").append(Fixtures.LOGGER).append("\",\"thread\":\"producer-0\",")
                    .append("\"request_id\":\"req-7f3a9c\",\"tenant\":\"acme\",")
                    .append("\"sdk\":{\"name\":\"logtide-java\",\"version\":\"").append(SdkInfo.VERSION).append("\"}}}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
