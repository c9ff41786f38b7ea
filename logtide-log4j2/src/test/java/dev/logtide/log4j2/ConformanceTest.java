package dev.logtide.log4j2;

import dev.logtide.LogLevel;
import dev.logtide.conformance.ConformanceEvent;
import dev.logtide.conformance.ConformanceSuite;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.MapMessage;

/** The core's conformance suite through Log4j2's API and conformance-log4j2.xml. */
class ConformanceTest extends ConformanceSuite {
    private LoggerContext ctx;

    @Override
    protected void configure() {
        ctx = Log4j2Configs.start("conformance-log4j2.xml", server);
    }

    @Override
    protected void log(ConformanceEvent event) {
        ThreadContext.putAll(event.context());
        try {
            if (event.fields().isEmpty()) {
                ctx.getLogger(event.logger()).log(toLog4j(event.level()), event.message(), event.throwable());
            } else {
                // Typed fields are MapMessage fields; the text is its "message" field.
                MapMessage<?, Object> message = new MapMessage<>();
                message.with("message", event.message());
                event.fields().forEach(message::with);
                ctx.getLogger(event.logger()).log(toLog4j(event.level()), message, event.throwable());
            }
        } finally {
            ThreadContext.removeAll(event.context().keySet());
        }
    }

    @Override
    protected void shutdown() {
        Log4j2Configs.stop(ctx);
    }

    private static Level toLog4j(LogLevel level) {
        switch (level) {
            case DEBUG: return Level.DEBUG;
            case INFO: return Level.INFO;
            case WARN: return Level.WARN;
            case ERROR: return Level.ERROR;
            default: return Level.FATAL;
        }
    }
}
