package dev.logtide.benchmarks;

import dev.logtide.log4j2.LogTideAppender;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Caller cost of one Log4j2 call: the floor is Log4j2's {@code <Async>} appender (defaults) in
 * front of the built-in {@code <Null>} appender; {@code logtide} and {@code logtideDown} are the
 * {@code <LogTide>} plugin with a healthy sink and with a refusing one, as for Logback.
 */
public class Log4j2Caller extends FrameworkCaller {
    private LoggerContext context;
    private Logger logger;

    /** Configures Log4j2 from the real XML file for the setup. */
    @Setup
    public void start() throws Exception {
        boolean floor = prepare();
        String file = floor ? "/log4j2-floor.xml" : "/log4j2-logtide.xml";
        context = Configurator.initialize("bench", null, Log4j2Caller.class.getResource(file).toURI());
        String expected = floor ? "ASYNC" : "LOGTIDE";
        if (context.getConfiguration().getAppender(expected) == null) {
            throw new IllegalStateException("Log4j2 did not create the " + expected + " appender");
        }
        logger = context.getLogger(Fixtures.LOGGER);
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

    /** Prints the client's counters, then stops Log4j2 and the sink. */
    @TearDown
    public void stop() throws Exception {
        if (!setup.equals("floor")) {
            LogTideAppender appender = context.getConfiguration().getAppender("LOGTIDE");
            System.out.println("LogTide metrics: " + appender.getMetrics());
        }
        Configurator.shutdown(context);
        stopSink();
    }
}
