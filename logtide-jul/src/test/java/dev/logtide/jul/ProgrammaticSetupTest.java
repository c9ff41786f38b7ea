package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.DropReason;
import dev.logtide.LogTideClient;
import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler created in code: a shared client, the builder, hostile formatters and filters. */
class ProgrammaticSetupTest {
    private IngestServer server;
    private final Logger logger = Logger.getLogger("programmatic.test");
    private final List<Handler> attached = new ArrayList<>();

    @BeforeEach
    void start() {
        server = new IngestServer();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
    }

    @AfterEach
    void tearDown() {
        for (Handler handler : attached) {
            logger.removeHandler(handler);
            handler.close();
        }
        server.close();
    }

    private <H extends Handler> H attach(H handler) {
        attached.add(handler);
        logger.addHandler(handler);
        return handler;
    }

    private LogTideHandler.Builder builder() {
        return LogTideHandler.builder()
                .option("apiUrl", server.url())
                .option("apiKey", IngestServer.API_KEY)
                .option("flushIntervalMs", "60000")
                .option("registerShutdownHook", "false");
    }

    @Test
    void aSharedClientIsFlushedOnCloseButNotClosed() throws Exception {
        try (LogTideClient client = new LogTideClient(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .flushIntervalMs(60_000).registerShutdownHook(false).build())) {
            LogTideHandler handler = attach(new LogTideHandler(client, "shared-service"));
            List<String> reported = new ArrayList<>();
            handler.setErrorManager(new ErrorManager() {
                @Override
                public synchronized void error(String msg, Exception ex, int code) {
                    reported.add(code + " " + msg);
                }
            });
            logger.info("through the handler");
            handler.close();
            JsonNode entry = JulConfig.awaitSingleEntry(server);
            assertEquals("shared-service", entry.get("service").asText());
            assertEquals("through the handler", entry.get("message").asText());

            assertFalse(client.isClosed(), "the handler must not close a client it did not create");
            logger.info("after the handler closed");
            logger.info("after the handler closed, again");
            assertEquals(List.of(ErrorManager.WRITE_FAILURE + " LogTide handler is closed: records published to it are"
                    + " dropped (its client, given to the builder, stays open)"), reported);
            client.info("direct", "the client still works");
            client.flush();
            List<JsonNode> entries = JulConfig.awaitEntries(server, 2);
            assertEquals("the client still works", entries.get(1).get("message").asText());
            assertEquals(2, entries.size());
        }
    }

    @Test
    void theBuilderCreatesAndClosesItsOwnClient() throws Exception {
        LogTideHandler handler = attach(builder().service("built").level(Level.WARNING).includeSource(false).build());
        logger.info("below the level");
        logger.warning("kept");
        handler.flush();
        JsonNode entry = JulConfig.awaitSingleEntry(server);
        assertEquals("built", entry.get("service").asText());
        assertEquals("warn", entry.get("level").asText());
        assertFalse(entry.get("metadata").has("sourceClass"));

        handler.close();
        assertTrue(handler.getClient().isClosed());
        logger.severe("after close: dropped without an exception");
        handler.close();
        assertEquals(1, handler.getClient().getMetrics().logsSent());
        assertEquals(1L, handler.getClient().getMetrics().droppedByReason().get(DropReason.AFTER_CLOSE),
                "counted by the client the handler closed");
    }

