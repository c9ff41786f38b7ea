package dev.logtide;

import dev.logtide.testing.IngestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * The application of {@link SpoolChaosTest}, run in a child JVM: a client with a spool logging
 * numbered entries. Arguments: mode, apiUrl, spoolDir, count, message prefix, maxSpoolBytes.
 * Modes:
 * <ul>
 *   <li>{@code outage}: logs {@code count} entries no faster than the spool takes them (the
 *       buffer never holds more than 2,000), then closes;</li>
 *   <li>{@code flood}: logs as fast as it can until the metrics show a {@code SPOOL_FULL} drop
 *       (at most 60 s), then closes;</li>
 *   <li>{@code drain}: logs {@code count} entries, waits until the spool is empty, flushes and closes;</li>
 *   <li>{@code kill}: logs without end, printing {@code SPOOLED n} as the spool grows, until killed;</li>
 *   <li>{@code hold}: like {@code outage}, then prints {@code HELD} and stays open until the file
 *       {@code release} appears in the spool directory.</li>
 * </ul>
 * Every mode but {@code kill} prints one {@code METRICS} line after close.
 */
public final class SpoolChaosChild {
    private SpoolChaosChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int count = Integer.parseInt(args[3]);
        String prefix = args[4];
        LogTideClient client = new LogTideClient(ClientOptions.builder()
                .apiUrl(args[1]).apiKey(IngestServer.API_KEY).service("spool-chaos")
                .spoolDir(args[2]).maxSpoolBytes(Long.parseLong(args[5]))
                .maxBufferSize("flood".equals(mode) ? 200 : 5000).batchSize(100).flushIntervalMs(50)
                .maxRetries(1).retryDelayMs(10).circuitBreakerThreshold(2).circuitBreakerResetMs(200)
                .closeTimeoutMs(500).build());
        long start = System.nanoTime();
        switch (mode) {
            case "outage":
            case "hold":
                paced(client, prefix, count);
                break;
            case "flood":
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (int i = 0; client.getMetrics().logsDropped(DropReason.SPOOL_FULL) == 0 && System.nanoTime() < end; i++) {
                    client.info(null, prefix + i);
                }
                break;
            case "drain":
                for (int i = 0; i < count; i++) {
                    client.info(null, prefix + i);
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (client.getMetrics().spoolPendingBytes() > 0 && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                client.flush();
                break;
            case "kill":
                long reported = 0;
                for (int i = 0; ; i++) {
                    client.info(null, prefix + i);
                    if (i % 100 == 0) {
                        while (client.getMetrics().bufferedEntries() > 2000) {
                            Thread.sleep(1);
                        }
                        long spooled = client.getMetrics().logsSpooled();
                        if (spooled > reported) {
                            System.out.println("SPOOLED " + spooled);
                            reported = spooled;
                        }
                    }
                }
            default:
                throw new IllegalArgumentException(mode);
        }
        long spooledBy = System.nanoTime();
        if ("hold".equals(mode)) {
            while (client.getMetrics().logsSpooled() < count) {
                Thread.sleep(5);
            }
            System.out.println("HELD");
            Path release = Paths.get(args[2]).resolve("release");
            while (!Files.exists(release)) {
                Thread.sleep(20);
            }
        }
        client.close();
        ClientMetrics m = client.getMetrics();
        System.out.println("METRICS sent=" + m.logsSent() + " dropped=" + m.logsDropped() + " drained=" + m.logsDrained()
                + " spooled=" + m.logsSpooled() + " buffered=" + m.bufferedEntries()
                + " corrupt=" + m.spoolCorruptRecords() + " pending=" + m.spoolPendingBytes()
                + " spoolFull=" + m.logsDropped(DropReason.SPOOL_FULL)
                + " spoolUnavailable=" + m.logsDropped(DropReason.SPOOL_UNAVAILABLE)
                + " bufferFull=" + m.logsDropped(DropReason.BUFFER_FULL)
                + " unsentAtClose=" + m.logsDropped(DropReason.UNSENT_AT_CLOSE)
                + " loggedMs=" + TimeUnit.NANOSECONDS.toMillis(spooledBy - start));
    }

    /** Logs no faster than the sender moves entries out: the buffer never holds more than 2,000. */
    private static void paced(LogTideClient client, String prefix, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            if (i % 100 == 0) {
                while (client.getMetrics().bufferedEntries() > 2000) {
                    Thread.sleep(1);
                }
            }
            client.info(null, prefix + i);
        }
    }
}
