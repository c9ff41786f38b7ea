package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import dev.logtide.LogTideClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Arrays;

/**
 * The caller's latency while the server is healthy, refuses connections, or answers each request
 * after 2 s; run in a fresh JVM per case ({@code healthy}, {@code refused}, {@code slow}, and
 * {@code floor}: Logback's AsyncAppender in front of a do-nothing appender).
 *
 * <p>Logs the call through SLF4J and Logback at a steady 50,000 calls per second, a rate
 * a healthy sink keeps up with (unlike JMH's back-to-back calls, which always fill a buffer):
 * 150,000 warm-up calls, then 50,000 calls each timed with {@code System.nanoTime()}, and the
 * calling thread's allocation per call. At that rate an outage fills LogTide's buffer within a
 * fraction of a second, so the outage cases measure the full-buffer path. Prints one
 * {@code RESULT} line with the percentiles in microseconds.
 *
 * <p>A second argument {@code loki4j} runs the same case with loki4j's appender (defaults) in
 * place of LogTide's, the peer of issue 16; it posts to the sink's Loki route.
 */
public final class Outage {
    private static final int CALLS = 50_000;
    private static final long INTERVAL_NANOS = 20_000;
    /**
     * Warm-up rounds of {@code CALLS} calls. With one (an earlier version), the healthy case was
     * measured while the sender was still being compiled and the buffer still full from it.
     */
    private static final int WARM_UP_ROUNDS = 3;

    private Outage() {
    }

    /**
     * @param args {@code healthy}, {@code refused}, {@code slow} or {@code floor}; then optionally
     *             {@code loki4j}
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        boolean floor = mode.equals("floor");
        boolean loki4j = args.length > 1 && args[1].equals("loki4j");
        SinkProcess sink = floor || mode.equals("refused") ? null : SinkProcess.start(mode.equals("slow") ? 2000 : 0);
        System.setProperty("logtide.bench.url", sink == null ? SinkProcess.refusingUrl() : sink.url());
        LoggerContext context = LogbackSetup.configure(
                floor ? "/logback-floor.xml" : loki4j ? "/logback-loki4j.xml" : "/logback-logtide.xml");
        LogTideClient client = floor || loki4j ? null : LogbackSetup.logtide(context).getClient();
        Logger logger = LoggerFactory.getLogger(Fixtures.LOGGER);
        MDC.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1);
        MDC.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);

        long[] nanos = new long[CALLS];
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            run(logger, nanos);
        }
        long bytes0 = Allocation.currentThread();
        run(logger, nanos);
        long bytes = Allocation.currentThread() - bytes0;
        Arrays.sort(nanos);
        System.out.printf("RESULT mode=%s calls=%d p50Us=%.2f p99Us=%.2f p999Us=%.2f maxUs=%.2f callerBytesPerCall=%.0f "
                        + "breaker=%s metrics=%s%n",
                mode, CALLS, nanos[CALLS / 2] / 1e3, nanos[(int) (CALLS * 0.99)] / 1e3,
                nanos[(int) (CALLS * 0.999)] / 1e3, nanos[CALLS - 1] / 1e3, bytes / (double) CALLS,
                client == null ? "-" : client.getCircuitBreakerState(),
                client == null ? "-" : client.getMetrics().toString().replace(' ', '_'));
        if (!loki4j) {
            // loki4j's stop drains its whole send queue (up to 40 MiB) with no time limit, one batch
            // and its retries at a time: minutes against a refusing or slow sink. Exit needs none of it.
            context.stop();
        }
        if (sink != null) {
            sink.close();
        }
        System.exit(0);
    }

    private static void run(Logger logger, long[] nanos) {
        long next = System.nanoTime();
        for (int i = 0; i < nanos.length; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            long t0 = System.nanoTime();
            logger.info(Fixtures.PATTERN, i, "alice@example.com", i % 1000);
            nanos[i] = System.nanoTime() - t0;
            next += INTERVAL_NANOS;
        }
    }
}
