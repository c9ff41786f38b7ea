package dev.logtide.spring.boot;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.log4j2.LogTideAppender;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.NullConfiguration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.spi.LoggerContextShutdownAware;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        Keeper keeper = new Keeper(context, appender);
        keeper.addTo(context.getConfiguration());
        context.addPropertyChangeListener(keeper);
        context.addShutdownListener(keeper);
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
            if (previous instanceof Stand) {
                ((Stand) previous).keeper.close();
            }
        }
    }

    /**
     * Keeps the starter's LogTide appender through reconfigurations. Log4j2 replaces the whole
     * configuration when it loads a changed file ({@code monitorInterval}) or is reconfigured, and
     * stops the old one with every appender in it; the LogTide appender, and with it the client the
     * application context holds for request logging, metrics and health, would be stopped and never
     * come back. So each configuration gets a {@link Stand} that passes events to the one LogTide
     * appender, which stops (flushing its entries) only when the context stops, as Spring Boot does
     * at shutdown. Log4j2 announces a new configuration only after it has taken over, so what is
     * logged in between reaches the new file's appenders but not LogTide.
     */
    private static final class Keeper implements PropertyChangeListener, LoggerContextShutdownAware {
        private final LoggerContext context;
        private final LogTideAppender appender;
        private volatile boolean closed;

        Keeper(LoggerContext context, LogTideAppender appender) {
            this.context = context;
            this.appender = appender;
        }

        void addTo(Configuration configuration) {
            Stand stand = new Stand(this);
            stand.start();
            configuration.addAppender(stand);
            configuration.getRootLogger().addAppender(stand, null, null);
            context.updateLoggers();
        }

        /** A new configuration is in place (the old one is already stopped): give it a stand. */
        @Override
        public void propertyChange(PropertyChangeEvent event) {
            if (!closed && LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
                    && event.getNewValue() instanceof Configuration && !(event.getNewValue() instanceof NullConfiguration)
                    && ((Configuration) event.getNewValue()).getAppenders().get(APPENDER_NAME) == null) {
                addTo((Configuration) event.getNewValue());
            }
        }

        @Override
        public void contextShutdown(org.apache.logging.log4j.spi.LoggerContext stopped) {
            close();
        }

        /** Stops the LogTide appender, which flushes within closeTimeoutMs and closes its client. */
        void close() {
            if (closed) {
                return;
            }
            closed = true;
            context.removePropertyChangeListener(this);
            List<LoggerContextShutdownAware> listeners = context.getListeners();
            if (listeners != null) {
                listeners.remove(this); // a copy-on-write list: safe while Log4j2 walks it
            }
            appender.stop(0, TimeUnit.MILLISECONDS);
        }
    }

    /** What one configuration holds of the starter's appender: a stand-in that a reconfiguration may stop. */
    private static final class Stand extends AbstractAppender {
        private final Keeper keeper;

        Stand(Keeper keeper) {
            super(APPENDER_NAME, null, null, true, Property.EMPTY_ARRAY);
            this.keeper = keeper;
        }

        @Override
        public void append(LogEvent event) {
            keeper.appender.append(event);
        }
    }
}
