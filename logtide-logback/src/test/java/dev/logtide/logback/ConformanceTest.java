package dev.logtide.logback;

import dev.logtide.LogLevel;
import dev.logtide.conformance.ConformanceEvent;
import dev.logtide.conformance.ConformanceSuite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;

/** The core's conformance suite through conformance-logback.xml and the SLF4J API. */
class ConformanceTest extends ConformanceSuite {
    private static final Marker FATAL = MarkerFactory.getMarker("FATAL");

    @Override
    protected void configure() throws Exception {
        LogbackTestSupport.configure("conformance-logback.xml", System.getProperty("logtide.test.url"));
    }

    @Override
    protected void log(ConformanceEvent event) {
        Logger logger = LoggerFactory.getLogger(event.logger());
        event.context().forEach(MDC::put);
        try {
            if (!event.fields().isEmpty()) {
                // Typed fields are SLF4J 2 key-value pairs: the fluent API.
                LoggingEventBuilder builder = logger.atLevel(toSlf4j(event.level())).setCause(event.throwable());
                if (event.level() == LogLevel.CRITICAL) {
                    builder = builder.addMarker(FATAL);
                }
                for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                    builder = builder.addKeyValue(field.getKey(), field.getValue());
                }
                builder.log(event.message());
                return;
            }
            LogLevel level = event.level();
            switch (level) {
                case DEBUG:
                    logger.debug(event.message(), event.throwable());
                    break;
                case INFO:
                    logger.info(event.message(), event.throwable());
                    break;
                case WARN:
                    logger.warn(event.message(), event.throwable());
                    break;
                case ERROR:
                    logger.error(event.message(), event.throwable());
                    break;
                default:
                    logger.error(FATAL, event.message(), event.throwable());
                    break;
            }
        } finally {
            event.context().keySet().forEach(MDC::remove);
        }
    }

    private static Level toSlf4j(LogLevel level) {
        switch (level) {
            case DEBUG: return Level.DEBUG;
            case INFO: return Level.INFO;
            case WARN: return Level.WARN;
            default: return Level.ERROR;
        }
    }

    @Override
    protected void shutdown() {
        LogbackTestSupport.context().stop();
    }
}
