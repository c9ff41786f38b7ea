package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter;
import dev.logtide.logback.LogTideAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the benchmark's Logback XML files with Logback's own configurator. */
final class LogbackSetup {
    private LogbackSetup() {
    }

    /**
     * @param resource {@code /logback-floor.xml} or {@code /logback-logtide.xml}; the latter reads
     *                 the system properties {@code logtide.bench.*}
     * @return the configured context
     * @throws JoranException on a broken file
     */
    static LoggerContext configure(String resource) throws JoranException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogbackSetup.class.getResource(resource));
        StatusPrinter.printInCaseOfErrorsOrWarnings(context);
        return context;
    }

    /**
     * @param context a context configured from {@code /logback-logtide.xml}
     * @return its started LogTide appender
     * @throws IllegalStateException when it did not start
     */
    static LogTideAppender logtide(LoggerContext context) {
        LogTideAppender a = (LogTideAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("LOGTIDE");
        if (a == null || a.getClient() == null) {
            throw new IllegalStateException("the LogTide appender did not start; see the Logback status above");
        }
        return a;
    }
}
