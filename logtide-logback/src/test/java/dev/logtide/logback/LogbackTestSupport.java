package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import dev.logtide.testing.IngestServer;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Loads test configuration files into the application's real Logback context. */
final class LogbackTestSupport {
    private LogbackTestSupport() {
    }

    /** @return the context SLF4J logs into (the one applications use) */
    static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /**
     * Resets the context (stopping every appender) and loads a configuration file from the test
     * resources with Logback's own JoranConfigurator, pointing LogTide appenders at {@code url}.
     */
    static LoggerContext configure(String resource, String url) throws JoranException {
        System.setProperty("logtide.test.url", url);
        System.setProperty("logtide.test.key", IngestServer.API_KEY);
        LoggerContext ctx = context();
        ctx.reset();
        startIfStopped(ctx);
        ctx.getStatusManager().clear();
        URL config = Objects.requireNonNull(LogbackTestSupport.class.getResource("/" + resource), resource);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(config);
        return ctx;
    }

    /** Stops every appender, as an application's shutdown or reconfiguration does. */
    static void reset() {
        LoggerContext ctx = context();
        ctx.reset();
        startIfStopped(ctx);
        System.clearProperty("logtide.test.url");
        System.clearProperty("logtide.test.key");
    }

    /** A test may stop the context, as an application's shutdown does; later tests need it running. */
    private static void startIfStopped(LoggerContext ctx) {
        if (!ctx.isStarted()) {
            ctx.start();
        }
    }

    static LogTideAppender appender(LoggerContext ctx, String name) {
        Appender<ILoggingEvent> appender = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(name);
        assertNotNull(appender, "no appender " + name + " on the root logger");
        return (LogTideAppender) appender;
    }

    @SuppressWarnings("unchecked")
    static List<ILoggingEvent> listed(LoggerContext ctx) {
        return ((ListAppender<ILoggingEvent>) ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("LIST")).list;
    }

    /** Flushes a running LogTide appender and waits for the send to finish. */
    static void flush(LoggerContext ctx, String name) {
        LogTideAppender appender = appender(ctx, name);
        assertNotNull(appender.getClient(), name + " is not started: " + statuses(ctx, Status.WARN));
        appender.getClient().flush();
    }

    /** @return the context's statuses at or above {@code level}, as text */
    static List<String> statuses(LoggerContext ctx, int level) {
        return ctx.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() >= level)
                .map(s -> s.getMessage() + (s.getThrowable() == null ? "" : " / " + s.getThrowable()))
                .collect(Collectors.toList());
    }
}
