package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caller cost of one SLF4J call through Logback, LogTide beside its peer (issue 16): {@code noop}
 * is a do-nothing appender called on the logging thread (Logback's own cost), {@code floor}
 * Logback's {@code AsyncAppender} (defaults) in front of it, {@code logtide} the LogTide appender
 * and {@code loki4j} loki4j's appender, both with their defaults and shipping to a healthy local
 * sink in another JVM. The shape of {@link LogbackCaller}: back to back on one thread, so the
 * shipping subjects run under sustained load (LogTide's buffer fills and drops; loki4j's queue
 * grows until its send queue is full, then it drops).
 */
@State(Scope.Benchmark)
public class PeerCaller {
    /** noop, floor, logtide, loki4j. */
    @Param({"noop", "floor", "logtide", "loki4j"})
    public String setup;
    /** plain, or exception (60 frames and a cause, at ERROR). */
    @Param({"plain", "exception"})
    public String payload;

    private Throwable error;
    private SinkProcess sink;
    private LoggerContext context;
    private Logger logger;

    /** Starts the sink the setup needs and configures Logback from the setup's XML file. */
    @Setup
    public void start() throws Exception {
        error = payload.equals("exception") ? Fixtures.exception() : null;
        if (setup.equals("logtide") || setup.equals("loki4j")) {
            sink = SinkProcess.start(0);
            System.setProperty("logtide.bench.url", sink.url());
        }
        context = LogbackSetup.configure("/logback-" + setup + ".xml");
        if (setup.equals("logtide")) {
            LogbackSetup.logtide(context);
        }
        logger = LoggerFactory.getLogger(Fixtures.LOGGER);
    }

    /** The call, or the same at ERROR with the exception as last argument. */
    @Benchmark
    public void log(CallerThread t) {
        t.calls++;
        if (error == null) {
            logger.info(Fixtures.PATTERN, t.id, t.user, t.ms);
        } else {
            logger.error(Fixtures.PATTERN, t.id, t.user, t.ms, error);
        }
    }

    /** Prints what the sink received, so a run shows the state it measured. */
    @TearDown
    public void stop() throws Exception {
        if (setup.equals("logtide")) {
            System.out.println("LogTide metrics: " + LogbackSetup.logtide(context).getClient().getMetrics());
        }
        if (sink != null) {
            System.out.println("sink totals (entries, requests, bytes): " + java.util.Arrays.toString(sink.totals()));
        }
        context.stop();
        if (sink != null) {
            sink.close();
        }
    }
}
