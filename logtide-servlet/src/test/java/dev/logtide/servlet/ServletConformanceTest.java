package dev.logtide.servlet;

import dev.logtide.LogLevel;
import dev.logtide.TraceContext;
import dev.logtide.conformance.ConformanceEvent;
import dev.logtide.conformance.ConformanceSuite;
import dev.logtide.http.TraceIds;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;

import static dev.logtide.http.testing.HttpTestSupport.configureLogback;
import static dev.logtide.http.testing.HttpTestSupport.stopLogback;

/**
 * The core's conformance suite for a servlet application's own log lines: each event is logged
 * through SLF4J inside the trace scope the filter opens around a request (MDC {@code trace_id},
 * {@code span_id} and the core's trace context set, then restored), with conformance-servlet.xml
 * as the application's Logback file. When the suite sets the thread's trace context itself, the
 * event is logged without a request scope, so that context is what the entry must carry. The
 * suite's events carry a throwable made by the test and the calling thread's name, which an HTTP
 * request cannot carry, so the filter's own entries are checked against the server's rules in
 * {@link TomcatFilterTest} instead.
 */
class ServletConformanceTest extends ConformanceSuite {
    @Override
    protected void configure() throws Exception {
        configureLogback("conformance-servlet.xml", server);
    }

    @Override
    protected void log(ConformanceEvent event) {
        TraceIds.Scope request = TraceContext.getTraceId() == null
                ? TraceIds.of("a-request-trace", "0123456789abcdef").open() : null;
        event.context().forEach(MDC::put);
        try {
            LoggingEventBuilder b = LoggerFactory.getLogger(event.logger()).atLevel(slf4j(event.level()))
                    .setCause(event.throwable());
            if (event.level() == LogLevel.CRITICAL) {
                b = b.addMarker(MarkerFactory.getMarker("FATAL"));
            }
            for (Map.Entry<String, Object> field : event.fields().entrySet()) {
                b = b.addKeyValue(field.getKey(), field.getValue());
            }
            b.log(event.message());
        } finally {
            event.context().keySet().forEach(MDC::remove);
            if (request != null) {
                request.close();
            }
        }
    }

    /** SLF4J's levels have the core's names, but for CRITICAL, which is ERROR with a FATAL marker. */
    private static Level slf4j(LogLevel level) {
        return Level.valueOf(level == LogLevel.CRITICAL ? "ERROR" : level.name());
    }

    @Override
    protected void shutdown() {
        stopLogback();
    }
}
