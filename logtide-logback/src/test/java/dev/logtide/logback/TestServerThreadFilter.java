package dev.logtide.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the test's own HTTP server out of LogTide: MockWebServer runs in the test JVM and logs
 * through OkHttp's JUL loggers on its threads; in production the server is another process.
 */
public class TestServerThreadFilter extends Filter<ILoggingEvent> {
    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getThreadName().startsWith("MockWebServer") ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
