package dev.logtide.jul;

import java.io.InputStream;
import java.util.Arrays;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertNotNull;

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
        System.setProperty(KEY_PROPERTY, "lp_jul_test_key");
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

    /** Closes every handler, as the JVM's shutdown does, and clears the test properties. */
    static void reset() {
        LogManager.getLogManager().reset();
        System.clearProperty(URL_PROPERTY);
        System.clearProperty(KEY_PROPERTY);
    }
}
