package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.internal.entry.EntryEncoder;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without a formatter the handler runs MessageFormat on the sender thread; the sent message must
 * still be exactly what {@code Formatter.formatMessage} gives for the record at the log call.
 */
class MessageFormattingTest {
    private static final SimpleFormatter JUL = new SimpleFormatter();

    private IngestServer server;
    private final Logger logger = Logger.getLogger("mapping.format");
    private final List<String> expected = new ArrayList<>();
    private Locale savedLocale;

    @BeforeEach
    void configure() throws Exception {
        savedLocale = Locale.getDefault();
        Locale.setDefault(Locale.US);
        server = new IngestServer();
        JulConfig.load("/mapping-logging.properties", server);
    }

    @AfterEach
    void tearDown() {
        Locale.setDefault(savedLocale);
        JulConfig.reset();
        server.close();
    }

    /** Logs the record and remembers what formatMessage gives for it now, at the call. */
    private void log(String message, Object... parameters) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setParameters(parameters);
        log(record);
    }

    private void log(LogRecord record) {
        record.setLoggerName(logger.getName());
        String now = JUL.formatMessage(record);
        expected.add(now == null ? EntryEncoder.EMPTY_MESSAGE : now);
        logger.log(record);
    }

    private List<String> sentMessages() {
        JulConfig.rootHandler().flush();
        List<String> sent = new ArrayList<>();
        for (JsonNode entry : JulConfig.awaitEntries(server, expected.size())) {
            sent.add(entry.get("message").asText());
        }
        return sent;
    }

    @Test
    void theSentMessageIsFormatMessagesAtTheCall() throws Exception {
        log("plain {0} and {1}", "a", "b");
        log("count {0}", 48213);
        log("raw {0,number,#}", 48213);
        log("mixed {0} {1} {2} {3} {4}", 1234.5, 9_876_543_210L, new BigDecimal("12345.678"), (short) 7, 'c');
        log("{0,choice,0#no files|1#one file|1<{0,number,integer} files}", 1234);
        log("quoted '{0}' but {1}", "x", "y");
        log("unmatched {0", "x");
        log("no placeholders here", "ignored");
        log("curly {braces} {x} stay", 7);
        log("no parameters {0}");
        log("missing {0} {1} {2}", "only one");
        log("{0} {1} {2}", LocalDate.of(2024, 5, 6), TimeUnit.SECONDS, UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        log("{0}, typed {1,number}", new Object() {
            @Override
            public String toString() {
                return null; // MessageFormat prints "null"
            }
        }, 5);
        log("{0,number} is not a number", "text");
        log(new LogRecord(Level.INFO, null));

        List<String> sent = sentMessages();
        assertEquals(expected, sent);
        assertEquals("count 48,213", sent.get(1));
        assertEquals("raw 48213", sent.get(2));
    }

    @Test
    void parametersAreTakenAtTheCallNotWhenSent() throws Exception {
        StringBuilder builder = new StringBuilder("before");
        List<String> list = new ArrayList<>(List.of("x"));
        Date date = new Date(1_700_000_000_000L);
        AtomicLong counter = new AtomicLong(1_234_567);
        Object[] parameters = {builder, list, date, counter};
        log("builder {0}, list {1}, date {2}, counter {3}", parameters);
        log("date as number {0,date,yyyy-MM-dd}, counter as date {1,date,yyyy}", date, counter);
        log("list typed {0,number}", list);
        String atCall = expected.get(0);

        builder.append(" and after");
        list.add("y");
        date.setTime(0);
        counter.set(0);
        parameters[0] = "replaced";

        List<String> sent = sentMessages();
        assertEquals(expected, sent);
        assertEquals("builder before, list [x], date " + JUL.formatMessage(record("{0}", new Date(1_700_000_000_000L)))
                + ", counter 1,234,567", atCall);
        assertNotEquals(atCall, JUL.formatMessage(record("builder {0}, list {1}, date {2}, counter {3}",
                builder, list, date, counter)), "the mutation is visible to a later format");
    }

    @Test
    void aThrowingToStringLeavesThePatternAsJulDoes() throws Exception {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString exploded");
            }
        };
        log("value {0}", hostile);
        log("value {0} only", "fine", hostile); // JUL never calls toString() on a parameter the pattern does not use
        // formatMessage lets an Error through: the handler reports it and drops the record, as before.
        logger.log(Level.INFO, "value {0}", new Object() {
            @Override
            public String toString() {
                throw new StackOverflowError();
            }
        });
        logger.info("after them");

        JulConfig.rootHandler().flush();
        List<JsonNode> entries = JulConfig.awaitEntries(server, 3);
        List<String> sent = new ArrayList<>();
        entries.forEach(e -> sent.add(e.get("message").asText()));
        assertEquals(List.of("value {0}", "value fine only", "after them"), sent);
        assertEquals(expected.subList(0, 2), sent.subList(0, 2));
    }

    @Test
    void resourceBundlesLocaliseThePattern() throws Exception {
        ResourceBundle bundle = ResourceBundle.getBundle("dev.logtide.jul.TestMessages");
        LogRecord greeting = record("greeting", "Ada", 3000);
        greeting.setResourceBundle(bundle);
        log(greeting);
        LogRecord missing = record("not.in.bundle {0}", "x");
        missing.setResourceBundle(bundle);
        log(missing);
        LogRecord noParameters = new LogRecord(Level.INFO, "greeting");
        noParameters.setResourceBundle(bundle);
        log(noParameters);
        Logger.getLogger("mapping.format.bundled", "dev.logtide.jul.TestMessages").log(Level.INFO, "greeting",
                new Object[] {"Bob", 1});
        expected.add("Hello Bob, you have 1 messages");

        List<String> sent = sentMessages();
        assertEquals(expected, sent);
        assertEquals("Hello Ada, you have 3,000 messages", sent.get(0));
        assertEquals("Hello {0}, you have {1} messages", sent.get(2), "no parameters: the localised pattern as it is");
    }

    @Test
    void theLocaleIsTheDefaultAtTheCall() throws Exception {
        Locale.setDefault(Locale.GERMANY);
        log("count {0} of {1}", 48213, 0.5);
        Locale.setDefault(Locale.US);

        List<String> sent = sentMessages();
        assertEquals("count 48.213 of 0,5", sent.get(0));
        assertEquals(expected, sent);
    }

    @Test
    void onlyAMessageFormatIsDeferred() {
        assertTrue(isDeferred(record("order {0}", 42)));
        assertTrue(isDeferred(record("at {0}", new Date())));
        assertTrue(isDeferred(record("items {0}", List.of("a"))), "a list printed by toString() is copied as text");
        assertFalse(isDeferred(record("no parameters {0}")));
        assertFalse(isDeferred(record("no placeholder", 42)));
        assertFalse(isDeferred(record("counter {0}", new AtomicLong(5))), "a mutable Number is formatted at the call");
        assertFalse(isDeferred(record("items {0,list}", List.of("a"))), "JDK 23+ formats a list by element");

        LogRecord r = record("order {0} for {1}", 48213, new StringBuilder("bob"));
        assertEquals(JUL.formatMessage(r), DeferredFormatMessage.builder(LogLevel.INFO, r).build().message());
    }

    private static boolean isDeferred(LogRecord record) {
        LogEntry entry = DeferredFormatMessage.builder(LogLevel.INFO, record).build();
        return entry.toString().contains("(deferred message)");
    }

    private static LogRecord record(String message, Object... parameters) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setParameters(parameters);
        return record;
    }
}
