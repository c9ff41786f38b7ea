package dev.logtide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LogEntry.Builder#deferredMessage}: produced once, on the sender thread, never breaking delivery. */
class DeferredMessageTest {
    private IngestServer server;
    private LogTideClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close(1, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void producedOnceOnFirstUseAndNotByToStringOrSizing() {
        AtomicInteger calls = new AtomicInteger();
        LogEntry e = LogEntry.builder(LogLevel.INFO, "ignored").service("svc")
                .deferredMessage(() -> "made " + calls.incrementAndGet(), 42).build();

        assertEquals(42, e.estimatedMessageLength());
        String before = e.toString();
        assertFalse(before.contains("made"), before);
        assertEquals(0, calls.get(), "toString may run on any thread: it must not produce the message");

        assertEquals("made 1", e.message());
        assertEquals("made 1", e.message());
        assertEquals(1, calls.get());
        assertTrue(e.toString().contains("made 1"), e.toString());
    }

    @Test
    void aThrowingSupplierGivesAPlaceholder() {
        LogEntry runtime = deferred(() -> {
            throw new IllegalStateException("boom");
        });
        LogEntry error = deferred(() -> {
            throw new StackOverflowError();
        });
        assertEquals("[message could not be formatted: java.lang.IllegalStateException]", runtime.message());
        assertEquals("[message could not be formatted: java.lang.StackOverflowError]", error.message());
        assertEquals(error.message(), error.message());
    }

    @Test
    void theSenderThreadProducesItAndAFailingSupplierStillDelivers() {
        server = new IngestServer();
        client = new LogTideClient(ClientOptions.builder()
                .apiUrl(server.url()).apiKey(IngestServer.API_KEY).service("deferred-test")
                .registerShutdownHook(false).flushIntervalMs(60_000).build());
        List<String> threads = new CopyOnWriteArrayList<>();
        client.log(deferred(() -> {
            threads.add(Thread.currentThread().getName());
            return "formatted later";
        }));
        client.log(deferred(() -> {
            throw new NoClassDefFoundError("com/example/Gone");
        }));
        client.info(null, "after them");
        assertTrue(threads.isEmpty(), "log() must not produce the message: " + threads);

        client.flush();
        List<JsonNode> entries = server.awaitEntries(3, Duration.ofSeconds(10));
        assertEquals(3, entries.size(), entries::toString);
        assertEquals("formatted later", entries.get(0).get("message").asText());
        assertEquals("[message could not be formatted: java.lang.NoClassDefFoundError]",
                entries.get(1).get("message").asText());
        assertEquals("after them", entries.get(2).get("message").asText());
        assertEquals(List.of("logtide-sender"), threads);
        assertEquals(3, client.getMetrics().logsSent(), client.getMetrics().toString());
    }

    private static LogEntry deferred(Supplier<String> message) {
        return LogEntry.builder(LogLevel.INFO, null).deferredMessage(message, 16).build();
    }
}
