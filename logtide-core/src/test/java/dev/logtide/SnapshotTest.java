package dev.logtide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata a log call hands over is copied on the calling thread: later changes do not show,
 * and a map that contains itself is {@code [Circular]} at its first repeat (issue 13 row 10, also
 * through the client's copy).
 */
class SnapshotTest {
    private IngestServer server;
    private LogTideClient client;

    @BeforeEach
    void start() {
        server = new IngestServer();
        client = new LogTideClient(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .registerShutdownHook(false).flushIntervalMs(60_000).build());
    }

    @AfterEach
    void stop() {
        client.close(1, TimeUnit.SECONDS);
        server.close();
    }

    private JsonNode sent(String message) {
        client.flush(10, TimeUnit.SECONDS);
        return server.entryWithMessage(message).path("metadata");
    }

    @Test
    void aMapContainingItselfIsCircularAtTheFirstRepeat() {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("a", 1);
        self.put("me", self);
        client.info(null, "self", self);
        JsonNode m = sent("self");
        assertEquals(1, m.path("a").asInt());
        assertEquals("[Circular]", m.path("me").asText(), m.toString());
    }

    @Test
    void aMapReachingItselfThroughAListIsCircularAtTheFirstRepeat() {
        Map<String, Object> self = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        list.add(self);
        list.add("x");
        self.put("list", list);
        client.info(null, "through a list", self);
        JsonNode m = sent("through a list");
        assertEquals("[Circular]", m.path("list").path(0).asText(), m.toString());
        assertEquals("x", m.path("list").path(1).asText());
    }

    @Test
    void changesAfterTheCallDoNotShowAndNumbersKeepTheirDigits() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("n", 1);
        List<Object> list = new ArrayList<>();
        list.add("before");
        AtomicLong counter = new AtomicLong(9007199254740993L);
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("nested", nested);
        md.put("list", list);
        md.put("counter", counter);
        md.put("builder", new StringBuilder("text"));
        client.info(null, "copied", md);
        nested.put("n", 2);
        list.add("after");
        counter.set(0);
        JsonNode m = sent("copied");
        assertEquals(1, m.path("nested").path("n").asInt());
        assertEquals(1, m.path("list").size());
        assertEquals("9007199254740993", m.path("counter").asText()); // beyond 2^53: exact digits as text
        assertEquals("text", m.path("builder").asText());
        assertTrue(m.path("counter").isTextual());
    }
}
