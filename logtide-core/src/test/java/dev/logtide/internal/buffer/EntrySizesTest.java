package dev.logtide.internal.buffer;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
