package dev.logtide.benchmarks;

import dev.logtide.jul.LogTideHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Caller cost of one {@code java.util.logging} call. JUL has no asynchronous handler, so the
 * floor is a do-nothing handler; {@code floorFormat} is a do-nothing handler that at least
 * formats the message (what any handler that sends text must do), to separate JUL's own
 * formatting cost from LogTide's. {@code logtide} is the LogTide handler with its defaults
 * (which include {@code includeSource=true}: JUL infers the caller by walking the stack),
 * {@code logtideNoSource} the same with {@code includeSource=false}, {@code logtideDown} the
 * defaults with a refusing sink.
 */
@State(Scope.Benchmark)
public class JulCaller {
    /** floor, floorFormat, logtide, logtideNoSource, logtideDown. */
    @Param({"floor", "floorFormat", "logtide", "logtideNoSource", "logtideDown"})
    public String setup;
    /** plain, or exception (60 frames and a cause, at SEVERE). */
    @Param({"plain", "exception"})
    public String payload;

    private SinkProcess sink;
    private Logger logger;
    private Handler handler;
    private Throwable error;

    /** Installs the handler on a logger that does not reach the root handlers. */
    @Setup
    public void start() throws Exception {
        if (setup.startsWith("logtide")) {
            String url = setup.equals("logtideDown") ? SinkProcess.refusingUrl() : (sink = SinkProcess.start(0)).url();
            handler = LogTideHandler.builder()
                    .option("apiUrl", url)
                    .option("apiKey", Fixtures.API_KEY)
                    .service("bench")
                    .includeSource(!setup.equals("logtideNoSource"))
                    .build();
        } else {
            handler = setup.equals("floorFormat") ? new FormattingNoopHandler() : new NoopHandler();
        }
        logger = Logger.getLogger(Fixtures.LOGGER);
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.INFO);
        for (Handler h : logger.getHandlers()) {
            logger.removeHandler(h);
        }
        logger.addHandler(handler);
        error = payload.equals("exception") ? Fixtures.exception() : null;
    }

    /** The call in JUL's form, or a SEVERE record with the exception. */
    @Benchmark
    public void log(CallerThread t) {
        t.calls++;
        if (error == null) {
            logger.log(Level.INFO, Fixtures.JUL_PATTERN, t.params);
        } else {
            // JUL has no call that takes both parameters and a throwable: build the record.
            LogRecord r = new LogRecord(Level.SEVERE, Fixtures.JUL_PATTERN);
            r.setParameters(t.params);
            r.setThrown(error);
            r.setLoggerName(Fixtures.LOGGER);
            logger.log(r);
        }
    }

    /** Prints the client's counters, then closes the handler and the sink. */
    @TearDown
    public void stop() throws Exception {
        if (handler instanceof LogTideHandler) {
            System.out.println("LogTide metrics: " + ((LogTideHandler) handler).getClient().getMetrics());
        }
        logger.removeHandler(handler);
        handler.close();
        if (sink != null) {
            sink.close();
        }
    }

    /** The floor: JUL's own cost (level check, record creation) and nothing else. */
    static final class NoopHandler extends Handler {
        @Override
        public void publish(LogRecord record) {
            // intentionally empty
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** The floor plus the message formatting any handler that sends text has to do. */
    static final class FormattingNoopHandler extends Handler {
        private final Formatter formatter = new Formatter() {
            @Override
            public String format(LogRecord record) {
                return formatMessage(record);
            }
        };
        /** Kept so the formatting is not optimised away. */
        volatile String last;

        @Override
        public void publish(LogRecord record) {
            last = formatter.format(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
