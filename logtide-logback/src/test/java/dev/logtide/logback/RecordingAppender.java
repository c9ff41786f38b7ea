package dev.logtide.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records "logger @ thread: message" for every event, reading the thread name on the logging
 * thread (Logback computes it lazily, so reading it later would give the reader's name).
 */
public class RecordingAppender extends AppenderBase<ILoggingEvent> {
    /** One recorded event. */
    static final class Seen {
        final String logger;
        final String thread;
        final String message;

        Seen(String logger, String thread, String message) {
            this.logger = logger;
            this.thread = thread;
            this.message = message;
        }

        @Override
        public String toString() {
            return logger + " @ " + thread + ": " + message;
        }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        seen.add(new Seen(event.getLoggerName(), event.getThreadName(), event.getFormattedMessage()));
    }
}
