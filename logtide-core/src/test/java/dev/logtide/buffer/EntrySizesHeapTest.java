package dev.logtide.buffer;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.transport.DeliveryMetrics;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maxBufferBytes} bounds memory only if the estimate does not undercount what a buffered
 * entry keeps alive: a full buffer of each entry shape is measured on the heap (used heap after
 * full collections, before and after filling; {@code Runtime}, as java.management is not a module
 * the tests read) and compared with the buffer's estimated bytes.
 * The estimate may overcount (it also stands for the entry's share of the JSON body it becomes),
 * but not by so much that the bound wastes most of its room. The ratios are printed for
 * docs/performance.md.
 */
class EntrySizesHeapTest {
    private static final int ENTRIES = 100_000;
    private static final String LOGGER = "com.example.shop.Checkout";
    private static final String THREAD = "http-nio-8080-exec-1";

    /** What an adapter builds for {@code log.info("order {} paid by {} in {} ms", ...)} with a two-key MDC snapshot shared by the events. */
    @Test
    void aFrameworkEventWithASharedMdcSnapshot() {
        Map<String, String> mdc = new HashMap<>();
        mdc.put("request_id", "req-7f3a9c");
        mdc.put("tenant", "acme");
        measure("framework event, shared MDC", i -> LogEntry.builder(LogLevel.INFO,
                "order " + (1_000_000 + i) + " paid by alice@example.com in " + i % 1000 + " ms")
                .logger(LOGGER).thread(THREAD).context(mdc).build());
    }

    /** Every entry with its own context and metadata values (an MDC that changes per request, key-value pairs). */
    @Test
    void anEventWithItsOwnContextAndMetadata() {
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
    @Test
    void aLongMessage() {
        String words = "lorem ipsum dolor sit amet ".repeat(40);
        measure("1 KB message", i -> LogEntry.builder(LogLevel.WARN, i + words).logger(LOGGER).thread(THREAD).build());
    }

    private static void measure(String shape, IntFunction<LogEntry> entry) {
        EntryBuffer buffer = new EntryBuffer(Integer.MAX_VALUE, Long.MAX_VALUE, 0, 100, new DeliveryMetrics());
        // The ring grows by doubling; that garbage must be gone before the baseline.
        long before = usedAfterGc();
        for (int i = 0; i < ENTRIES; i++) {
            assertTrue(buffer.offer(entry.apply(i)));
        }
        long retained = usedAfterGc() - before;
        long estimated = buffer.bytes();
        assertEquals(ENTRIES, buffer.size()); // keeps the buffer reachable through the measurement
        double ratio = (double) estimated / retained;
        System.out.printf("EntrySizesHeapTest %s: estimate %d B/entry, heap %d B/entry, estimate/heap %.2f%n",
                shape, estimated / ENTRIES, retained / ENTRIES, ratio);
        // 5% of slack for JVMs that lay objects out differently (the ratios measured: 1.07 to 1.54).
        assertTrue(ratio >= 0.95, shape + ": the estimate undercounts the heap (" + ratio + ")");
        assertTrue(ratio <= 3.0, shape + ": the estimate overcounts the heap more than 3x (" + ratio + ")");
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
