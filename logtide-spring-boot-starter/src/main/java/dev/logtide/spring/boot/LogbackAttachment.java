package dev.logtide.spring.boot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.logback.LogTideAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/** {@link LoggingAttachment} for Logback. */
final class LogbackAttachment implements LoggingAttachment {
    private final LoggerContext context;

    private LogbackAttachment(LoggerContext context) {
        this.context = context;
    }

    /** @return the attachment to the Logback context SLF4J logs to, or {@code null} when Logback is not its backend */
    static LogbackAttachment active() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext ? new LogbackAttachment((LoggerContext) factory) : null;
    }

    @Override
    public boolean configuredByApplication() {
        return applicationAppender() != null;
    }

    @Override
    public LogTideClient applicationClient() {
        LogTideAppender appender = applicationAppender();
        return appender == null ? null : appender.getClient();
    }

    private LogTideAppender applicationAppender() {
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> appender = it.next();
                if (appender instanceof LogTideAppender && !APPENDER_NAME.equals(appender.getName())) {
                    return (LogTideAppender) appender;
                }
            }
        }
        return null;
    }

    @Override
    public LogTideClient attach(ClientOptions options) {
        detach();
        LogTideAppender appender = new LogTideAppender();
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.setOptions(options);
        appender.start();
        if (!appender.isStarted()) {
            return null;
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender.getClient();
    }

    @Override
    public void detach() {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> previous = root.getAppender(APPENDER_NAME);
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
    }
}
