package dev.logtide.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientMetrics;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo: Logback, Log4j2 and java.util.logging ship a checkout story and a burst of events
 * to LogTide through their real configuration files ({@code logback.xml}, {@code log4j2.xml},
 * {@code logging.properties}).
 *
 * <p>Without {@code LOGTIDE_API_URL} or {@code LOGTIDE_DSN} it starts an embedded
 * LogTide-compatible endpoint ({@link IngestEndpoint}) and prints what it receives; with them
 * (and {@code LOGTIDE_API_KEY}) it ships to that server. It exits 0 when every logged entry was
 * delivered, 1 when some were not, 2 when an adapter could not start, so CI can run it as a
 * smoke test.
 */
public final class Demo {
    /** The logger of the checkout story. */
    static final String STORY_LOGGER = "dev.logtide.examples.Checkout";
    /** The logger of the burst; the table counts its entries instead of printing them. */
    static final String BURST_LOGGER = "dev.logtide.examples.Burst";
    /** The order every story is about. */
    static final String ORDER_ID = "A-1042";
    /** Events each framework logs in the burst. */
    static final int BURST = 2000;
    /** System properties the configuration files read the embedded endpoint from. */
    static final String URL_PROPERTY = "logtide.demo.url";
    static final String KEY_PROPERTY = "logtide.demo.key";

    private static final long FLUSH_SECONDS = 15;

    private final PrintStream out;
    private final List<AdapterDemo> adapters;
    private final String traceId = randomHex(16);

    Demo(PrintStream out, List<AdapterDemo> adapters) {
        this.out = out;
        this.adapters = adapters;
    }

    /**
     * Runs the demo and exits with its status.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int status;
        try {
            status = new Demo(System.out, Arrays.asList(new LogbackDemo(), new Log4j2Demo(), new JulDemo())).run();
        } catch (IOException | RuntimeException e) {
            System.err.println("The demo failed: " + e);
            status = 2;
        }
        System.exit(status);
    }

    /**
     * @return 0 when every logged entry was delivered, 1 when not, 2 when an adapter did not start
     * @throws IOException when the embedded endpoint cannot bind a port
     */
    int run() throws IOException {
        ReceivedTable table = new ReceivedTable(out, BURST_LOGGER);
        IngestEndpoint endpoint = null;
        if (isSet("LOGTIDE_API_URL") || isSet("LOGTIDE_DSN")) {
            out.println("Shipping to the LogTide server in LOGTIDE_" + (isSet("LOGTIDE_DSN") ? "DSN" : "API_URL")
                    + " (services demo-logback, demo-log4j2, demo-jul).");
        } else {
            String key = "lp_demo_" + randomHex(12);
            endpoint = IngestEndpoint.start(key, table);
            System.setProperty(URL_PROPERTY, endpoint.url());
            System.setProperty(KEY_PROPERTY, key);
            out.println("No LOGTIDE_API_URL or LOGTIDE_DSN set: an embedded LogTide-compatible endpoint");
            out.println("listens on " + endpoint.url() + " and prints what it receives.");
        }
        try {
            List<AdapterDemo> started = new ArrayList<>();
            Map<AdapterDemo, ClientMetrics> metrics;
            try {
                for (AdapterDemo adapter : adapters) {
                    try {
                        adapter.start();
                        started.add(adapter);
                    } catch (RuntimeException e) {
                        out.println(adapter.name() + " did not start: " + e.getMessage());
                        return 2;
                    }
                }
                metrics = ship(table, endpoint != null);
            } finally {
                for (AdapterDemo adapter : started) {
                    adapter.stop();
                }
            }
            return report(metrics, endpoint);
        } finally {
            if (endpoint != null) {
                endpoint.close();
                System.clearProperty(URL_PROPERTY);
                System.clearProperty(KEY_PROPERTY);
            }
        }
    }

