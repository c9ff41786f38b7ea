package dev.logtide.benchmarks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program that logs 2,000 events to a sink that is down ({@code refused}) or answers after
 * 2 s ({@code slow}) and returns from {@code main} without stopping Logback: only LogTide's
 * shutdown hook stands between it and exiting. The parent ({@link RunAll}) times how long the
 * JVM lives after the {@code MAIN_RETURNS} line. {@code baseline} returns at once without
 * LogTide: the time any JVM takes to exit, as measured the same way.
 */
public final class ExitAfterMain {
    private ExitAfterMain() {
    }

    /**
     * @param args {@code refused}, {@code slow URL} (the slow sink's URL) or {@code baseline}
     * @throws Exception on setup failure
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("baseline")) {
            System.out.println("MAIN_RETURNS");
            System.out.flush();
            return;
        }
        // The slow sink runs in the parent: a child process of this JVM would keep its "process
        // reaper" thread in native code, and HotSpot's exit waits about 300 ms for such threads.
        String url = args[0].equals("slow") ? args[1] : SinkProcess.refusingUrl();
        System.setProperty("logtide.bench.url", url);
        LogbackSetup.logtide(LogbackSetup.configure("/logback-logtide.xml"));
        Logger logger = LoggerFactory.getLogger(Fixtures.LOGGER);
        for (int i = 0; i < 2000; i++) {
            logger.info(Fixtures.PATTERN, i, "alice@example.com", i % 1000);
        }
        Thread.sleep(300); // let the sender start a request, so close meets one in flight
        System.out.println("MAIN_RETURNS");
        System.out.flush();
    }
}
