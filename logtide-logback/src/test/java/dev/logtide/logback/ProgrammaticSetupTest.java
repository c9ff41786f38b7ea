package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.ThrowableView;
import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The appender set up in code, as docs/logback.md shows: options built with ClientOptions. */
class ProgrammaticSetupTest {
    private IngestServer server;
    private LoggerContext ctx;
    private LogTideAppender appender;

    @BeforeEach
    void setUp() {
        server = new IngestServer();
        LogbackTestSupport.reset();
        ctx = LogbackTestSupport.context();
        ctx.getStatusManager().clear();
    }

    @AfterEach
    void tearDown() {
        if (appender != null) {
            ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            appender.stop();
        }
        LogbackTestSupport.reset();
        server.close();
    }

    private ClientOptions.Builder options() {
        return ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .flushIntervalMs(60_000).registerShutdownHook(false);
    }

    private LogTideAppender started(ClientOptions options) {
        return started(new LogTideAppender(), options);
    }

    private LogTideAppender started(LogTideAppender created, ClientOptions options) {
        appender = created;
        appender.setContext(ctx);
        appender.setName("CODE");
        appender.setOptions(options);
        appender.setTraceIdKey("requestId, x-trace");
        appender.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    @Test
    void optionsBuiltInCodeAreUsedAndTheTextOptionsIgnored() {
        LogTideAppender created = new LogTideAppender();
        created.setBatchSize("lots"); // would make the appender inactive, were the options not given
        started(created, options().service("from-code").build());
        assertTrue(appender.isStarted());
        assertEquals("from-code", appender.getClient().options().service());
        assertEquals(100, appender.getClient().options().batchSize());

        MDC.put("x-trace", "code-trace");
        try {
            ctx.getLogger("app.Code").info("set up in code");
        } finally {
            MDC.clear();
        }
        appender.getClient().flush();
        JsonNode entry = server.entryWithMessage("set up in code");
        assertEquals("from-code", entry.get("service").asText());
        assertEquals("code-trace", entry.get("trace_id").asText());
    }

    @Test
    void theClientReportsToLogbacksStatusUnlessTheOptionsNameAListener() throws Exception {
        started(options().apiKey("lp_rejected_in_code").build());
        assertNotNull(appender.getClient().options().diagnosticListener(),
                "the appender plugs its status channel into the options");
        ctx.getLogger("app.Code").error("rejected");
        appender.getClient().flush(10, TimeUnit.SECONDS);
        List<String> errors = awaitErrors();
        assertTrue(errors.stream().anyMatch(e -> e.contains("LogTide appender [CODE]") && e.contains("API key")),
                errors.toString());
        assertFalse(errors.toString().contains("lp_rejected_in_code"), errors.toString());
        appender.stop();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);

        List<String> mine = new CopyOnWriteArrayList<>();
        DiagnosticListener listener = (severity, message, error) -> mine.add(message);
        started(options().diagnosticListener(listener).build());
        assertSame(listener, appender.getClient().options().diagnosticListener());
    }

    @Test
    void aBeforeSendHookReadsLogbacksExceptionThroughItsView() {
        List<Throwable> originals = new CopyOnWriteArrayList<>();
        started(options().beforeSend(e -> {
            ThrowableView exception = e.exception();
            if (exception == null) {
                return e;
            }
            if (e.throwable() != null) {
                originals.add(e.throwable());
            }
            return exception.className().equals(IllegalStateException.class.getName()) ? null
                    : e.toBuilder().put("exceptionType", exception.className()).build();
        }).build());
        ctx.getLogger("app.Code").error("known failure", new IllegalStateException("known"));
        ctx.getLogger("app.Code").error("other failure", new IllegalArgumentException("bad"));
        ctx.getLogger("app.Code").info("no failure");
        appender.getClient().flush();

        assertEquals(List.of("other failure", "no failure"), server.entries().stream()
                .map(entry -> entry.get("message").asText()).collect(Collectors.toList()));
        assertEquals(IllegalArgumentException.class.getName(),
                server.entryWithMessage("other failure").get("metadata").get("exceptionType").asText());
        assertEquals(List.of(), originals, "Logback hands over its own snapshot, not the Throwable");
    }

    private List<String> awaitErrors() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> errors = LogbackTestSupport.statuses(ctx, Status.ERROR);
        while (errors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            errors = LogbackTestSupport.statuses(ctx, Status.ERROR);
        }
        return errors;
    }
}
