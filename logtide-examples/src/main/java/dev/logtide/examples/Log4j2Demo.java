package dev.logtide.examples;

import dev.logtide.log4j2.LogTideAppender;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;

/**
 * Log4j2, configured by {@code log4j2.xml} (the {@code <LogTide>} plugin is found without a
 * {@code packages} attribute); the trace id rides in the ThreadContext, typed fields in a
 * {@code MapMessage}.
 */
final class Log4j2Demo extends ClientBackedDemo {
    private LoggerContext context;

    @Override
    public String name() {
        return "Log4j2";
    }

    @Override
    public String service() {
        return "demo-log4j2";
    }

    @Override
    public void start() {
        // The first call loads log4j2.xml from the class path, as in any application.
        context = (LoggerContext) LogManager.getContext(false);
        Appender found = context.getConfiguration().getAppender("LOGTIDE");
        if (!(found instanceof LogTideAppender) || ((LogTideAppender) found).getClient() == null) {
            throw new IllegalStateException("the LOGTIDE appender in log4j2.xml is not running; "
                    + "Log4j2's StatusLogger said why (above)");
        }
        client = ((LogTideAppender) found).getClient();
    }

    @Override
    public void logStory(String traceId) {
        Logger log = LogManager.getLogger(Demo.STORY_LOGGER);
        ThreadContext.put("trace_id", traceId);
        try {
            log.info("Order {} placed", Demo.ORDER_ID);
            // Typed fields ride in a MapMessage (the ThreadContext holds only strings); its
            // "message" field is the entry's text.
            log.warn(new MapMessage<>().with("message", "Payment provider slow")
                    .with("orderId", Demo.ORDER_ID).with("latencyMs", 870));
            try {
                Checkout.charge(Demo.ORDER_ID);
            } catch (IllegalStateException e) {
                log.error("Checkout failed", e);
            }
        } finally {
            ThreadContext.remove("trace_id");
        }
    }

    @Override
    public void logBurst(int count) {
        Logger log = LogManager.getLogger(Demo.BURST_LOGGER);
        for (int i = 1; i <= count; i++) {
            log.info("Burst event {} of {}", i, count);
        }
    }

    @Override
    public void stop() {
        if (context != null) {
            LogManager.shutdown(context); // stops the appender: flush within closeTimeoutMs, then close
        }
    }
}
