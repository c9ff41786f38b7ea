package dev.logtide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JVM exit in a child process: the shutdown hook delivers, and never keeps the JVM alive. */
class ShutdownHookTest {
    private IngestServer server;

    @BeforeEach
    void start() {
        server = new IngestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The child: logs and returns from main without closing the client. */
    public static final class LogAndExit {
        public static void main(String[] args) {
            LogTideClient client = new LogTideClient(ClientOptions.builder()
                    .apiUrl(args[0]).apiKey(IngestServer.API_KEY)
                    .flushIntervalMs(60_000).batchSize(1000).closeTimeoutMs(Long.parseLong(args[2]))
                    .build());
            int n = Integer.parseInt(args[1]);
            for (int i = 0; i < n; i++) {
                client.info("child", "exit " + i);
            }
        }
    }

    /**
     * The child: sends full batches while it runs (requests on OkHttp's dispatcher threads), waits
     * until they are sent, and returns from main without closing the client.
     */
    public static final class SendAndExit {
        public static void main(String[] args) throws InterruptedException {
            LogTideClient client = new LogTideClient(ClientOptions.builder()
                    .apiUrl(args[0]).apiKey(IngestServer.API_KEY).batchSize(10).build());
            // More than one request's worth, so batches wait while a request is in flight.
            for (int i = 0; i < 5000; i++) {
                client.info("child", "sent " + i);
            }
            while (client.getMetrics().logsSent() < 5000) {
                Thread.sleep(10);
            }
            System.out.println("SENT");
        }
    }

    @Test
    void idleHttpThreadsDoNotKeepTheJvmAlive() throws Exception {
        long started = System.nanoTime();
        ChildJvm.Result r = ChildJvm.run(SendAndExit.class, Collections.emptyList(),
                Collections.singletonList(server.url()), 60_000);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(r.exited && r.output.contains("SENT"), r::toString);
        assertEquals(5000, server.entries().size());
        // OkHttp's own dispatcher threads are not daemons and idle for 60 s before they end.
        assertTrue(tookMs < 30_000, "the child took " + tookMs + " ms to exit after its requests");
    }

    @Test
    void exitingWithoutCloseStillDeliversEverything() throws Exception {
        ChildJvm.Result r = ChildJvm.run(LogAndExit.class, Collections.emptyList(),
                Arrays.asList(server.url(), "250", "5000"), 30_000);
        assertTrue(r.exited, r::toString);
        assertEquals(0, r.exitCode, r::toString);
        List<JsonNode> got = server.awaitEntries(250, Duration.ofSeconds(5));
        assertEquals(250, got.size());
    }

    @Test
    void aHungServerDoesNotKeepTheJvmAlivePastTheCloseTimeout() throws Exception {
        server.respondWith(batch -> new MockResponse.Builder().code(200).body("{}")
                .headersDelay(1, TimeUnit.HOURS).build());
        long started = System.nanoTime();
        ChildJvm.Result r = ChildJvm.run(LogAndExit.class, Collections.emptyList(),
                Arrays.asList(server.url(), "10", "1000"), 60_000);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(r.exited, r::toString);
        assertTrue(tookMs < 30_000, "the child took " + tookMs + " ms to exit with a 1 s close timeout");
    }
}
