package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caller cost of one SLF4J call through Logback: the floor is Logback's {@code AsyncAppender}
 * (defaults) in front of a do-nothing appender; {@code logtide} is the LogTide appender (defaults)
 * shipping to a healthy local sink in another JVM, {@code logtideDown} the same with the sink
 * refusing connections (retries, then the breaker opens and the full buffer drops entries).
 * JMH runs the call back to back, so the LogTide runs are sustained load: the buffer fills and
 * entries are dropped, which is the state the targets must hold in.
 */
public class LogbackCaller extends FrameworkCaller {
    private LoggerContext context;
    private Logger logger;

    /** Configures Logback from the real XML file for the setup. */
    @Setup
    public void start() throws Exception {
        boolean floor = prepare();
        context = LogbackSetup.configure(floor ? "/logback-floor.xml" : "/logback-logtide.xml");
        if (!floor) {
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

    /** Prints the client's counters (sent, dropped) so a run shows the state it measured. */
    @TearDown
    public void stop() throws Exception {
        if (!setup.equals("floor")) {
            System.out.println("LogTide metrics: " + LogbackSetup.logtide(context).getClient().getMetrics());
        }
        context.stop();
        stopSink();
    }
}
