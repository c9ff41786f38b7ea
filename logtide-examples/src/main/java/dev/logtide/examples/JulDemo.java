package dev.logtide.examples;

import dev.logtide.jul.LogTideHandler;
import dev.logtide.jul.LogTideMdc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * java.util.logging, configured by {@code logging.properties}. JUL has no MDC of its own: the
 * trace id and the key-values ride in {@link LogTideMdc}, the adapter's per-thread context.
 */
final class JulDemo extends ClientBackedDemo {
    /** Held so the configured level is not lost when JUL's weakly referenced logger is collected. */
    private Logger storyLogger;

    @Override
    public String name() {
        return "JUL";
    }

    @Override
    public String service() {
        return "demo-jul";
    }

    @Override
    public void start() {
        // An application would pass -Djava.util.logging.config.file=...; the demo reads the
        // same file from its class path with the same LogManager call.
        try (InputStream config = JulDemo.class.getResourceAsStream("/logging.properties")) {
            if (config == null) {
                throw new IllegalStateException("logging.properties is not on the class path");
            }
            LogManager.getLogManager().readConfiguration(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler instanceof LogTideHandler && ((LogTideHandler) handler).getClient() != null) {
                client = ((LogTideHandler) handler).getClient();
            }
        }
        if (client == null) {
            throw new IllegalStateException("the LogTideHandler in logging.properties is not running; "
                    + "its ErrorManager said why (above)");
        }
        storyLogger = Logger.getLogger(Demo.STORY_LOGGER);
    }

    @Override
    public void logStory(String traceId) {
        try (LogTideMdc.Scope trace = LogTideMdc.with("trace_id", traceId)) {
            storyLogger.log(Level.INFO, "Order {0} placed", Demo.ORDER_ID);
            try (LogTideMdc.Scope order = LogTideMdc.with("orderId", Demo.ORDER_ID);
                 LogTideMdc.Scope latency = LogTideMdc.with("latencyMs", 870)) { // a number, as in the other two
                storyLogger.warning("Payment provider slow");
            }
            try {
                Checkout.charge(Demo.ORDER_ID);
            } catch (IllegalStateException e) {
                storyLogger.log(Level.SEVERE, "Checkout failed", e);
            }
        }
    }

    @Override
    public void logBurst(int count) {
        Logger log = Logger.getLogger(Demo.BURST_LOGGER);
        for (int i = 1; i <= count; i++) {
            log.log(Level.INFO, "Burst event {0} of {1}", new Object[] {i, count});
        }
    }

    @Override
    public void stop() {
        LogManager.getLogManager().reset(); // closes the handler: flush within closeTimeoutMs, then close
    }
}
