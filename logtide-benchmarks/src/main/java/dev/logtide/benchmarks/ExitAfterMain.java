package dev.logtide.benchmarks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program that logs 2,000 events (or as many as asked) and returns from {@code main} without stopping Logback: only
 * the logging library's own shutdown handling (LogTide's shutdown hook) stands between it and
 * exiting. The parent ({@link RunAll}) times how long the JVM lives after the
 * {@code MAIN_RETURNS} line and, when it runs the sink, counts what arrived.
 *
 * <p>Arguments: {@code baseline} returns at once without any logging library: the time any JVM
 * takes to exit, as measured the same way. Otherwise the subject, {@code logtide} or
 * {@code loki4j} (issue 16's peer, posting to the sink's Loki route), and the server:
 * {@code refused} (nothing listens) or the base URL of a sink the parent runs (healthy, or
 * answering after 2 s); optionally the number of events. A count that is not a multiple of the
 * batch size leaves a partial batch waiting at exit, as most programs do.
 */
public final class ExitAfterMain {
    /** Events logged before {@code main} returns, unless the arguments say otherwise. */
    static final int EVENTS = 2000;

    private ExitAfterMain() {
    }

    /**
     * @param args {@code baseline}, or the subject, {@code refused} or a sink's URL, and optionally
     *             the number of events
     * @throws Exception on setup failure
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("baseline")) {
            System.out.println("MAIN_RETURNS");
            System.out.flush();
            return;
        }
        // A sink runs in the parent: a child process of this JVM would keep its "process reaper"
        // thread in native code, and HotSpot's exit waits about 300 ms for such threads.
        String url = args[1].equals("refused") ? SinkProcess.refusingUrl() : args[1];
        System.setProperty("logtide.bench.url", url);
        if (args[0].equals("loki4j")) {
            LogbackSetup.configure("/logback-loki4j.xml");
        } else {
            LogbackSetup.logtide(LogbackSetup.configure("/logback-logtide.xml"));
        }
        int events = args.length > 2 ? Integer.parseInt(args[2]) : EVENTS;
        Logger logger = LoggerFactory.getLogger(Fixtures.LOGGER);
        for (int i = 0; i < events; i++) {
            logger.info(Fixtures.PATTERN, i, "alice@example.com", i % 1000);
        }
        Thread.sleep(300); // let the sender start a request, so close meets one in flight
        System.out.println("MAIN_RETURNS");
        System.out.flush();
    }
}
