package dev.logtide.spring.boot;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.log4j2.LogTideAppender;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/** {@link LoggingAttachment} for Log4j2. */
final class Log4j2Attachment implements LoggingAttachment {
    private final LoggerContext context;

    private Log4j2Attachment(LoggerContext context) {
        this.context = context;
    }

    /** @return the attachment to the Log4j2 context the application logs to, or {@code null} when Log4j2 is not its backend */
    static Log4j2Attachment active() {
        org.apache.logging.log4j.spi.LoggerContext context = LogManager.getContext(false);
        return context instanceof LoggerContext ? new Log4j2Attachment((LoggerContext) context) : null;
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
        for (Appender appender : context.getConfiguration().getAppenders().values()) {
            if (appender instanceof LogTideAppender && !APPENDER_NAME.equals(appender.getName())) {
                return (LogTideAppender) appender;
            }
        }
        return null;
    }

    @Override
    public LogTideClient attach(ClientOptions options) {
        detach();
        LogTideAppender appender = LogTideAppender.newBuilder().setName(APPENDER_NAME).setOptions(options).build();
        if (appender == null) {
            return null;
        }
        appender.start();
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(appender);
        configuration.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
        return appender.getClient();
    }

    @Override
    public void detach() {
        Configuration configuration = context.getConfiguration();
        Appender previous = configuration.getAppenders().get(APPENDER_NAME);
        if (previous != null) {
            for (LoggerConfig logger : configuration.getLoggers().values()) {
                logger.removeAppender(APPENDER_NAME);
            }
            configuration.getRootLogger().removeAppender(APPENDER_NAME);
            context.updateLoggers();
            previous.stop();
        }
    }
}
