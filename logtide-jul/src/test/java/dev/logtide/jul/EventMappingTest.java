package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a LogRecord becomes an entry, checked in the JSON the server receives. */
class EventMappingTest {
    private IngestServer server;
    private final Logger logger = Logger.getLogger("mapping.test");

    @BeforeEach
    void configure() throws Exception {
        server = new IngestServer();
        JulConfig.load("/mapping-logging.properties", server);
    }

    @AfterEach
    void tearDown() {
        LogTideMdc.clear();
        JulConfig.reset();
        server.close();
    }

    private List<JsonNode> flushAndReceive(int count) throws Exception {
        JulConfig.rootHandler().flush();
        return JulConfig.awaitEntries(server, count);
    }

    @Test
    void levelsMapByIntValueAndLevelsAboveSevereAreCritical() throws Exception {
        Level[] levels = {Level.FINEST, Level.FINER, Level.FINE, Level.CONFIG, Level.INFO, Level.WARNING,
            Level.SEVERE, new TestLevel("NOTICE", 850), new TestLevel("ALERT", 950), new TestLevel("EMERGENCY", 1001),
            LogTideLevel.CRITICAL};
        for (Level level : levels) {
            logger.log(level, "at " + level.getName());
        }
        List<String> received = new ArrayList<>();
        for (JsonNode entry : flushAndReceive(levels.length)) {
            received.add(entry.get("message").asText() + "=" + entry.get("level").asText());
        }
        assertEquals(List.of("at FINEST=debug", "at FINER=debug", "at FINE=debug", "at CONFIG=info", "at INFO=info",
                "at WARNING=warn", "at SEVERE=error", "at NOTICE=info", "at ALERT=warn", "at EMERGENCY=critical",
                "at CRITICAL=critical"), received);
    }

    @Test
    void parametersAreFormattedLikeFormatterFormatMessage() throws Exception {
        logger.log(Level.INFO, "order {0} for {1}", new Object[] {42, "bob"});
        logger.log(Level.INFO, "no placeholders here", "ignored");
        logger.log(Level.INFO, "curly {braces} stay", 7);
        Logger bundled = Logger.getLogger("mapping.bundled", "dev.logtide.jul.TestMessages");
        bundled.log(Level.INFO, "greeting", new Object[] {"Ada", 3});
        bundled.log(Level.INFO, "not.in.bundle {0}", "x");

        List<JsonNode> entries = flushAndReceive(5);
        assertEquals("order 42 for bob", entries.get(0).get("message").asText());
        assertEquals("no placeholders here", entries.get(1).get("message").asText());
        assertEquals("curly {braces} stay", entries.get(2).get("message").asText());
        assertEquals("Hello Ada, you have 3 messages", entries.get(3).get("message").asText());
        assertEquals("not.in.bundle x", entries.get(4).get("message").asText());
    }

