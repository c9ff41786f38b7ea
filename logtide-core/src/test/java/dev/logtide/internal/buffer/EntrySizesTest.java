package dev.logtide.internal.buffer;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideScope;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntrySizesTest {
    @Test
    void aDeferredMessageCountsByItsEstimateAndIsNotProduced() {
        AtomicInteger calls = new AtomicInteger();
        String text = "x".repeat(1000);
        LogEntry deferred = LogEntry.builder(LogLevel.INFO, null)
                .deferredMessage(() -> {
                    calls.incrementAndGet();
                    return text;
                }, 1000)
                .time(1, 0).build();
        LogEntry eager = LogEntry.builder(LogLevel.INFO, text).time(1, 0).build();

        assertEquals(EntrySizes.estimate(eager), EntrySizes.estimate(deferred));
        assertEquals(0, calls.get(), "sizing runs on the calling thread: it must not format the message");
    }

    /**
     * Entries of different requests keep different breadcrumbs alive, up to 100 each: the byte
     * bound must see them, or a buffer of such entries outgrows it by far.
     */
    @Test
    void scopeValuesCountInFullUnlessTheEntryBeforeSharedThem() {
        LogEntry plain = LogEntry.builder(LogLevel.INFO, "m").time(1, 0).build();
        try (LogTideScope scope = LogTideScope.push()) {
            for (int i = 0; i < 100; i++) {
                scope.addBreadcrumb("breadcrumb number " + i);
            }
            LogEntry first = LogEntry.builder(LogLevel.INFO, "m").time(1, 0).build();
            LogEntry second = LogEntry.builder(LogLevel.INFO, "m").time(1, 0).build();
            assertSame(first.scope(), second.scope(), "an unchanged scope is shared, not copied");

            long alone = EntrySizes.estimate(first) - EntrySizes.estimate(plain);
            assertTrue(alone > 100 * 400, "100 breadcrumbs counted: " + alone);
            long shared = EntrySizes.estimate(second, null, first.scope()) - EntrySizes.estimate(plain);
            assertTrue(shared <= 8, "kept alive once: " + shared);
        }
    }
}
