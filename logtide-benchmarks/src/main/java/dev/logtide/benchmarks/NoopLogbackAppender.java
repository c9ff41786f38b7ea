package dev.logtide.benchmarks;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/** The do-nothing appender behind the floor's {@code AsyncAppender}. */
public final class NoopLogbackAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
        // intentionally empty: the floor measures Logback's own cost
    }
}