    /** The programmatic setup shown in docs/jul.md: options built with ClientOptions. */
    @Test
    void theBuilderTakesOptionsBuiltInCodeAndTheKeysToReadIdsFrom() throws Exception {
        LogTideHandler handler = attach(LogTideHandler.builder()
                .options(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY).service("from-code")
                        .flushIntervalMs(60_000).registerShutdownHook(false).build())
                .traceIdKey("requestId, trace_id")
                .spanIdKey("x-span")
                .build());
        try (LogTideMdc.Scope trace = LogTideMdc.with("trace_id", "not the first key");
             LogTideMdc.Scope request = LogTideMdc.with("requestId", "req-code");
             LogTideMdc.Scope span = LogTideMdc.with("x-span", "00f067aa0ba902b7")) {
            logger.info("set up in code");
        }
        handler.flush();
        JsonNode entry = JulConfig.awaitSingleEntry(server);
        assertEquals("from-code", entry.get("service").asText());
        assertEquals("req-code", entry.get("trace_id").asText());
        assertEquals("00f067aa0ba902b7", entry.get("span_id").asText());
    }

    @Test
    void optionsBuiltInCodeReportToTheErrorManagerUnlessTheyNameAListener() throws Exception {
        RecordingErrorManager errors = new RecordingErrorManager();
        LogTideHandler handler = attach(LogTideHandler.builder()
                .options(ClientOptions.builder().apiUrl(server.url()).apiKey("lp_wrong_code_key")
                        .closeTimeoutMs(1000).registerShutdownHook(false).build())
                .build());
        handler.setErrorManager(errors);
        logger.warning("rejected");
        handler.flush();
        String message = errors.awaitMessage();
        assertTrue(message.contains("LogTide rejected the API key"), message);
        assertFalse(message.contains("lp_wrong_code_key"), message);

        DiagnosticListener mine = (severity, text, error) -> { };
        LogTideHandler own = attach(LogTideHandler.builder()
                .options(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                        .registerShutdownHook(false).diagnosticListener(mine).build())
                .build());
        assertSame(mine, own.getClient().options().diagnosticListener());
    }

    @Test
    void theBuilderSharesAClientWhenGivenOne() throws Exception {
        try (LogTideClient client = new LogTideClient(ClientOptions.builder().apiUrl(server.url()).apiKey(IngestServer.API_KEY)
                .registerShutdownHook(false).build())) {
            LogTideHandler handler = attach(LogTideHandler.builder().client(client).service("svc").build());
            logger.info("shared via builder");
            handler.close();
            assertEquals("svc", JulConfig.awaitSingleEntry(server).get("service").asText());
            assertFalse(client.isClosed());
        }
    }

    @Test
    void theBuilderFailsFastNamingTheOption() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> builder().option("batchSize", "many").build());
        assertTrue(bad.getMessage().startsWith("batchSize"), bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> builder().option("apiURL", "x"));
        assertTrue(unknown.getMessage().contains("apiURL"), unknown.getMessage());
    }

    @Test
    void aFailingFormatterOrFilterNeverReachesTheCaller() throws Exception {
        RecordingErrorManager errors = new RecordingErrorManager();
        LogTideHandler handler = attach(builder().formatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                throw new IllegalStateException("formatter bug");
            }
        }).build());
        handler.setErrorManager(errors);
        logger.log(Level.INFO, "plain {0}", "text");
        handler.flush();
        assertEquals("plain text", JulConfig.awaitSingleEntry(server).get("message").asText());
        assertEquals(List.of(ErrorManager.FORMAT_FAILURE), errors.codes());

        handler.setFilter(record -> {
            throw new IllegalStateException("filter bug");
        });
        logger.info("filtered by a broken filter");
        assertEquals(List.of(ErrorManager.FORMAT_FAILURE, ErrorManager.FORMAT_FAILURE), errors.codes());
    }

    @Test
    void clientErrorsGoToTheErrorManagerWithoutTheKey() throws Exception {
        RecordingErrorManager errors = new RecordingErrorManager();
        LogTideHandler handler = attach(builder().option("apiKey", "lp_wrong_key").option("closeTimeoutMs", "1000").build());
        handler.setErrorManager(errors);
        logger.warning("rejected");
        handler.flush();
        String message = errors.awaitMessage();
        assertTrue(message.contains("LogTide rejected the API key"), message);
        assertFalse(message.contains("lp_wrong_key"), message);
        assertEquals(ErrorManager.WRITE_FAILURE, errors.codes().get(0));
    }

    @Test
    void flushAndCloseReturnAgainstAServerThatNeverAnswers() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(hung.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "hung-server");
            acceptor.setDaemon(true);
            acceptor.start();
            LogTideHandler handler = LogTideHandler.builder()
                    .option("apiUrl", "http://127.0.0.1:" + hung.getLocalPort())
                    .option("apiKey", "lp_hung")
                    .option("registerShutdownHook", "false")
                    .option("closeTimeoutMs", "300")
                    .build();
            logger.addHandler(handler);
            try {
                logger.warning("never answered");
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                    handler.flush();
                    handler.close();
                }, "flush and close are bounded by closeTimeoutMs");
            } finally {
                logger.removeHandler(handler);
            }
            assertTrue(handler.getClient().isClosed());
            assertEquals(0, handler.getClient().getMetrics().logsSent());
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    /** Keeps every error, unlike JUL's default ErrorManager, which prints the first only. */
    private static final class RecordingErrorManager extends ErrorManager {
        private final List<Integer> codes = new CopyOnWriteArrayList<>();
        private final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void error(String msg, Exception ex, int code) {
            codes.add(code);
            messages.add(msg);
        }

        List<Integer> codes() {
            return new ArrayList<>(codes);
        }

        String awaitMessage() throws InterruptedException {
            for (int i = 0; i < 200 && messages.isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertFalse(messages.isEmpty(), "no error reported");
            return messages.get(0);
        }
    }
}
