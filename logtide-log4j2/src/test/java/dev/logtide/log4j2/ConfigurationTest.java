package dev.logtide.log4j2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.internal.config.ClientSettings;
import dev.logtide.testing.IngestServer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The appender from properties and JSON configurations, and a configuration that lacks the API key. */
class ConfigurationTest {
    private IngestServer server;
    private LoggerContext ctx;
    private final List<StatusData> status = new CopyOnWriteArrayList<>();
    private final StatusListener listener = new StatusListener() {
        @Override
        public void log(StatusData data) {
            status.add(data);
        }

        @Override
        public Level getStatusLevel() {
            return Level.DEBUG;
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() {
        server = new IngestServer();
        StatusLogger.getLogger().registerListener(listener);
    }

    @AfterEach
    void stop() {
        StatusLogger.getLogger().removeListener(listener);
        ThreadContext.clearAll();
        Log4j2Configs.stop(ctx);
        server.close();
    }

    @Test
    void propertiesConfiguration() {
        ctx = Log4j2Configs.start("log4j2-props.properties", server);
        ThreadContext.put("requestId", "req-7");
        ctx.getLogger("props").info("from properties");
        ctx.getLogger("props").debug("below the threshold filter");
        Log4j2Configs.stop(ctx);

        JsonNode e = server.entryWithMessage("from properties");
        assertEquals("props-test", e.path("service").asText());
        assertEquals("req-7", e.path("trace_id").asText(), "traceIdKey=requestId");
        assertEquals("props", e.path("metadata").path("env").asText());
        assertEquals("us-east-1", e.path("metadata").path("region").asText());
        assertEquals(1, server.entries().size(), "the ThresholdFilter keeps DEBUG out: " + server.entries());
    }

    @Test
    void jsonConfiguration() {
        ctx = Log4j2Configs.start("log4j2-json.json", server);
        ctx.getLogger("json").warn("from json");
        Log4j2Configs.stop(ctx);

        JsonNode e = server.entryWithMessage("from json");
        assertEquals("json-test", e.path("service").asText());
        assertEquals("json", e.path("metadata").path("format").asText());
    }

    @Test
    void everyCoreOptionIsAnAttributeAndReachesTheClient() {
        ctx = Log4j2Configs.start("log4j2-all-options.xml", server);
        ClientOptions o = Log4j2Configs.appender(ctx, "ALL").options();
        assertEquals("http://127.0.0.1:9/base", o.apiUrl());
        assertEquals("lp_all_options", o.apiKey());
        assertEquals("all-options", o.service());
        assertEquals(50, o.batchSize());
        assertEquals(1234, o.flushIntervalMs());
        assertEquals(500, o.maxBufferSize());
        assertEquals(1048576, o.maxBufferBytes());
        assertEquals(7, o.blockWhenFullMs());
        assertEquals(262144, o.maxBatchBytes());
        assertEquals(5, o.maxRetries());
        assertEquals(250, o.retryDelayMs());
        assertEquals(9000, o.maxRetryDelayMs());
        assertEquals(9, o.circuitBreakerThreshold());
        assertEquals(4000, o.circuitBreakerResetMs());
        assertEquals(512, o.payloadLimits().maxFieldSize());
        assertEquals(8192, o.payloadLimits().maxLogSize());
        assertEquals(Set.of("password", "token"), o.payloadLimits().excludeFields());
        assertEquals("[cut]", o.payloadLimits().truncationMarker());
        assertEquals(0.5, o.sampleRate());
        assertEquals(Map.of("env", "prod", "region", "eu", "team", "core"), o.globalMetadata());
        assertTrue(o.autoTraceId());
        assertTrue(o.debug());
        assertEquals(1111, o.connectTimeoutMs());
        assertEquals(2222, o.readTimeoutMs());
        assertEquals(3333, o.writeTimeoutMs());
        assertEquals(4321, o.requestTimeoutMs());
        assertEquals(4444, o.closeTimeoutMs());
        assertFalse(o.registerShutdownHook());
        assertNotNull(o.diagnosticListener(), "diagnostics go to the StatusLogger");

        ClientOptions dsn = Log4j2Configs.appender(ctx, "DSN").options();
        assertEquals("http://127.0.0.1:9/prefix", dsn.apiUrl());
        assertEquals("lp_from_dsn", dsn.apiKey());
        assertTrue(dsn.registerShutdownHook(), "with Log4j2's hook off, the client closes itself at exit");
    }

    @Test
    void theClientLeavesExitToLog4j2sShutdownHookWhenThatIsOn() {
        ctx = Log4j2Configs.start("log4j2-props.properties", server);
        assertFalse(Log4j2Configs.appender(ctx, "LOGTIDE").options().registerShutdownHook());
    }

    /** The programmatic setup shown in docs/log4j2.md. */
    @Test
    void programmaticBuilder() {
        ctx = Log4j2Configs.start("log4j2-lifecycle.xml", server);
        Configuration config = ctx.getConfiguration();
        LogTideAppender appender = LogTideAppender.newBuilder()
                .setName("PROGRAMMATIC")
                .setConfiguration(config)
                .setOptions(ClientOptions.builder()
                        .apiUrl(server.url())
                        .apiKey(IngestServer.API_KEY)
                        .service("checkout")
                        .batchSize(200)
                        .build())
                .setTraceIdKey("requestId,trace_id")
                .build();
        appender.start();
        assertNotNull(appender.getClient().options().diagnosticListener(), "diagnostics go to the StatusLogger");
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        ctx.updateLoggers();
        ThreadContext.put("requestId", "req-code");
        ctx.getLogger("programmatic").info("added in code");
        ThreadContext.clearAll();
        Log4j2Configs.stop(ctx);

        assertEquals(List.of("lifecycle-test", "checkout"), server.entries().stream()
                .map(e -> e.path("service").asText()).sorted(Comparator.reverseOrder()).collect(Collectors.toList()));
        assertEquals(List.of("req-code"), server.entries().stream().filter(e -> e.path("service").asText().equals("checkout"))
                .map(e -> e.path("trace_id").asText()).collect(Collectors.toList()), "traceIdKey, first present wins");
        assertTrue(appender.isStopped(), "stopping the configuration stops an appender added in code");
        if (System.getenv("LOGTIDE_API_URL") == null && System.getenv("LOGTIDE_DSN") == null) {
            LogTideAppender noUrl = LogTideAppender.newBuilder().setName("NO_URL").build();
            noUrl.start();
            assertTrue(noUrl.isStarted() && noUrl.getClient() == null,
                    "a builder without a URL gives an inactive appender: " + noUrl);
        }
    }

    /** The typed setters of the client options, deprecated for setOptions, still set them. */
    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedTypedSettersStillWork() {
        ClientOptions o = LogTideAppender.newBuilder().setName("TYPED").setApiUrl(server.url())
                .setApiKey(IngestServer.API_KEY).setBatchSize(200).setAutoTraceId(true).setRegisterShutdownHook(false)
                .build().options();
        assertEquals(200, o.batchSize());
        assertTrue(o.autoTraceId());
        assertEquals(server.url(), o.apiUrl());
    }

    /** The builder reads each option's text from the field of the same name. */
    @Test
    void everyOptionNameHasABuilderAttribute() throws NoSuchFieldException {
        for (String option : ClientSettings.OPTION_NAMES) {
            Field field = LogTideAppender.Builder.class.getDeclaredField(option);
            assertNotNull(field.getAnnotation(PluginBuilderAttribute.class), option);
            assertEquals(String.class, field.getType(), option + " is text, parsed by the core");
        }
    }

    @Test
    void missingApiKeyLeavesTheAppenderInactiveAndSaysWhyInOneWarning() throws IOException {
        assumeTrue(System.getenv("LOGTIDE_API_KEY") == null && System.getenv("LOGTIDE_DSN") == null,
                "the LOGTIDE_* fallback would supply the key");
        Path file = Paths.get("target", "missing-key-test.log");
        Files.deleteIfExists(file);
        System.setProperty("logtide.test.file", file.toString());

        ctx = Log4j2Configs.start("log4j2-missing-key.xml", server);
        LogTideAppender inactive = ctx.getConfiguration().getAppender("LOGTIDE");
        assertTrue(inactive.isStarted() && inactive.getClient() == null, "inactive without a key: " + inactive);
        ctx.getLogger("app").info("the application runs on");
        Log4j2Configs.stop(ctx);

        // No ERROR at all (an inactive appender is a state, not a failure), one WARN naming the option.
        List<String> errors = status.stream().filter(s -> s.getLevel().isMoreSpecificThan(Level.ERROR))
                .map(s -> s.getMessage().getFormattedMessage()).collect(Collectors.toList());
        assertEquals(List.of(), errors);
        List<String> warnings = status.stream().filter(s -> s.getLevel() == Level.WARN)
                .map(s -> s.getMessage().getFormattedMessage()).collect(Collectors.toList());
        assertEquals(1, warnings.stream().filter(m -> m.contains("LogTide appender 'LOGTIDE' is inactive")
                && m.contains("apiKey is required")).count(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(m -> m.contains("${env:LOGTIDE_TEST_UNSET_VARIABLE}")), warnings.toString());
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains("INFO the application runs on"));
        assertEquals(0, server.entries().size());
    }

    @Test
    void runTimeProblemsGoToTheStatusLogger() throws InterruptedException {
        ctx = Log4j2Configs.start("log4j2-wrong-key.xml", server);
        ctx.getLogger("app").error("rejected by the server");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (statusMentioning("LogTide appender 'LOGTIDE'", "401").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> rejected = statusMentioning("LogTide appender 'LOGTIDE'", "401");
        assertFalse(rejected.isEmpty(), status.toString());
        assertTrue(status.stream().noneMatch(s -> s.getMessage().getFormattedMessage().contains("lp_wrong_key_987")),
                "the key never appears in a status");
        assertTrue(server.entries().isEmpty());
    }

    private List<String> statusMentioning(String... parts) {
        return status.stream().map(s -> s.getMessage().getFormattedMessage())
                .filter(m -> java.util.Arrays.stream(parts).allMatch(m::contains))
                .collect(Collectors.toList());
    }

    @Test
    void statusOutputNeverShowsTheApiKey() {
        ctx = Log4j2Configs.start("log4j2-props.properties", server);
        List<String> messages = status.stream().map(s -> s.getMessage().getFormattedMessage())
                .collect(Collectors.toList());
        // The plugin builder reports every attribute it injects at DEBUG; the key must be masked there.
        assertTrue(messages.stream().anyMatch(m -> m.contains("apiKey")), messages.toString());
        assertFalse(messages.stream().anyMatch(m -> m.contains(IngestServer.API_KEY)), messages.toString());
    }
}
