package dev.logtide.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogLevel;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ServerRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;

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
 * {@code 100}, maxFieldSize {@code 2048}, and the lowest logger level; maxLogSize stays at its
 * default (102,400 bytes).
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

    // ---- issue 13: what is stored is what was logged ----

    /** Logs one event, stops the framework, and returns the one entry that arrived. */
    private JsonNode deliverOne(ConformanceEvent event) throws Exception {
        log(event);
        stop();
        List<JsonNode> all = server.awaitEntries(1, Duration.ofSeconds(10));
        assertEquals(1, all.size(), all::toString);
        assertNull(ServerRules.violation(all.get(0)), () -> "the server would reject " + all.get(0));
        return all.get(0);
    }

    private static String repeat(String s, int n) {
        StringBuilder b = new StringBuilder(s.length() * n);
        for (int i = 0; i < n; i++) {
            b.append(s);
        }
        return b.toString();
    }

    @Test
    void textOfTheBase64AlphabetIsKeptAndBase64IsRemoved() throws Exception {
        byte[] random = new byte[300];
        new Random(13).nextBytes(random);
        StringBuilder sha512 = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-512").digest("conformance".getBytes(StandardCharsets.UTF_8))) {
            sha512.append(String.format("%02x", b));
        }
        JsonNode md = deliver(ConformanceEvent.of(LogLevel.INFO, "alphabet")
                .withContext("digest", sha512.toString())
                .withContext("word", repeat("Supercalifragilisticexpialidocious", 4))
                .withContext("banner", repeat("=", 120))
                .withContext("rule", repeat("-", 120))
                .withContext("run", repeat("y", 20_000))
                .withContext("blob", Base64.getEncoder().encodeToString(random))
                .withContext("urlsafe", Base64.getUrlEncoder().withoutPadding().encodeToString(random))
                .withContext("uri", "data:image/png;base64,iVBORw0KGgo="))[0].path("metadata");
        assertEquals(sha512.toString(), md.path("digest").asText());
        assertEquals(repeat("Supercalifragilisticexpialidocious", 4), md.path("word").asText());
        assertEquals(repeat("=", 120), md.path("banner").asText());
        assertEquals(repeat("-", 120), md.path("rule").asText());
        assertEquals(repeat("y", 2048) + "...[TRUNCATED]", md.path("run").asText(), "cut at maxFieldSize, not removed");
        assertEquals("[BASE64 DATA REMOVED]", md.path("blob").asText());
        assertEquals("[BASE64 DATA REMOVED]", md.path("urlsafe").asText());
        assertEquals("[BASE64 DATA REMOVED]", md.path("uri").asText());
    }

    @Test
    void theMessageIsNotCutAtMaxFieldSize() throws Exception {
        String message = repeat("0123456789 ", 300); // 3,300 characters; maxFieldSize is 2048
        assertEquals(message, deliver(ConformanceEvent.of(LogLevel.INFO, message))[0].path("message").asText());
    }

    @Test
    void aHugeMessageIsCutButTheEntryKeepsItsExceptionIdsAndSmallMetadata() throws Exception {
        String message = repeat("huge message ", 200_000 / 13 + 1);
        JsonNode e = deliverOne(ConformanceEvent.of(LogLevel.ERROR, message)
                .withThrowable(new IllegalStateException("x"))
                .withContext("user_id", "u-42")
                .withContext("trace_id", "trace-huge")
                .withContext("span_id", "0123456789abcdef"));
        assertTrue(e.toString().getBytes(StandardCharsets.UTF_8).length <= 102_400, "fits maxLogSize");
        assertEquals("error", e.path("level").asText());
        assertEquals("conformance", e.path("service").asText());
        assertEquals("trace-huge", e.path("trace_id").asText());
        assertEquals("0123456789abcdef", e.path("span_id").asText());
        String sent = e.path("message").asText();
        assertTrue(sent.endsWith("...[TRUNCATED]"), "the message is cut");
        assertTrue(sent.length() > 50_000, "and keeps what fits: " + sent.length());
        JsonNode md = e.path("metadata");
        assertEquals("u-42", md.path("user_id").asText());
        assertEquals("conformance.Logger", md.path("logger").asText());
        assertEquals("conformance", md.path("suite").asText());
        assertEquals("java.lang.IllegalStateException", md.path("exception").path("type").asText());
        assertEquals("x", md.path("exception").path("message").asText());
        assertTrue(md.path("exception").path("stacktrace").size() > 0);
        assertTrue(md.path("_truncated").asBoolean());
        assertTrue(md.path("_original_size").asLong() > message.length(), md.path("_original_size").toString());
    }

    @Test
    void aCauseChainDeeperThanTenKeepsItsRootCause() throws Exception {
        Throwable error = new java.sql.SQLException("db down");
        for (int i = 1; i <= 11; i++) {
            error = new RuntimeException("wrapper " + i, error);
        }
        JsonNode ex = deliver(ConformanceEvent.of(LogLevel.ERROR, "deep chain").withThrowable(error))[0]
                .path("metadata").path("exception");
        JsonNode level = ex;
        while (level.has("cause")) {
            level = level.path("cause");
        }
        assertEquals("java.sql.SQLException", level.path("type").asText());
        assertEquals("db down", level.path("message").asText());
        assertTrue(ex.path("raw").asText().contains("Caused by: java.sql.SQLException: db down"), ex.path("raw").asText());
    }

    @Test
    void typedFieldsKeepTheirJsonTypeAndNumbersTheirDigits() throws Exception {
        JsonNode md = deliver(ConformanceEvent.of(LogLevel.INFO, "typed")
                .withField("latencyMs", 870)
                .withField("ratio", 0.5)
                .withField("ok", true)
                .withField("orderId", "A-1042")
                .withField("big", 9007199254740993L))[0].path("metadata");
        assertTrue(md.path("latencyMs").isIntegralNumber(), md.toString());
        assertEquals(870, md.path("latencyMs").asInt());
        assertTrue(md.path("ratio").isDouble(), md.toString());
        assertTrue(md.path("ok").isBoolean(), md.toString());
        assertEquals("A-1042", md.path("orderId").textValue());
        assertEquals("9007199254740993", md.path("big").textValue(), "beyond 2^53: the exact digits as a string");
    }

    @Test
    void theThreadsTraceContextGivesTheTraceId() throws Exception {
        JsonNode e;
        try (TraceContext.Scope ignored = TraceContext.withTraceId("trace-abc")) {
            e = deliver(ConformanceEvent.of(LogLevel.INFO, "in a trace context"))[0];
        }
        assertEquals("trace-abc", e.path("trace_id").asText());
    }

    // ---- issue 13, second review ----

    @Test
    void traceIdsAreNotCutAtMaxFieldSize() throws Exception {
        String traceId = repeat("t", 3000); // maxFieldSize is 2048; the server takes any string
        JsonNode e = deliver(ConformanceEvent.of(LogLevel.INFO, "long trace id").withContext("trace_id", traceId))[0];
        assertEquals(traceId, e.path("trace_id").asText());
    }

    @Test
    void base64EndingWithALineBreakIsRemoved() throws Exception {
        byte[] random = new byte[300];
        new Random(17).nextBytes(random);
        JsonNode md = deliver(ConformanceEvent.of(LogLevel.INFO, "mime")
                .withContext("mime", Base64.getMimeEncoder().encodeToString(random) + "\r\n")
                .withContext("pem", Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(random) + "\n"))[0].path("metadata");
        assertEquals("[BASE64 DATA REMOVED]", md.path("mime").asText());
        assertEquals("[BASE64 DATA REMOVED]", md.path("pem").asText());
    }

    @Test
    void thousandsOfKeysAndAnExceptionKeepTheException() throws Exception {
        // 5,000 keys of 200 characters and an exception arrived as {_truncated, _original_size} alone.
        ConformanceEvent event = ConformanceEvent.of(LogLevel.ERROR, "many keys")
                .withThrowable(new IllegalStateException("boom"));
        String value = repeat("v", 200);
        for (int i = 0; i < 5000; i++) {
            event = event.withContext("k" + i, value);
        }
        JsonNode e = deliverOne(event);
        assertTrue(e.toString().getBytes(StandardCharsets.UTF_8).length <= 102_400, "fits maxLogSize");
        JsonNode md = e.path("metadata");
        assertEquals("java.lang.IllegalStateException", md.path("exception").path("type").asText(), md.toString());
        assertEquals("boom", md.path("exception").path("message").asText());
        assertTrue(md.path("exception").path("stacktrace").size() > 0);
        assertTrue(md.path("_more").asText().endsWith(" more keys"), md.path("_more").toString());
        int kept = 0;
        for (java.util.Iterator<String> names = md.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.matches("k\\d+")) {
                kept++;
            }
        }
        assertTrue(kept > 0 && kept <= 1000, kept + " keys kept (an MDC has no order: any of them)");
    }

    @Test
    void userKeysNamedLikeTheSdksMarkersAreKeptOnceUnderShadowed() throws Exception {
        JsonNode e = deliverOne(ConformanceEvent.of(LogLevel.INFO, repeat("huge message ", 200_000 / 13 + 1))
                .withContext("_truncated", "user-value")
                .withContext("_original_size", "5"));
        JsonNode md = e.path("metadata");
        assertTrue(md.path("_truncated").isBoolean(), md.toString());
        assertTrue(md.path("_original_size").asLong() > 200_000, md.toString());
        assertEquals("user-value", md.path("_shadowed").path("_truncated").asText(), md.toString());
        assertEquals("5", md.path("_shadowed").path("_original_size").asText(), md.toString());
    }

    @Test
    void aUserExceptionKeyIsKeptNextToTheLoggedException() throws Exception {
        JsonNode md = deliver(ConformanceEvent.of(LogLevel.ERROR, "exception key")
                .withThrowable(new IllegalStateException("x"))
                .withField("exception", "user note"))[0].path("metadata");
        assertEquals("java.lang.IllegalStateException", md.path("exception").path("type").asText());
        // a structured field goes under _shadowed; a context value (JUL's LogTideMdc) under mdc
        String kept = md.path("_shadowed").has("exception") ? md.path("_shadowed").path("exception").asText()
                : md.path("mdc").path("exception").asText();
        assertEquals("user note", kept, md.toString());
    }
}
