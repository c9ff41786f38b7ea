package dev.logtide.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientMetrics;
import dev.logtide.ClientOptions;
import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.internal.buffer.DeliveryMetrics;
import dev.logtide.internal.diagnostics.Diagnostics;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.LoopbackClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One batch's delivery against a real HTTP server on loopback, and the result it returns: every
 * entry sent, dropped for a reason, or given back in order; the entries are counted only by
 * whoever applies the result.
 */
class BatchDeliveryTest {
    private final LoopbackClient loopback = new LoopbackClient();
    private final IngestServer server = loopback.server;
    private final DeliveryMetrics metrics = new DeliveryMetrics();
    private ClientOptions options;
    private CircuitBreaker breaker;

    @AfterEach
    void stop() {
        loopback.close();
    }

    private BatchDelivery delivery(Consumer<ClientOptions.Builder> tweak) {
        ClientOptions.Builder b = loopback.options().circuitBreakerThreshold(50);
        tweak.accept(b);
        options = b.build();
        breaker = new CircuitBreaker(options.circuitBreakerThreshold(), options.circuitBreakerResetMs(), metrics);
        return new BatchDelivery(options, new HttpTransport(options, HttpClients.forOptions(options)), breaker, metrics,
                new Diagnostics(false, options.diagnosticListener()), new CloseState());
    }

    private EncodedBatch encoded(List<LogEntry> entries) {
        return new EncodedBatch(options).encode(entries);
    }

    private static List<LogEntry> entries(String... messages) {
        List<LogEntry> out = new ArrayList<>();
        for (String m : messages) {
            out.add(LogEntry.builder(LogLevel.INFO, m).build());
        }
        return out;
    }

    /** Entries of about 10 KB each: six fit a request body of 64 KiB. */
    private static List<LogEntry> large(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            text.append(i % 10 == 9 ? ' ' : (char) ('a' + i % 26)); // spaces: not mistaken for base64
        }
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(LogEntry.builder(LogLevel.INFO, "large " + i)
                    .metadata(Map.of("payload", text.toString())).build());
        }
        return out;
    }

    private static List<String> messages(List<JsonNode> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.path("message").asText()));
        return out;
    }

    @Test
    void rejectedEntriesAreDroppedInTheResultAndCountedOnlyWhenItIsApplied() {
        server.respondWith(batch -> {
            for (JsonNode e : batch) {
                if (e.path("message").asText().startsWith("bad")) {
                    return IngestServer.json(400, "{\"error\":\"Validation error\"}");
                }
            }
            return IngestServer.accept(batch);
        });
        BatchDelivery d = delivery(b -> { });
        List<String> sent = new ArrayList<>();
        String[] messages = new String[16];
        for (int i = 0; i < 16; i++) {
            messages[i] = i == 5 || i == 11 ? "bad" + i : "good" + i;
            if (!messages[i].startsWith("bad")) {
                sent.add(messages[i]);
            }
        }
        DeliveryResult result = d.deliver(encoded(entries(messages)), false);
        assertEquals(14, result.sent());
        assertEquals(2, result.dropped(DropReason.INVALID));
        assertFalse(result.stopped());
        assertEquals(sent, messages(server.entries()));
        ClientMetrics before = metrics.snapshot(0, 0);
        assertEquals(0, before.logsSent());
        assertEquals(0, before.logsDropped());
        assertTrue(before.errors() > 0, "the delivery counts its requests");
        result.countInto(metrics);
        ClientMetrics after = metrics.snapshot(0, 0);
        assertEquals(14, after.logsSent());
        assertEquals(2, after.logsDropped(DropReason.INVALID));
    }

    @Test
    void anEntryTheServerCannotTakeForItsSizeIsDroppedAsOversize() {
        server.respondWith(batch -> {
            for (JsonNode e : batch) {
                if (e.path("message").asText().equals("too large")) {
                    return IngestServer.json(413, "{\"code\":\"FST_ERR_CTP_BODY_TOO_LARGE\"}");
                }
            }
            return IngestServer.accept(batch);
        });
        DeliveryResult result = delivery(b -> { }).deliver(encoded(entries("a", "too large", "b", "c")), false);
        assertEquals(3, result.sent());
        assertEquals(1, result.dropped(DropReason.OVERSIZE));
        assertEquals(List.of("a", "b", "c"), messages(server.entries()));
    }

    @Test
    void anOutageGivesTheWholeBatchBackInOrder() {
        server.respondWith(batch -> IngestServer.json(503, "{}"));
        List<LogEntry> batch = entries("o1", "o2", "o3", "o4", "o5");
        DeliveryResult result = delivery(b -> b.maxRetries(0)).deliver(encoded(batch), false);
        assertTrue(result.stopped());
        assertEquals(batch, result.unsent());
        assertEquals(0, result.sent());
    }

    @Test
    void whatWasSentBeforeTheServerFailedIsSentAndOnlyTheRestGoesBack() {
        AtomicInteger requests = new AtomicInteger();
        server.respondWith(batch -> requests.getAndIncrement() == 0
                ? IngestServer.accept(batch) : IngestServer.json(503, "{}"));
        List<LogEntry> batch = large(20);
        DeliveryResult result = delivery(b -> b.maxRetries(0).maxBatchBytes(64 * 1024)).deliver(encoded(batch), false);
        int first = server.entries().size();
        assertTrue(first > 0 && first < 20, "the first request carries part of the batch: " + first);
        assertEquals(first, result.sent());
        assertEquals(batch.subList(first, 20), result.unsent());
    }

    @Test
    void theRequestPostedAheadIsFollowedByTheRestOfTheBatch() {
        BatchDelivery d = delivery(b -> b.maxBatchBytes(64 * 1024));
        List<LogEntry> batch = large(20);
        BatchDelivery.Run run = d.start(encoded(batch), false);
        assertTrue(run.posted());
        while (!run.awaitFirst(20)) {
            // the caller's own work would go here
        }
        DeliveryResult result = run.finish();
        assertEquals(20, result.sent());
        assertFalse(result.stopped());
        assertTrue(server.requests().size() >= 4, "20 entries of ~10 KB need at least 4 requests of 64 KiB");
        List<String> expected = new ArrayList<>();
        batch.forEach(e -> expected.add(e.message()));
        assertEquals(expected, messages(server.entries()));
    }

    @Test
    void anOpenBreakerRefusesTheRequestPostedAheadAndTheBatchGoesBack() {
        BatchDelivery d = delivery(b -> { });
        breaker.forceOpen();
        List<LogEntry> batch = entries("x", "y");
        BatchDelivery.Run run = d.start(encoded(batch), false);
        assertFalse(run.posted());
        DeliveryResult result = run.finish();
        assertEquals(batch, result.unsent());
        assertEquals(Collections.emptyList(), server.requests());
    }
}
