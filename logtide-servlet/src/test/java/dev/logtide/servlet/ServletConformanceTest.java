package dev.logtide.servlet;

import dev.logtide.conformance.ConformanceEvent;
import dev.logtide.conformance.ConformanceSuite;
import dev.logtide.http.TraceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import static dev.logtide.http.testing.HttpTestSupport.configureLogback;
import static dev.logtide.http.testing.HttpTestSupport.stopLogback;

/**
 * The core's conformance suite for a servlet application's own log lines: each event is logged
 * through SLF4J inside the trace scope the filter opens around a request (MDC {@code trace_id},
 * {@code span_id} and the core's trace context set), with conformance-servlet.xml as the
 * application's Logback file. The suite's events carry a level, a throwable made by the test and
 * the calling thread's name, which an HTTP request cannot carry, so the filter's own entries are
 * checked against the server's rules in {@link TomcatFilterTest} instead.
 */
class ServletConformanceTest extends ConformanceSuite {
    private static final Marker FATAL = MarkerFactory.getMarker("FATAL");

    @Override
    protected void configure() throws Exception {
        configureLogback("conformance-servlet.xml", server);
    }

    @Override
    protected void log(ConformanceEvent event) {
        Logger logger = LoggerFactory.getLogger(event.logger());
        try (TraceIds.Scope ignored = TraceIds.of("a-request-trace", "0123456789abcdef").open()) {
            event.context().forEach(MDC::put);
            switch (event.level()) {
                case DEBUG -> logger.debug(event.message(), event.throwable());
                case INFO -> logger.info(event.message(), event.throwable());
                case WARN -> logger.warn(event.message(), event.throwable());
                case ERROR -> logger.error(event.message(), event.throwable());
                default -> logger.error(FATAL, event.message(), event.throwable());
            }
            event.context().keySet().forEach(MDC::remove);
        }
    }

    @Override
    protected void shutdown() {
        stopLogback();
    }
}
