package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import dev.logtide.LogTideClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Arrays;

/**
 * The caller's latency while the server is healthy, refuses connections, or answers each request
 * after 2 s; run in a fresh JVM per case ({@code healthy}, {@code refused}, {@code slow}).
 *
 * <p>Logs the call through SLF4J, Logback and the LogTide appender (defaults) at a steady
 * 50,000 calls per second: 50,000 warm-up calls, then 50,000 calls each timed with
 * {@code System.nanoTime()}. At that rate an outage fills the buffer within a fraction of a
 * second, so the measured calls include the full-buffer path. Prints one {@code RESULT} line
 * with the percentiles in microseconds.
 */
public final class Outage {
    private static final int CALLS = 50_000;
    private static final long INTERVAL_NANOS = 20_000;

    private Outage() {
    }

    /**
     * @param args {@code healthy}, {@code refused} or {@code slow}
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        SinkProcess sink = mode.equals("refused") ? null : SinkProcess.start(mode.equals("slow") ? 2000 : 0);
        System.setProperty("logtide.bench.url", sink == null ? SinkProcess.refusingUrl() : sink.url());
        LoggerContext context = LogbackSetup.configure("/logback-logtide.xml");
        LogTideClient client = LogbackSetup.logtide(context).getClient();
        Logger logger = LoggerFactory.getLogger(Fixtures.LOGGER);
        MDC.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1);
        MDC.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);

        long[] nanos = new long[CALLS];
        run(logger, nanos); // warm-up
        run(logger, nanos);
        Arrays.sort(nanos);
        System.out.printf("RESULT mode=%s calls=%d p50Us=%.2f p99Us=%.2f p999Us=%.2f maxUs=%.2f breaker=%s metrics=%s%n",
                mode, CALLS, nanos[CALLS / 2] / 1e3, nanos[(int) (CALLS * 0.99)] / 1e3,
                nanos[(int) (CALLS * 0.999)] / 1e3, nanos[CALLS - 1] / 1e3, client.getCircuitBreakerState(),
                client.getMetrics().toString().replace(' ', '_'));
        context.stop();
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
