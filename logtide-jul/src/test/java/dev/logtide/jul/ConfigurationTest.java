package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.internal.config.ClientSettings;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The handler's properties, read by JUL's LogManager from real files. */
class ConfigurationTest {
    private static final String PREFIX = "dev.logtide.jul.LogTideHandler.";
    private static final List<String> BROKEN = List.of("apiUrl", "batchSize", "level", "filter", "formatter",
            "encoding", "includeSource");

    private IngestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new IngestServer();
    }

    @AfterEach
    void tearDown() {
        JulConfig.reset();
        System.clearProperty("logtide.test.dsn");
        BROKEN.forEach(name -> System.clearProperty("broken." + name));
        server.close();
    }

    @Test
    void everyOptionIsReadFromTheProperties() throws Exception {
        Properties file = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/all-options-logging.properties")) {
            file.load(in);
        }
        Set<String> missing = new TreeSet<>(ClientSettings.OPTION_NAMES);
        missing.removeIf(option -> file.containsKey(PREFIX + option));
        assertEquals(Set.of(), missing, "options the test file (and so maybe docs/jul.md) does not cover");

        JulConfig.load("/all-options-logging.properties", server);
        LogTideHandler handler = JulConfig.rootHandler();
        ClientOptions options = handler.getClient().options();
        assertEquals(server.url(), options.apiUrl());
        assertEquals(IngestServer.API_KEY, options.apiKey());
        assertEquals("all-options", options.service());
        assertEquals(7, options.batchSize());
        assertEquals(60_000, options.flushIntervalMs());
        assertEquals(1234, options.maxBufferSize());
        assertEquals(2_097_152, options.maxBufferBytes());
        assertEquals(3, options.blockWhenFullMs());
        assertEquals("target/jul-all-options-spool", options.spoolDir());
        assertEquals(1_048_576, options.maxSpoolBytes());
        assertEquals(1_048_576, options.maxBatchBytes());
        assertEquals(2, options.maxRetries());
        assertEquals(11, options.retryDelayMs());
        assertEquals(222, options.maxRetryDelayMs());
        assertEquals(9, options.circuitBreakerThreshold());
        assertEquals(4444, options.circuitBreakerResetMs());
        assertEquals(2048, options.payloadLimits().maxFieldSize());
        assertEquals(4096, options.payloadLimits().maxLogSize());
        assertTrue(options.payloadLimits().isExcluded("password"));
        assertTrue(options.payloadLimits().isExcluded("token"));
        assertEquals("[cut]", options.payloadLimits().truncationMarker());
        assertEquals(0.99999999, options.sampleRate());
        assertEquals(Map.of("env", "test", "region", "eu"), options.globalMetadata());
        assertTrue(options.autoTraceId());
        assertTrue(options.debug());
        assertEquals(1111, options.connectTimeoutMs());
        assertEquals(2222, options.readTimeoutMs());
        assertEquals(3333, options.writeTimeoutMs());
        assertEquals(4321, options.requestTimeoutMs());
        assertEquals(4321, options.closeTimeoutMs());
        assertFalse(options.registerShutdownHook());

        assertEquals(Level.WARNING, handler.getLevel());
        assertTrue(handler.getFilter() instanceof NotFromMockWebServer);
        assertTrue(handler.getFormatter() instanceof SimpleFormatter);
        assertEquals("UTF-16", handler.getEncoding());

        Logger logger = Logger.getLogger("props.test");
        logger.info("below the handler's level");
        try (LogTideMdc.Scope trace = LogTideMdc.with("trace_id", "not the first key");
             LogTideMdc.Scope request = LogTideMdc.with("requestId", "req-jul");
             LogTideMdc.Scope span = LogTideMdc.with("x-span", "00f067aa0ba902b7")) {
            logger.warning("formatted by SimpleFormatter");
        }
        handler.flush();
        JsonNode entry = JulConfig.awaitSingleEntry(server);
        assertEquals("req-jul", entry.get("trace_id").asText(), "traceIdKey: the first key present wins");
        assertEquals("00f067aa0ba902b7", entry.get("span_id").asText(), "spanIdKey");
        assertEquals("WARNING props.test: formatted by SimpleFormatter", entry.get("message").asText());
        assertEquals("warn", entry.get("level").asText());
        assertFalse(entry.get("metadata").has("sourceClass"), "includeSource=false");
        assertEquals("all-options", entry.get("service").asText());
    }

    @Test
    void aDsnAloneGivesUrlAndKey() throws Exception {
        System.setProperty("logtide.test.dsn", server.url().replace("http://", "http://" + IngestServer.API_KEY + "@"));
        JulConfig.load("/dsn-logging.properties", server);
        Logger.getLogger("dsn.test").warning("via dsn");
        JulConfig.rootHandler().flush();
        assertEquals("via dsn", JulConfig.awaitSingleEntry(server).get("message").asText());
        assertEquals(IngestServer.API_KEY, server.requests().get(0).getHeaders().get("X-API-Key"));
    }

    /** An invalid client option disables the handler: one clear ErrorManager message, then silence. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "apiUrl|        |dev.logtide.jul.LogTideHandler.apiUrl: apiUrl is required",
        "apiUrl|ftp://x |dev.logtide.jul.LogTideHandler.apiUrl: apiUrl must start with http:// or https://",
        "batchSize|lots |dev.logtide.jul.LogTideHandler.batchSize: batchSize must be a whole number, got 'lots'",
        "batchSize|-1   |dev.logtide.jul.LogTideHandler.batchSize: batchSize"})
    void anInvalidClientOptionDisablesTheHandlerQuietly(String property, String value, String expected) throws Exception {
        assumeTrue(System.getenv("LOGTIDE_API_URL") == null && System.getenv("LOGTIDE_DSN") == null,
                "the environment would supply the URL");
        if (!"apiUrl".equals(property)) {
            System.setProperty("broken.apiUrl", server.url());
        }
        if (value != null) {
            System.setProperty("broken." + property, value);
        }
        String stderr = captureStderr(() -> {
            JulConfig.load("/broken-logging.properties", server);
            LogTideHandler handler = JulConfig.rootHandler();
            assertNull(handler.getClient(), "disabled");
            Logger logger = Logger.getLogger("broken.test");
            for (int i = 0; i < 3; i++) {
                logger.severe("dropped " + i);
            }
            handler.flush();
            handler.close();
        });
        assertTrue(stderr.contains(expected), stderr);
        assertTrue(stderr.contains("LogTide handler disabled, it drops every record"), stderr);
        assertEquals(1, stderr.lines().filter(l -> l.startsWith("java.util.logging.ErrorManager")).count(), stderr);
        assertFalse(stderr.contains(IngestServer.API_KEY), stderr);
        assertEquals(0, server.requests().size());
    }

    /** A bad handler property is reported by name, ignored, and the handler keeps delivering. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "level|LOUD|dev.logtide.jul.LogTideHandler.level: 'LOUD' is not a level",
        "filter|com.example.NoSuchFilter|dev.logtide.jul.LogTideHandler.filter: class com.example.NoSuchFilter not found",
        "filter|java.lang.String|dev.logtide.jul.LogTideHandler.filter: java.lang.String is not a java.util.logging.Filter",
        "formatter|java.util.logging.Formatter|dev.logtide.jul.LogTideHandler.formatter: could not create java.util.logging.Formatter",
        "encoding|NOPE-8|dev.logtide.jul.LogTideHandler.encoding: 'NOPE-8' is not a supported charset",
        "includeSource|maybe|dev.logtide.jul.LogTideHandler.includeSource must be true or false, got 'maybe'"})
    void aBadHandlerPropertyIsReportedAndIgnored(String property, String value, String expected) throws Exception {
        System.setProperty("broken.apiUrl", server.url());
        System.setProperty("broken." + property, value);
        String stderr = captureStderr(() -> {
            JulConfig.load("/broken-logging.properties", server);
            LogTideHandler handler = JulConfig.rootHandler();
            Logger.getLogger("broken.test").info("still delivered");
            handler.flush();
        });
        assertTrue(stderr.contains(expected), stderr);
        JsonNode entry = JulConfig.awaitSingleEntry(server);
        assertEquals("still delivered", entry.get("message").asText());
        assertTrue(entry.get("metadata").has("sourceClass"), "includeSource falls back to true");
    }

    @Test
    void theCriticalLevelCanBeTheHandlersLevel() throws Exception {
        System.setProperty("broken.apiUrl", server.url());
        System.setProperty("broken.level", "CRITICAL");
        JulConfig.load("/broken-logging.properties", server);
        LogTideHandler handler = JulConfig.rootHandler();
        assertEquals(LogTideLevel.CRITICAL, handler.getLevel());
        Logger logger = Logger.getLogger("broken.test");
        logger.severe("below critical");
        logger.log(LogTideLevel.CRITICAL, "critical");
        handler.flush();
        assertEquals("critical", JulConfig.awaitSingleEntry(server).get("level").asText());
    }

    @Test
    void unknownPlaceholdersFallBackToDefaults() throws Exception {
        System.setProperty("broken.apiUrl", server.url());
        JulConfig.load("/broken-logging.properties", server);
        LogTideHandler handler = JulConfig.rootHandler();
        assertEquals(100, handler.getClient().options().batchSize(), "${broken.batchSize} is unset");
        assertEquals(Level.ALL, handler.getLevel());
        assertNull(handler.getFormatter());
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String captureStderr(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
