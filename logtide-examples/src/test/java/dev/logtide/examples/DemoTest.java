package dev.logtide.examples;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the demo for real: Logback, Log4j2 and JUL load their configuration files from this
 * module's resources and ship to the embedded endpoint over loopback.
 */
class DemoTest {
    private static final int MAX_LINE = ReceivedTable.WIDTH;

    @Test
    void everyEntryLoggedThroughTheThreeAdaptersArrives() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            status = new Demo(out, Arrays.asList(new LogbackDemo(), new Log4j2Demo(), new JulDemo())).run();
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        assertEquals(0, status, output);
        int logged = 3 * (AdapterDemo.STORY_ENTRIES + Demo.BURST);
        Matcher received = Pattern.compile("The endpoint received (\\d+) entries in (\\d+) requests \\((\\d+) rejected\\)")
                .matcher(output);
        assertTrue(received.find(), output);
        assertEquals(logged, Integer.parseInt(received.group(1)), output);
        assertEquals(0, Integer.parseInt(received.group(3)), output);
        assertTrue(output.contains("OK: every logged entry was delivered."), output);
        for (String service : Arrays.asList("demo-logback", "demo-log4j2", "demo-jul")) {
            assertTrue(output.lines().anyMatch(line -> line.contains(service)
                    && line.contains("(" + Demo.BURST + " burst entries received")), output);
            assertRow(output, "info", service, "Order " + Demo.ORDER_ID + " placed");
            // The same field has the same JSON type through every adapter: a number, unquoted.
            assertRow(output, "warn", service, "Payment provider slow", "orderId=\"A-1042\"", "latencyMs=870");
            assertRow(output, "error", service, "IllegalStateException at Checkout.charge(Checkout.java:");
        }
        assertTrue(output.contains("root cause SocketTimeoutException"), output);
        // Each adapter hands out its client (getClient()), so each row shows its breaker's state.
        for (String adapter : Arrays.asList("Logback", "Log4j2", "JUL")) {
            assertTrue(output.lines().anyMatch(line -> line.startsWith(adapter + " ") && line.endsWith("  CLOSED")),
                    "the breaker state of " + adapter + " in:\n" + output);
        }
        assertLinesFit(output);
    }

    @Test
    void exitsWithOneWhenEntriesAreLost() throws Exception {
        // A real client with a buffer far smaller than the burst: it drops entries (counted), and
        // the demo must say so instead of reporting success.
        SmallBufferClient lossy = new SmallBufferClient();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            status = new Demo(out, Collections.singletonList(lossy)).run();
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        assertEquals(1, status, output);
        assertTrue(output.matches("(?s).*NOT DELIVERED: client: \\d+ of \\d+ sent, [1-9]\\d* dropped \\(BUFFER_FULL [1-9]\\d*\\).*"), output);
        assertTrue(output.contains("NOT DELIVERED: client: the endpoint received"), output);
        assertTrue(lossy.metrics().logsDropped() > 0, output);
        assertLinesFit(output);
    }

    /** A newcomer reads the demo in an ordinary terminal: no line wider than 100 characters (issue 23). */
    private static void assertLinesFit(String output) {
        List<String> wide = output.lines().filter(line -> line.length() > MAX_LINE).collect(Collectors.toList());
        assertEquals(List.of(), wide, "lines wider than " + MAX_LINE + " characters in:\n" + output);
    }

    /** A row of the received table, with the lines its last column continued on (indented 14). */
    private static void assertRow(String output, String level, String service, String... texts) {
        List<String> lines = output.lines().collect(Collectors.toList());
        boolean found = false;
        for (int i = 0; i < lines.size() && !found; i++) {
            if (lines.get(i).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+" + level + "\\s+" + Pattern.quote(service) + "\\s.*")) {
                StringBuilder row = new StringBuilder(lines.get(i));
                for (int j = i + 1; j < lines.size() && lines.get(j).matches(" {14}\\S.*"); j++) {
                    row.append(' ').append(lines.get(j).trim());
                }
                found = Arrays.stream(texts).allMatch(row.toString()::contains);
            }
        }
        assertTrue(found, "no " + level + " row of " + service + " with " + Arrays.toString(texts) + " in:\n" + output);
    }

    /** The programmatic client, shipping to the demo's endpoint with a 50-entry buffer. */
    private static final class SmallBufferClient extends ClientBackedDemo {
        @Override
        public String name() {
            return "client";
        }

        @Override
        public String service() {
            return "demo-client";
        }

        @Override
        public void start() {
            client = new LogTideClient(ClientOptions.builder()
                    .apiUrl(System.getProperty(Demo.URL_PROPERTY))
                    .apiKey(System.getProperty(Demo.KEY_PROPERTY))
                    .service(service())
                    .maxBufferSize(50)
                    .flushIntervalMs(60_000) // nothing leaves during the burst: the buffer must overflow
                    .registerShutdownHook(false)
                    .build());
        }

        @Override
        public void logStory(String traceId) {
            for (int i = 0; i < STORY_ENTRIES; i++) {
                client.info(null, "story " + i, Collections.singletonMap("logger", Demo.STORY_LOGGER));
            }
        }

        @Override
        public void logBurst(int count) {
            for (int i = 0; i < count; i++) {
                client.warn(null, "burst " + i, Collections.singletonMap("logger", Demo.BURST_LOGGER));
            }
        }

        @Override
        public void stop() {
            client.close();
        }
    }
}
