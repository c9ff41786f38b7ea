package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;

import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads real logging.properties files from the test resources with JUL's own LogManager. */
final class JulConfig {
    /** The system properties the test files read, the same the conformance suite sets. */
    static final String URL_PROPERTY = "logtide.test.url";
    static final String KEY_PROPERTY = "logtide.test.key";

    private JulConfig() {
    }

    /**
     * Points the placeholders at the server, then reads the file (which resets the previous
     * configuration and closes its handlers).
     */
    static void load(String resource, IngestServer server) throws Exception {
        System.setProperty(URL_PROPERTY, server.url());
        System.setProperty(KEY_PROPERTY, IngestServer.API_KEY);
        try (InputStream in = JulConfig.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            LogManager.getLogManager().readConfiguration(in);
        }
    }

    /** @return the LogTideHandler JUL created for the root logger (creating it now if needed) */
    static LogTideHandler rootHandler() {
        Handler[] handlers = Logger.getLogger("").getHandlers();
        return (LogTideHandler) Arrays.stream(handlers).filter(h -> h instanceof LogTideHandler).findFirst()
                .orElseThrow(() -> new AssertionError("no LogTideHandler on the root logger: " + Arrays.toString(handlers)));
    }

    /** @return the entries accepted so far, after waiting until there are at least {@code count} */
    static List<JsonNode> awaitEntries(IngestServer server, int count) {
        List<JsonNode> entries = server.awaitEntries(count, Duration.ofSeconds(20));
        assertTrue(entries.size() >= count, () -> "expected " + count + " entries, received " + entries);
        return entries;
    }

    /** @return the only entry accepted, after waiting for it */
    static JsonNode awaitSingleEntry(IngestServer server) {
        List<JsonNode> entries = awaitEntries(server, 1);
        assertEquals(1, entries.size(), entries::toString);
        return entries.get(0);
    }

    /** Closes every handler, as the JVM's shutdown does, and clears the test properties. */
    static void reset() {
        LogManager.getLogManager().reset();
        System.clearProperty(URL_PROPERTY);
        System.clearProperty(KEY_PROPERTY);
    }
}
