package dev.logtide.jul;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** Remembers the logger and thread of every record JUL dispatches, beside the LogTide handler. */
public class RecordingHandler extends Handler {
    /** Logger name and thread name of each record seen, as "logger @ thread". */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
        SEEN.add(record.getLoggerName() + " @ " + Thread.currentThread().getName());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
