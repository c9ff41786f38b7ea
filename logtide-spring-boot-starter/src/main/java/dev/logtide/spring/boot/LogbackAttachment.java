package dev.logtide.spring.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
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
        ResetResistant attached = new ResetResistant(appender);
        attached.setContext(context);
        attached.setName(APPENDER_NAME);
        attached.start();
        context.addListener(attached);
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(attached);
        return appender.getClient();
    }

    @Override
    public void detach() {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> previous = root.getAppender(APPENDER_NAME);
        if (previous instanceof ResetResistant) {
            context.removeListener((ResetResistant) previous);
            ((ResetResistant) previous).close();
        } else if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
    }

    /**
     * What the starter puts on the root logger: the LogTide appender behind a stand-in that a
     * reset does not close. Logback resets its context before it loads a changed file again
     * ({@code scan="true"}) and then builds only what the file declares; the LogTide appender,
     * and with it the client the application context holds for request logging, metrics and
     * health, would be stopped and never come back. Here the reset detaches and stops only the
     * stand-in, which adds itself to the root logger again as the reset ends; the LogTide appender
     * stops (flushing its entries) when the context stops, as Spring Boot does at shutdown.
     */
    private static final class ResetResistant extends UnsynchronizedAppenderBase<ILoggingEvent>
            implements LoggerContextListener {
        private final LogTideAppender appender;

        ResetResistant(LogTideAppender appender) {
            this.appender = appender;
        }

        @Override
        protected void append(ILoggingEvent event) {
            appender.doAppend(event);
        }

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
            // nothing to do: the appender runs from attach() on
        }

        /** Called at the end of every reset, also the one that {@code LoggerContext.stop()} begins with. */
        @Override
        public void onReset(LoggerContext context) {
            start();
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this);
        }

        /** The context stops (Spring Boot's shutdown, a DevTools restart): now the appender stops too. */
        @Override
        public void onStop(LoggerContext context) {
            close();
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
            // levels are Logback's business
        }

        /** Takes this off the root logger and stops the appender, which flushes and closes its client. */
        void close() {
            ((LoggerContext) getContext()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
            stop();
            appender.stop();
        }
    }
}
