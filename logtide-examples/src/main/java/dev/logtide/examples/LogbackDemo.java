package dev.logtide.examples;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.status.Status;
import dev.logtide.logback.LogTideAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.stream.Collectors;

/** Logback through SLF4J, configured by {@code logback.xml}; the trace id rides in the MDC. */
final class LogbackDemo extends ClientBackedDemo {
    private LoggerContext context;

    @Override
    public String name() {
        return "Logback";
    }

    @Override
    public String service() {
        return "demo-logback";
    }

    @Override
    public void start() {
        // The first call loads logback.xml from the class path, as in any application.
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext)) {
            throw new IllegalStateException("SLF4J is not bound to Logback but to " + factory.getClass().getName());
        }
        context = (LoggerContext) factory;
        Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("LOGTIDE");
        if (!(appender instanceof LogTideAppender) || ((LogTideAppender) appender).getClient() == null) {
            throw new IllegalStateException("the LOGTIDE appender in logback.xml is not running: " + statusErrors());
        }
        client = ((LogTideAppender) appender).getClient();
    }

    @Override
    public void logStory(String traceId) {
        Logger log = LoggerFactory.getLogger(Demo.STORY_LOGGER);
        MDC.put("trace_id", traceId);
        try {
            log.info("Order {} placed", Demo.ORDER_ID);
            log.atWarn().addKeyValue("orderId", Demo.ORDER_ID).addKeyValue("latencyMs", 870)
                    .log("Payment provider slow");
            try {
                Checkout.charge(Demo.ORDER_ID);
            } catch (IllegalStateException e) {
                log.error("Checkout failed", e);
            }
        } finally {
            MDC.remove("trace_id");
        }
    }

    @Override
    public void logBurst(int count) {
        Logger log = LoggerFactory.getLogger(Demo.BURST_LOGGER);
        for (int i = 1; i <= count; i++) {
            log.info("Burst event {} of {}", i, count);
        }
    }

    @Override
    public void stop() {
        if (context != null) {
            context.stop(); // stops the appender: flush within closeTimeoutMs, then the sender thread ends
        }
    }

    private String statusErrors() {
        String errors = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.ERROR)
                .map(Status::getMessage)
                .collect(Collectors.joining("; "));
        return errors.isEmpty() ? "no LogTideAppender named LOGTIDE on the root logger" : errors;
    }
}
