package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OkHttp logs through JUL, and the LogTide handler sits on the root logger: what OkHttp logs while
 * the sender delivers must not be shipped (it would make more requests, which log more), and the
 * handler must not deadlock with JUL's own locks, also while LogManager.reset() closes it.
 */
class FeedbackGuardTest {
    /**
     * JUL gives {@code okhttp3.level} only to a logger of that exact name. OkHttp's own loggers
     * created before the configuration is read (an earlier test in this JVM started a client) reach
     * that level only through this parent, so it must exist, and stay referenced, first.
     */
    private static final Logger OKHTTP = Logger.getLogger("okhttp3");
    private static final int THREADS = 3;
    private static final int ROUNDS = 3;
    private static final int PER_ROUND = 10;

    private IngestServer server;

    @BeforeEach
    void configure() throws Exception {
        RecordingHandler.SEEN.clear();
        server = new IngestServer();
        JulConfig.load("/feedback-logging.properties", server);
    }

    @AfterEach
    void tearDown() {
        JulConfig.reset();
        server.close();
    }

    @Test
    void okHttpAndSenderRecordsAreNotShippedAndNothingLoopsOrDeadlocks() throws Exception {
        LogTideHandler handler = JulConfig.rootHandler();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Logger app = Logger.getLogger("feedback.app");
            Thread thread = new Thread(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < PER_ROUND; i++) {
                        app.info("app record " + round + "." + i);
                    }
                    // Deliveries happen while the handler is attached, so OkHttp logs into it.
                    handler.flush();
                }
            }, "app-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Set<String> seenWhileAttached = new TreeSet<>(RecordingHandler.SEEN);
        // Closes the handler under LogManager's configuration lock while OkHttp keeps logging on the
        // sender thread; its flush must still deliver everything.
        LogManager.getLogManager().reset();

        int expected = THREADS * ROUNDS * PER_ROUND;
        JulConfig.awaitEntries(server, expected);
        Set<String> shipped = new TreeSet<>();
        List<JsonNode> entries = server.entries();
        for (JsonNode entry : entries) {
            shipped.add(entry.get("metadata").get("logger").asText() + " @ "
                    + entry.get("metadata").get("thread").asText().replaceAll("\\d+$", "N"));
        }
        assertEquals(Set.of("feedback.app @ app-N"), shipped);
        assertEquals(expected, entries.size());

        // The scenario really happened: OkHttp logged on the sender thread and on its own threads.
        assertTrue(seenWhileAttached.stream().anyMatch(s -> s.startsWith("okhttp3.") && s.endsWith("@ logtide-sender")),
                () -> "no OkHttp record on the sender thread: " + seenWhileAttached);
        assertTrue(seenWhileAttached.stream().anyMatch(s -> s.startsWith("okhttp3.") && s.contains("@ OkHttp")),
                () -> "no record from OkHttp's threads: " + seenWhileAttached);
    }
}
