package dev.logtide;

import dev.logtide.testing.IngestServer;
import dev.logtide.testing.LoopbackClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link LogTideClient#append}, the adapters' one entry call, through a client shipping to a real
 * HTTP server on loopback: the feedback guard runs before the mapper, a failing mapper is counted
 * and handed back, and an accepted entry arrives. (The early refusal: {@code BufferLimitsTest}.)
 */
class AppendTest {
    private final LoopbackClient loopback = new LoopbackClient();
    private final IngestServer server = loopback.server;

    @AfterEach
    void stop() {
        loopback.close();
    }

    @Test
    void eventsOfTheDeliveryItselfAreNeverMapped() throws Exception {
        LogTideClient c = loopback.client(b -> { });
        AtomicInteger mapped = new AtomicInteger();
        // Logged on LogTide's sender thread, appended on another (an async appender's worker).
        c.append("dev.logtide.Anything", "logtide-sender", LogLevel.ERROR, "feedback", message -> {
            mapped.incrementAndGet();
            return LogEntry.builder(LogLevel.ERROR, message).build();
        });
        // OkHttp's own logging on OkHttp's background thread.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread okHttp = new Thread(() -> {
            try {
                c.append("okhttp3.internal.concurrent.TaskRunner", null, LogLevel.INFO, "okhttp feedback", message -> {
                    mapped.incrementAndGet();
                    return LogEntry.builder(LogLevel.INFO, message).build();
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "OkHttp TaskRunner");
        okHttp.start();
        okHttp.join();
        assertNull(failure.get());
        // The application's own OkHttp logging on its own thread is the application's.
        c.append("okhttp3.OkHttpClient", null, LogLevel.INFO, "application's okhttp", message -> {
            mapped.incrementAndGet();
            return LogEntry.builder(LogLevel.INFO, message).build();
        });
        c.flush();
        assertEquals(1, mapped.get());
        assertEquals(1, server.awaitEntries(1, Duration.ofSeconds(10)).size());
        assertEquals("application's okhttp", server.entries().get(0).path("message").asText());
        assertEquals(0, c.getMetrics().logsDropped());
    }

    @Test
    void aMapperThatThrowsIsCountedAndHandedBackToTheAdapter() {
        LogTideClient c = loopback.client(b -> { });
        IllegalStateException hostile = new IllegalStateException("toString() of a log argument failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> c.append("app.Orders", null, LogLevel.INFO, "hostile", message -> {
                    throw hostile;
                }));
        assertSame(hostile, thrown, "the adapter reports the mapper's own exception");
        assertEquals(1, c.getMetrics().logsDropped(DropReason.INVALID));
        c.append("app.Orders", null, LogLevel.INFO, "next one", message -> LogEntry.builder(LogLevel.INFO, message).build());
        c.flush();
        assertEquals("next one", server.awaitEntries(1, Duration.ofSeconds(10)).get(0).path("message").asText());
    }
}
