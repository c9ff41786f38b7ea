package dev.logtide.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogLevel;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ServerRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every entry must look like, whichever way in it took. Each adapter extends this class
 * and implements three hooks that drive its real framework from its real configuration file; the
 * assertions here read what a real HTTP server on loopback received.
 *
 * <p>The configuration file must read the URL and key from the system properties
 * {@code logtide.test.url} and {@code logtide.test.key} and set: service {@code conformance},
 * excludeFields {@code password}, globalMetadata {@code suite=conformance}, flushIntervalMs
 * {@code 100}, maxFieldSize {@code 2048}, and the lowest logger level.
 */
public abstract class ConformanceSuite {
    /** Where entries arrive. */
    protected IngestServer server;
    private boolean shutDown;

    /**
     * Configures the framework from the adapter's real configuration file.
     *
     * @throws Exception when configuration fails (the test fails)
     */
    protected abstract void configure() throws Exception;

    /**
     * Logs one event through the framework's normal API on the calling thread, with the event's
     * context in the MDC (or equivalent) during the call.
     *
     * @param event the event
     */
    protected abstract void log(ConformanceEvent event);

    /**
     * Stops the framework so that everything logged is delivered.
     *
     * @throws Exception when stopping fails
     */
    protected abstract void shutdown() throws Exception;

    @BeforeEach
    void startServerAndConfigure() throws Exception {
        server = new IngestServer();
        System.setProperty("logtide.test.url", server.url());
        System.setProperty("logtide.test.key", IngestServer.API_KEY);
        shutDown = false;
        configure();
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            stop();
        } finally {
            server.close();
            System.clearProperty("logtide.test.url");
            System.clearProperty("logtide.test.key");
        }
    }

    private void stop() throws Exception {
        if (!shutDown) {
            shutDown = true;
            shutdown();
        }
    }

    /** Logs the events, stops the framework, and returns the single entry for each message. */
    private JsonNode[] deliver(ConformanceEvent... events) throws Exception {
        for (ConformanceEvent e : events) {
            log(e);
        }
        stop();
        List<JsonNode> all = server.awaitEntries(events.length, Duration.ofSeconds(10));
        for (JsonNode entry : all) {
            assertNull(ServerRules.violation(entry), () -> "the server would reject " + entry);
        }
        JsonNode[] out = new JsonNode[events.length];
        for (int i = 0; i < events.length; i++) {
            out[i] = server.entryWithMessage(events[i].message());
        }
        return out;
    }

    @Test
    void everyLevelArrivesWithItsWireName() throws Exception {
        LogLevel[] levels = LogLevel.values();
        ConformanceEvent[] events = new ConformanceEvent[levels.length];
        for (int i = 0; i < levels.length; i++) {
            events[i] = ConformanceEvent.of(levels[i], "level " + levels[i]);
        }
        JsonNode[] entries = deliver(events);
        for (int i = 0; i < levels.length; i++) {
            assertEquals(levels[i].wireName(), entries[i].path("level").asText());
        }
    }

    @Test
    void entryCarriesServiceTimeLoggerThreadAndGlobalMetadata() throws Exception {
        Instant before = Instant.now().minusMillis(1);
        JsonNode e = deliver(ConformanceEvent.of(LogLevel.INFO, "hello conformance"))[0];
        Instant after = Instant.now().plusMillis(1);
        assertEquals("conformance", e.path("service").asText());
        String time = e.path("time").asText();
        assertTrue(time.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3,9}Z"), time);
        Instant t = Instant.parse(time);
        assertFalse(t.isBefore(before) || t.isAfter(after), "capture time " + t + " not within the call");
        JsonNode md = e.path("metadata");
        assertEquals("conformance.Logger", md.path("logger").asText());
        assertEquals(Thread.currentThread().getName(), md.path("thread").asText());
        assertEquals("conformance", md.path("suite").asText());
        assertEquals("logtide-java", md.path("sdk").path("name").asText());
        assertFalse(md.path("sdk").path("version").asText().isEmpty());
    }

    @Test
    void contextKeysBecomeMetadataAndTraceAndSpanIds() throws Exception {
        JsonNode e = deliver(ConformanceEvent.of(LogLevel.INFO, "with context")
                .withContext("user_id", "u-42")
                .withContext("trace_id", "trace-abc-123")
                .withContext("span_id", "0123456789abcdef"))[0];
        assertEquals("u-42", e.path("metadata").path("user_id").asText());
        assertEquals("trace-abc-123", e.path("trace_id").asText());
        assertEquals("0123456789abcdef", e.path("span_id").asText());
    }

    @Test
    void excludedFieldsAreMaskedAndLongValuesTruncated() throws Exception {
        StringBuilder longValue = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            longValue.append((char) ('a' + i % 26)).append(' ');
        }
        JsonNode e = deliver(ConformanceEvent.of(LogLevel.WARN, "limits")
                .withContext("password", "hunter2")
                .withContext("big", longValue.toString()))[0];
        assertEquals("[EXCLUDED]", e.path("metadata").path("password").asText());
        String big = e.path("metadata").path("big").asText();
        assertTrue(big.endsWith("...[TRUNCATED]"), big);
        assertEquals(2048 + "...[TRUNCATED]".length(), big.length());
        assertFalse(e.toString().contains("hunter2"));
    }

    @Test
    void nulAndLoneSurrogatesAreStrippedButEmojiSurvive() throws Exception {
        log(ConformanceEvent.of(LogLevel.INFO, "nul\u0000here \ud800 and \ud83d\ude00"));
        stop();
        List<JsonNode> all = server.awaitEntries(1, Duration.ofSeconds(10));
        assertEquals(1, all.size(), all::toString);
        JsonNode e = all.get(0);
        assertNull(ServerRules.violation(e));
        assertEquals("nulhere  and \ud83d\ude00", e.path("message").asText());
    }

    @Test
    void exceptionArrivesInTheStructuredShape() throws Exception {
        IllegalStateException error = new IllegalStateException("outer failure",
                new java.io.IOException("disk unplugged"));
        JsonNode e = deliver(ConformanceEvent.of(LogLevel.ERROR, "it broke").withThrowable(error))[0];
        JsonNode ex = e.path("metadata").path("exception");
        assertEquals("java.lang.IllegalStateException", ex.path("type").asText());
        assertEquals("outer failure", ex.path("message").asText());
        assertEquals("java", ex.path("language").asText());
        JsonNode top = ex.path("stacktrace").path(0);
        assertEquals(ConformanceSuite.class.getName() + ".exceptionArrivesInTheStructuredShape", top.path("function").asText());
        assertTrue(top.path("line").asInt() > 0);
        assertTrue(top.path("file").asText().endsWith(".java"));
        assertTrue(ex.path("raw").asText().startsWith("java.lang.IllegalStateException: outer failure\n\tat "));
        assertTrue(ex.path("raw").asText().contains("Caused by: java.io.IOException: disk unplugged"));
        assertEquals("java.io.IOException", ex.path("cause").path("type").asText());
        assertEquals("disk unplugged", ex.path("cause").path("message").asText());
    }

    @Test
    void exceptionWithoutMessageStillHasOne() throws Exception {
        JsonNode e = deliver(ConformanceEvent.of(LogLevel.ERROR, "npe").withThrowable(new NullPointerException()))[0];
        JsonNode ex = e.path("metadata").path("exception");
        assertEquals("java.lang.NullPointerException", ex.path("type").asText());
        assertFalse(ex.path("message").asText().isEmpty());
    }
}
