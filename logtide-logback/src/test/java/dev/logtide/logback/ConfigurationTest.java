package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.internal.config.ClientSettings;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Options from logback.xml, the ERROR statuses of a bad configuration, and run-time statuses. */
class ConfigurationTest {
    private IngestServer server;
    private final Logger log = LoggerFactory.getLogger("app.Config");

    @BeforeEach
    void setUp() throws Exception {
        server = new IngestServer();
    }

    @AfterEach
    void tearDown() {
        LogbackTestSupport.reset();
        server.close();
    }

    @Test
    void everyCoreOptionIsAnElementOfTheSameName() {
        List<String> missing = ClientSettings.OPTION_NAMES.stream().filter(name -> {
            String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            return Arrays.stream(LogTideAppender.class.getMethods())
                    .noneMatch(m -> m.getName().equals(setter) && Arrays.equals(m.getParameterTypes(), new Class<?>[] {String.class}));
        }).collect(Collectors.toList());
        assertEquals(List.of(), missing, "core options without a LogTideAppender setter");
    }

    @Test
    void everyOptionFromTheFileReachesTheClient() throws Exception {
        System.setProperty("logtide.test.dsn", server.url().replace("http://", "http://" + IngestServer.API_KEY + "@"));
        try {
            LoggerContext ctx = LogbackTestSupport.configure("all-options.xml", server.url());
            LogTideAppender appender = LogbackTestSupport.appender(ctx, "LOGTIDE");
            assertTrue(appender.isStarted(), LogbackTestSupport.statuses(ctx, Status.WARN).toString());
            ClientOptions o = appender.getClient().options();
            assertEquals(server.url(), o.apiUrl());
            assertEquals(IngestServer.API_KEY, o.apiKey());
            assertEquals("all-options", o.service());
            assertEquals(7, o.batchSize());
            assertEquals(60000, o.flushIntervalMs());
            assertEquals(500, o.maxBufferSize());
            assertEquals(2097152, o.maxBufferBytes());
            assertEquals(5, o.blockWhenFullMs());
            assertEquals(131072, o.maxBatchBytes());
            assertEquals(1, o.maxRetries());
            assertEquals(10, o.retryDelayMs());
            assertEquals(20, o.maxRetryDelayMs());
            assertEquals(9, o.circuitBreakerThreshold());
            assertEquals(1500, o.circuitBreakerResetMs());
            assertEquals(64, o.payloadLimits().maxFieldSize());
            assertEquals(65536, o.payloadLimits().maxLogSize());
            assertTrue(o.payloadLimits().isExcluded("token"));
            assertEquals("[cut]", o.payloadLimits().truncationMarker());
            assertEquals(0.99999999, o.sampleRate());
            assertEquals("ci", o.globalMetadata().get("env"));
            assertEquals("eu-west-1", o.globalMetadata().get("region"));
            assertTrue(o.autoTraceId());
            assertTrue(o.debug());
            assertEquals(1111, o.connectTimeoutMs());
            assertEquals(2222, o.readTimeoutMs());
            assertEquals(3333, o.writeTimeoutMs());
            assertEquals(4321, o.requestTimeoutMs());
            assertEquals(4444, o.closeTimeoutMs());
            assertFalse(o.registerShutdownHook());

            log.atInfo().addKeyValue("long", "word ".repeat(40)).addKeyValue("token", "t-1").log("options");
            LogbackTestSupport.flush(ctx, "LOGTIDE");
            JsonNode entry = server.entryWithMessage("options");
            JsonNode metadata = entry.get("metadata");
            assertTrue(metadata.get("long").asText().endsWith("[cut]"), metadata.toString());
            assertEquals("[EXCLUDED]", metadata.get("token").asText());
            assertFalse(entry.path("trace_id").asText().isEmpty(), "autoTraceId: " + entry);
            // debug=true: the client's debug diagnostics arrive as statuses of this appender.
            assertTrue(ctx.getStatusManager().getCopyOfStatusList().stream()
                    .anyMatch(s -> s.getOrigin() == appender && s.getLevel() == Status.INFO));
        } finally {
            System.clearProperty("logtide.test.dsn");
        }
    }

    @Test
    void unsetOptionsFallBackToTheEnvironment() throws Exception {
        assertEquals("service-from-env", System.getenv("LOGTIDE_SERVICE"), "the pom sets LOGTIDE_SERVICE for tests");
        LoggerContext ctx = LogbackTestSupport.configure("env-service.xml", server.url());

        log.info("service from the environment");
        LogbackTestSupport.flush(ctx, "LOGTIDE");

        assertEquals("service-from-env", server.entryWithMessage("service from the environment").get("service").asText());
    }

