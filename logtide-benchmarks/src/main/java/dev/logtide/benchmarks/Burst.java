package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import dev.logtide.ClientMetrics;
import dev.logtide.DropReason;
import dev.logtide.LogTideClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The unpaced burst of issue 16, one subject per fresh JVM: one thread logs N INFO events through
 * SLF4J and Logback as fast as it can, after warm-up rounds of as many, each subject at its own
 * defaults, to a sink in another JVM (started by the parent, {@link RunAll}, so that this JVM
 * holds nothing but the application and its logging library).
 *
 * <p>Subjects: {@code logtide} (the LogTide appender, defaults), {@code logtideLarge} (the same
 * with {@code maxBufferSize} 300,000 and {@code maxBufferBytes} 128 MiB, as in the table),
 * {@code loki4j} (loki4j's appender, defaults, posting to the sink's Loki route), and {@code floor}
 * (Logback's {@code AsyncAppender} in front of a do-nothing appender: the JVM's memory and CPU
 * for the same calls when nothing is shipped).
 *
 * <p>After the last call, the run waits until the sink has counted all N, or LogTide has
 * accounted for all N (sent or dropped), or nothing more has arrived for {@code QUIET_MS}. It
 * reports the delivered share, events/s as delivered events over the time from the first call to
 * the sink's last delivery (both wall-clock times on this machine), the calls per second of the
 * logging thread, the process CPU time per delivered event over the same span, and the peak
 * resident set of this JVM ({@code VmHWM} of /proc/self/status, read at the end; the warm-up
 * rounds count too). Prints one {@code RESULT key=value ...} line.
 */
public final class Burst {
    private static final long DEADLINE_MS = TimeUnit.MINUTES.toMillis(5);

    private Burst() {
    }

    /**
     * @param args subject, N, the sink's base URL ({@code -} for the floor), warm-up rounds, and
     *             the quiet time in milliseconds after which delivery counts as ended
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        String subject = args[0];
        int events = Integer.parseInt(args[1]);
        String url = args[2].equals("-") ? null : args[2];
        int warmUps = Integer.parseInt(args[3]);
        long quietMs = Long.parseLong(args[4]);

        if (url != null) {
            System.setProperty("logtide.bench.url", url);
        }
        if (subject.equals("logtideLarge")) {
            System.setProperty("logtide.bench.maxBufferSize", "300000");
            System.setProperty("logtide.bench.maxBufferBytes", Long.toString(128L * 1024 * 1024));
        }
        String config = subject.equals("floor") ? "/logback-floor.xml"
                : subject.equals("loki4j") ? "/logback-loki4j.xml" : "/logback-logtide.xml";
        LoggerContext context = LogbackSetup.configure(config);
        LogTideClient client = subject.startsWith("logtide") ? LogbackSetup.logtide(context).getClient() : null;
        Logger logger = LoggerFactory.getLogger(Fixtures.LOGGER);
        MDC.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1);
        MDC.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);

        for (int r = 0; r < warmUps; r++) {
            long base = url == null ? 0 : SinkProcess.totals(url)[0];
            ClientMetrics m = client == null ? null : client.getMetrics();
            log(logger, events);
            awaitDelivery(url, client, m, base, events, quietMs);
        }
        long[] before = url == null ? new long[5] : SinkProcess.totals(url);
        ClientMetrics m0 = client == null ? null : client.getMetrics();
        long cpu0 = Allocation.processCpuNanos();
        long firstCall = Sink.epochMicros();
        long t0 = System.nanoTime();
        log(logger, events);
        long callNanos = System.nanoTime() - t0;
        boolean complete = awaitDelivery(url, client, m0, before[0], events, quietMs);
        long cpu = Allocation.processCpuNanos() - cpu0;
        long[] after = url == null ? new long[5] : SinkProcess.totals(url);
        ClientMetrics m1 = client == null ? null : client.getMetrics();

        long delivered = after[0] - before[0];
        double seconds = url == null ? callNanos / 1e9 : Math.max(0, after[4] - firstCall) / 1e6;
        long counted = url == null ? events : delivered; // the floor ships nothing: per call
        StringBuilder dropped = new StringBuilder();
        if (m1 != null) {
            for (DropReason reason : DropReason.values()) {
                long n = m1.logsDropped(reason) - m0.logsDropped(reason);
                if (n > 0) {
                    dropped.append(dropped.length() == 0 ? "" : ",").append(reason).append(':').append(n);
                }
            }
        }
        System.out.printf(Locale.ROOT, "RESULT subject=%s events=%d delivered=%d complete=%s seconds=%.3f eventsPerSec=%.0f"
                        + " callsPerSec=%.0f cpuUsPerEvent=%.2f peakRssMiB=%s requests=%d rejected=%d dropped=%s%n",
                subject, events, delivered, complete, seconds, seconds > 0 ? delivered / seconds : 0,
                events / (callNanos / 1e9), counted == 0 ? 0 : cpu / 1e3 / counted, peakRssMiB(),
                after[1] - before[1], after[3] - before[3], dropped.length() == 0 ? "-" : dropped);
        System.exit(0);
    }

    private static void log(Logger logger, int events) {
        for (int i = 0; i < events; i++) {
            logger.info(Fixtures.PATTERN, i, "alice@example.com", i % 1000);
        }
    }

    /**
     * Waits until the sink has {@code base + events} entries, LogTide has accounted for all
     * events since {@code m0}, or nothing has arrived for {@code quietMs}.
     *
     * @return whether everything was delivered or accounted for (not cut off by quiet or deadline)
     */
    private static boolean awaitDelivery(String url, LogTideClient client, ClientMetrics m0, long base, int events,
                                         long quietMs) throws Exception {
        if (url == null) {
            return true;
        }
        long start = System.currentTimeMillis();
        long last = -1;
        long lastChange = start;
        while (true) {
            long count = SinkProcess.totals(url)[0];
            long now = System.currentTimeMillis();
            if (count >= base + events) {
                return true;
            }
            if (client != null) {
                ClientMetrics m = client.getMetrics();
                if (m.logsSent() + m.logsDropped() - m0.logsSent() - m0.logsDropped() >= events
                        && m.bufferedEntries() == 0) {
                    return true;
                }
            }
            if (count != last) {
                last = count;
                lastChange = now;
            } else if (now - lastChange >= quietMs || now - start >= DEADLINE_MS) {
                return false;
            }
            Thread.sleep(10); // each poll costs this JVM a little CPU; 10 ms keeps it small
        }
    }

    /** @return the peak resident set of this JVM in MiB, or {@code n/a} off Linux */
    static String peakRssMiB() {
        Path status = Paths.get("/proc/self/status");
        try {
            for (String l : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (l.startsWith("VmHWM:")) { // "VmHWM:   123456 kB"
                    long kb = Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
                    return String.format(Locale.ROOT, "%.0f", kb / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "n/a";
    }
}