    /** Logs the story and the burst through every framework; returns each client's counters after a flush. */
    private Map<AdapterDemo, ClientMetrics> ship(ReceivedTable table, boolean embedded) {
        out.println("Checkout request " + ORDER_ID + " has trace id " + traceId + ".");
        out.println("Each framework logs a checkout story (" + AdapterDemo.STORY_ENTRIES + " entries, shown), then a burst:");
        out.println(BURST + " events logged back to back as fast as the caller can (counted, not shown).");
        out.println();
        if (embedded) {
            table.printHeader();
        }
        Map<AdapterDemo, ClientMetrics> metrics = new LinkedHashMap<>();
        for (AdapterDemo adapter : adapters) {
            adapter.logStory(traceId);
            adapter.flush(FLUSH_SECONDS, TimeUnit.SECONDS); // so each framework's rows appear together
            adapter.logBurst(BURST);
            adapter.flush(FLUSH_SECONDS, TimeUnit.SECONDS);
            if (embedded) {
                table.printSummary(adapter.service(), "burst");
            }
            metrics.put(adapter, adapter.metrics());
        }
        return metrics;
    }

    /**
     * Prints the counters and checks delivery: against what the embedded endpoint received (after
     * every framework shut down), else against the clients' counters.
     */
    private int report(Map<AdapterDemo, ClientMetrics> metrics, IngestEndpoint endpoint) {
        List<JsonNode> received = endpoint == null ? null : endpoint.entries();
        out.println();
        String format = "%-8s %-13s %7s %7s %8s %8s %7s %12s  %s%n";
        // The latency is the server's answer time per request, not what a log call costs the caller.
        out.printf(format, "ADAPTER", "SERVICE", "LOGGED", "SENT", "DROPPED", "RETRIES", "ERRORS", "REQUEST AVG", "BREAKER");
        int expected = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<AdapterDemo, ClientMetrics> e : metrics.entrySet()) {
            AdapterDemo adapter = e.getKey();
            ClientMetrics m = e.getValue();
            int logged = AdapterDemo.STORY_ENTRIES + BURST;
            expected += logged;
            out.printf(format, adapter.name(), adapter.service(), logged, m.logsSent(), m.logsDropped(), m.retries(),
                    m.errors(), String.format("%.1f ms", m.avgLatencyMs()), adapter.circuitState());
            if (m.logsDropped() > 0 || m.bufferedEntries() > 0 || m.logsSent() < logged) {
                problems.add(adapter.name() + ": " + lost(m, logged));
            }
            if (received != null) {
                long arrived = countDemoEntries(received, adapter.service());
                if (arrived != logged) {
                    problems.add(adapter.name() + ": the endpoint received " + arrived + " of its " + logged + " entries");
                }
            }
        }
        out.println("REQUEST AVG: mean time of one HTTP request to the server; a log call costs microseconds.");
        out.println();
        if (endpoint != null) {
            out.printf("The endpoint received %d entries in %d requests (%d rejected); %d were logged.%n",
                    received.size(), endpoint.requests(), endpoint.rejectedRequests(), expected);
        } else {
            out.printf("%d entries were logged; look for trace id %s in LogTide.%n", expected, traceId);
        }
        if (problems.isEmpty()) {
            out.println("OK: every logged entry was delivered.");
            return 0;
        }
        problems.forEach(p -> out.println("NOT DELIVERED: " + p));
        return 1;
    }

    /** {@code 53 of 2003 sent, 1950 dropped (BUFFER_FULL 1950), 0 still buffered}: short enough for one line. */
    private static String lost(ClientMetrics m, int logged) {
        StringBuilder reasons = new StringBuilder();
        m.droppedByReason().forEach((reason, count) -> {
            if (count > 0) {
                reasons.append(reasons.length() == 0 ? "" : ", ").append(reason).append(' ').append(count);
            }
        });
        return m.logsSent() + " of " + logged + " sent, " + m.logsDropped() + " dropped"
                + (reasons.length() == 0 ? "" : " (" + reasons + ")") + ", " + m.bufferedEntries() + " still buffered";
    }

    /** Entries of the demo's own loggers; anything else that reached the endpoint is not counted. */
    private static long countDemoEntries(List<JsonNode> entries, String service) {
        return entries.stream()
                .filter(e -> service.equals(e.path("service").asText()))
                .map(e -> e.path("metadata").path("logger").asText())
                .filter(logger -> STORY_LOGGER.equals(logger) || BURST_LOGGER.equals(logger))
                .count();
    }

    private static boolean isSet(String variable) {
        String value = System.getenv(variable);
        return value != null && !value.trim().isEmpty();
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        StringBuilder s = new StringBuilder(bytes * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }
}