    @Test
    void hostileParametersAndNullMessagesNeverBreakTheLogCall() throws Exception {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString exploded");
            }
        };
        logger.log(Level.WARNING, "value {0}", hostile);
        logger.log(Level.WARNING, (String) null);
        Logger.getLogger("mapping.bundled", "dev.logtide.jul.TestMessages").log(Level.WARNING, (String) null, "p");
        logger.log(Level.WARNING, "nul\u0000char");

        List<JsonNode> entries = flushAndReceive(4);
        assertEquals("value {0}", entries.get(0).get("message").asText());
        assertFalse(entries.get(1).get("message").asText().isEmpty(), "a null message is replaced");
        assertFalse(entries.get(2).get("message").asText().isEmpty(), "a null message is replaced");
        assertEquals("nulchar", entries.get(3).get("message").asText());
    }

    @Test
    void timeIsTheRecordsInstantInUtc() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, "timed");
        record.setLoggerName(logger.getName());
        record.setInstant(Instant.parse("2024-05-06T07:08:09.123456789Z"));
        logger.log(record);
        LogRecord millis = new LogRecord(Level.INFO, "millis");
        millis.setLoggerName(logger.getName());
        millis.setInstant(Instant.parse("2023-01-02T03:04:05.600Z"));
        logger.log(millis);

        List<JsonNode> entries = flushAndReceive(2);
        assertEquals("2024-05-06T07:08:09.123456Z", entries.get(0).get("time").asText());
        assertEquals("2023-01-02T03:04:05.600Z", entries.get(1).get("time").asText());
    }

    @Test
    void metadataCarriesLoggerThreadSourceAndSequence() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, "explicit source");
        record.setLoggerName(logger.getName());
        record.setSourceClassName("com.example.Checkout");
        record.setSourceMethodName("pay");
        logger.log(record);
        logger.info("inferred source");

        List<JsonNode> entries = flushAndReceive(2);
        JsonNode explicit = entries.get(0).get("metadata");
        assertEquals("mapping.test", explicit.get("logger").asText());
        assertEquals(Thread.currentThread().getName(), explicit.get("thread").asText());
        assertEquals(Thread.currentThread().getId(), explicit.get("threadId").asLong());
        assertEquals("com.example.Checkout", explicit.get("sourceClass").asText());
        assertEquals("pay", explicit.get("sourceMethod").asText());
        assertEquals(record.getSequenceNumber(), explicit.get("sequence").asLong());
        assertEquals("test", explicit.get("env").asText(), "globalMetadata from the properties file");
        assertEquals("eu", explicit.get("region").asText());
        assertEquals("jul-mapping", entries.get(0).get("service").asText(), "the ${...:-fallback} default");

        JsonNode inferred = entries.get(1).get("metadata");
        assertEquals(EventMappingTest.class.getName(), inferred.get("sourceClass").asText());
        assertEquals("metadataCarriesLoggerThreadSourceAndSequence", inferred.get("sourceMethod").asText());
        assertEquals(record.getSequenceNumber() + 1, inferred.get("sequence").asLong());
    }

    @Test
    void recordsPublishedOnAnotherThreadKeepTheirThreadIdWithoutAName() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, "handed over");
        record.setLoggerName(logger.getName());
        record.setThreadID(987_654);
        logger.log(record);

        JsonNode metadata = flushAndReceive(1).get(0).get("metadata");
        assertEquals(987_654, metadata.get("threadId").asInt());
        assertFalse(metadata.has("thread"), "the name of thread 987654 is not known: " + metadata);
    }

    @Test
    void thrownExceptionIsSentInTheStructuredShape() throws Exception {
        IllegalStateException error = new IllegalStateException("payment failed", new IOException("connection reset"));
        logger.log(Level.SEVERE, "checkout broke", error);

        JsonNode entry = flushAndReceive(1).get(0);
        assertEquals("error", entry.get("level").asText());
        JsonNode exception = entry.get("metadata").get("exception");
        assertEquals("java.lang.IllegalStateException", exception.get("type").asText());
        assertEquals("payment failed", exception.get("message").asText());
        assertEquals("java", exception.get("language").asText());
        JsonNode top = exception.get("stacktrace").get(0);
        assertEquals(EventMappingTest.class.getName() + ".thrownExceptionIsSentInTheStructuredShape",
                top.get("function").asText());
        assertEquals("EventMappingTest.java", top.get("file").asText());
        assertEquals("java.io.IOException", exception.get("cause").get("type").asText());
        assertTrue(exception.get("raw").asText().contains("Caused by: java.io.IOException: connection reset"));
    }

    @Test
    void theThreadsTraceIdIsSent() throws Exception {
        try (TraceContext.Scope ignored = TraceContext.withTraceId("trace-jul-1")) {
            logger.info("inside the trace");
        }
        logger.info("outside the trace");

        List<JsonNode> entries = flushAndReceive(2);
        assertEquals("trace-jul-1", entries.get(0).get("trace_id").asText());
        assertFalse(entries.get(1).has("trace_id"), entries.get(1).toString());
    }

    @Test
    void theMdcIsSentAndItsTraceIdWinsOverTheTraceContext() throws Exception {
        LogTideMdc.put("tenant", "acme");
        try (LogTideMdc.Scope trace = LogTideMdc.with("traceId", "mdc-trace");
             LogTideMdc.Scope span = LogTideMdc.with("span_id", "0123456789abcdef");
             TraceContext.Scope context = TraceContext.withTraceId("context-trace")) {
            logger.info("in scope");
        }
        assertEquals(Map.of("tenant", "acme"), LogTideMdc.snapshot(), "scopes restore what was there");
        logger.info("after scope");
        LogTideMdc.remove("tenant");
        logger.info("removed");

        List<JsonNode> entries = flushAndReceive(3);
        assertEquals("acme", entries.get(0).get("metadata").get("tenant").asText());
        assertEquals("mdc-trace", entries.get(0).get("trace_id").asText());
        assertEquals("0123456789abcdef", entries.get(0).get("span_id").asText());
        assertEquals("acme", entries.get(1).get("metadata").get("tenant").asText());
        assertFalse(entries.get(1).has("trace_id"), entries.get(1).toString());
        assertFalse(entries.get(2).get("metadata").has("tenant"), entries.get(2).toString());
    }

    @Test
    void aLogTideMdcKeyNamedLikeTraceContextsCopyIsTheTraceIdAsInLogbackAndLog4j2() throws Exception {
        // It was dropped: neither metadata nor the trace id.
        try (LogTideMdc.Scope copy = LogTideMdc.with(TraceContext.CONTEXT_KEY, "user-internal")) {
            logger.info("internal key");
            try (LogTideMdc.Scope own = LogTideMdc.with("trace_id", "own")) {
                logger.info("own key wins");
            }
        }
        List<JsonNode> entries = flushAndReceive(2);
        assertEquals("user-internal", entries.get(0).get("trace_id").asText());
        assertFalse(entries.get(0).get("metadata").has(TraceContext.CONTEXT_KEY), entries.get(0).toString());
        assertEquals("own", entries.get(1).get("trace_id").asText());
    }

    /** A custom application level, as libraries define them. */
    private static final class TestLevel extends Level {
        private static final long serialVersionUID = 1L;

        TestLevel(String name, int value) {
            super(name, value);
        }
    }
}
