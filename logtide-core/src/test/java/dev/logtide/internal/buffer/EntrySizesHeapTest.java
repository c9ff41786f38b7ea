package dev.logtide.internal.buffer;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.testing.ChildJvm;
import dev.logtide.internal.buffer.DeliveryMetrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maxBufferBytes} bounds memory only if the estimate does not undercount what a buffered
 * entry keeps alive: a full buffer of each entry shape is measured on the heap (used heap after
 * full collections, before and after filling; {@code Runtime}, as java.management is not a module
 * the tests read) and compared with the buffer's estimated bytes. Each shape is measured in a child
 * JVM with the serial collector, so no other test's threads and no concurrent collector blur the
 * figure.
 * The estimate may overcount (it also stands for the entry's share of the JSON body it becomes),
 * but not by so much that the bound wastes most of its room. The ratios are printed for
 * docs/performance.md.
 */
class EntrySizesHeapTest {
    private static final int ENTRIES = 100_000;
    private static final String LOGGER = "com.example.shop.Checkout";
    private static final String THREAD = "http-nio-8080-exec-1";

    private static final Pattern RATIO = Pattern.compile("estimate/heap (\\d+\\.\\d+)");

    /** Measures one shape (args[0]) and prints its line. */
    public static final class Child {
        public static void main(String[] args) {
            switch (args[0]) {
                case "shared-mdc":
                    aFrameworkEventWithASharedMdcSnapshot();
                    break;
                case "own-context":
                    anEventWithItsOwnContextAndMetadata();
                    break;
                default:
                    aLongMessage();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"shared-mdc", "own-context", "long-message"})
    void theEstimateDoesNotUndercountTheHeap(String shape) throws Exception {
        ChildJvm.Result child = ChildJvm.run(Child.class, Arrays.asList("-XX:+UseSerialGC", "-Xmx512m"),
                Arrays.asList(shape), 120_000);
        Matcher ratio = RATIO.matcher(child.output);
        assertTrue(child.exitCode == 0 && ratio.find(), child.toString());
        double value = Double.parseDouble(ratio.group(1));
        // 5% of slack for JVMs that lay objects out differently (the ratios measured: 1.07 to 1.54).
        assertTrue(value >= 0.95, shape + ": the estimate undercounts the heap (" + value + ")\n" + child);
        assertTrue(value <= 3.0, shape + ": the estimate overcounts the heap more than 3x (" + value + ")\n" + child);
    }

    /** What an adapter builds for {@code log.info("order {} paid by {} in {} ms", ...)} with a two-key MDC snapshot shared by the events. */
    static void aFrameworkEventWithASharedMdcSnapshot() {
        Map<String, String> mdc = new HashMap<>();
        mdc.put("request_id", "req-7f3a9c");
        mdc.put("tenant", "acme");
        measure("framework event, shared MDC", i -> LogEntry.builder(LogLevel.INFO,
                "order " + (1_000_000 + i) + " paid by alice@example.com in " + i % 1000 + " ms")
                .logger(LOGGER).thread(THREAD).context(mdc).build());
    }

    /** Every entry with its own context and metadata values (an MDC that changes per request, key-value pairs). */
    static void anEventWithItsOwnContextAndMetadata() {
        measure("own context and metadata", i -> {
            Map<String, String> context = new HashMap<>();
            context.put("request_id", "req-" + (1_000_000 + i));
            context.put("user", "user-" + i);
            return LogEntry.builder(LogLevel.INFO, "request " + i + " handled")
                    .logger(LOGGER).thread(THREAD).context(context)
                    .put("status", 200 + i % 5).put("path", "/api/orders/" + i).put("bytes", (long) i * 3)
                    .build();
        });
    }

    /** A long message: the text dominates. */
    static void aLongMessage() {
        String words = "lorem ipsum dolor sit amet ".repeat(40);
        measure("1 KB message", i -> LogEntry.builder(LogLevel.WARN, i + words).logger(LOGGER).thread(THREAD).build());
    }

    private static void measure(String shape, IntFunction<LogEntry> entry) {
        EntryBuffer buffer = new EntryBuffer(Integer.MAX_VALUE, Long.MAX_VALUE, 0, 100, new DeliveryMetrics());
        // The ring grows by doubling; that garbage must be gone before the baseline.
        long before = usedAfterGc();
        for (int i = 0; i < ENTRIES; i++) {
            buffer.offer(entry.apply(i));
        }
        long retained = usedAfterGc() - before;
        long estimated = buffer.bytes();
        if (buffer.size() != ENTRIES) { // also keeps the buffer reachable through the measurement
            throw new IllegalStateException("buffered " + buffer.size() + " of " + ENTRIES);
        }
        System.out.printf(Locale.ROOT, "EntrySizesHeapTest %s: estimate %d B/entry, heap %d B/entry, estimate/heap %.2f%n",
                shape, estimated / ENTRIES, retained / ENTRIES, (double) estimated / retained);
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        // Collect until the figure stops falling: one System.gc() may leave finalizable or
        // concurrently freed objects behind.
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = runtime.totalMemory() - runtime.freeMemory();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