    /**
     * Loads a bad configuration and checks that the appender
     * did not start, that one WARN status names every fragment (never an ERROR: Spring Boot aborts
     * start-up on one), and that none shows the key.
     */
    private void notStartedBecause(String resource, String... fragments) throws Exception {
        LoggerContext ctx = LogbackTestSupport.configure(resource, server.url());
        LogTideAppender appender = LogbackTestSupport.appender(ctx, "LOGTIDE");
        assertFalse(appender.isStarted());
        assertNull(appender.getClient());
        List<String> errors = LogbackTestSupport.statuses(ctx, Status.WARN);
        assertTrue(LogbackTestSupport.statuses(ctx, Status.ERROR).stream().noneMatch(e -> e.contains("LogTide")),
                () -> LogbackTestSupport.statuses(ctx, Status.ERROR).toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("LogTide appender [LOGTIDE] not started")
                && Arrays.stream(fragments).allMatch(e::contains)), errors.toString());
        assertTrue(errors.stream().noneMatch(e -> e.contains(IngestServer.API_KEY)), errors.toString());
    }

    /**
     * Loads a configuration with a missing or invalid option and checks that the appender is
     * started but inactive (no client; Logback adds no warning per event), that one WARN status
     * names every fragment, that there is no ERROR, and that none shows the key.
     */
    private void inactiveBecause(String resource, String... fragments) throws Exception {
        LoggerContext ctx = LogbackTestSupport.configure(resource, server.url());
        LogTideAppender appender = LogbackTestSupport.appender(ctx, "LOGTIDE");
        assertTrue(appender.isStarted());
        assertNull(appender.getClient());
        log.info("dropped by the inactive appender");
        log.info("and this one");
        List<String> warnings = LogbackTestSupport.statuses(ctx, Status.WARN);
        assertEquals(1, warnings.stream().filter(w -> w.contains("LOGTIDE")).count(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(e -> e.contains("LogTide appender [LOGTIDE] is inactive and drops every event")
                && Arrays.stream(fragments).allMatch(e::contains)), warnings.toString());
        assertTrue(warnings.stream().noneMatch(e -> e.contains(IngestServer.API_KEY)), warnings.toString());
        assertTrue(LogbackTestSupport.statuses(ctx, Status.ERROR).stream().noneMatch(e -> e.contains("LogTide")));
    }

    @Test
    void missingKeyIsAWarningStatusAndTheApplicationRunsOn() throws Exception {
        inactiveBecause("missing-key.xml", "apiKey");

        log.info("still running");
        List<ILoggingEvent> listed = LogbackTestSupport.listed(LogbackTestSupport.context());
        assertEquals("still running", listed.get(listed.size() - 1).getFormattedMessage());
        assertEquals(0, server.requests().size());
    }

    @Test
    void undefinedUrlVariableCountsAsUnsetAndNamesApiUrl() throws Exception {
        inactiveBecause("missing-url.xml", "apiUrl is required");
    }

    @Test
    void invalidValueNamesTheElement() throws Exception {
        inactiveBecause("invalid-value.xml", "batchSize", "lots");
    }

    @Test
    void layoutAndEncoderTogetherAreRefused() throws Exception {
        notStartedBecause("layout-and-encoder.xml", "<layout>", "<encoder>");
    }

    @Test
    void aLayoutThatCannotStartKeepsTheAppenderStopped() throws Exception {
        notStartedBecause("bad-layout.xml", "<layout> did not start");
    }

    @Test
    void twoAppendersWithTwoKeysWorkIndependentlyAndARejectedKeyReachesTheStatusManager() throws Exception {
        LoggerContext ctx = LogbackTestSupport.configure("two-keys.xml", server.url());
        LogTideAppender good = LogbackTestSupport.appender(ctx, "GOOD");
        LogTideAppender revoked = LogbackTestSupport.appender(ctx, "REVOKED");

        log.error("sent by both");
        good.getClient().flush(10, TimeUnit.SECONDS);
        revoked.getClient().flush(10, TimeUnit.SECONDS);

        List<Status> fromRevoked = awaitStatuses(ctx, revoked, Status.ERROR);
        String text = fromRevoked.stream().map(Status::getMessage).collect(Collectors.joining("\n"));
        assertTrue(text.contains("API key"), text);
        assertTrue(text.contains("[REVOKED]"), text);
        assertFalse(text.contains("lp_revoked_key_42"), text);
        assertEquals("good", server.entryWithMessage("sent by both").get("service").asText());
        assertTrue(server.requests().stream().anyMatch(r -> "lp_revoked_key_42".equals(r.getHeaders().get("X-API-Key"))));
        assertTrue(ctx.getStatusManager().getCopyOfStatusList().stream()
                .noneMatch(s -> s.getOrigin() == good && s.getLevel() >= Status.WARN));
    }

    private static List<Status> awaitStatuses(LoggerContext ctx, Object origin, int level) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<Status> found = ctx.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getOrigin() == origin && s.getLevel() == level)
                    .collect(Collectors.toList());
            if (!found.isEmpty()) {
                return found;
            }
            Thread.sleep(20);
        }
        fail("no status at level " + level + " from the appender: " + LogbackTestSupport.statuses(ctx, Status.INFO));
        return null;
    }
}
