package dev.logtide.log4j2;

import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.jul.Log4jBridgeHandler;

import java.util.concurrent.TimeUnit;

/**
 * The application a child JVM runs: configures Log4j2 from a file, bridges java.util.logging (and
 * so OkHttp's logging) into it, logs numbered events and returns from main without stopping
 * Log4j2, as most applications do. Halfway it waits until the first half is delivered, so OkHttp
 * logs while everything is running and the feedback guard has something to stop.
 */
public final class ChildMain {
    /** Held strongly: JUL keeps loggers weakly, and a collected logger forgets its level. */
    private static final java.util.logging.Logger OKHTTP_JUL = java.util.logging.Logger.getLogger("okhttp3");

    private ChildMain() {
    }

    /** @param args the configuration resource and the number of events */
    public static void main(String[] args) throws Exception {
        LoggerContext ctx = Configurator.initialize("child", ChildMain.class.getClassLoader(),
                ChildMain.class.getClassLoader().getResource(args[0]).toURI());
        Log4jBridgeHandler.install(true, null, false);
        OKHTTP_JUL.setLevel(java.util.logging.Level.FINEST); // what an application's logging.properties would do
        System.out.println("context=" + ctx.getClass().getName());
        LogTideAppender appender = ctx.getConfiguration().getAppender("LOGTIDE");
        Logger log = ctx.getLogger("child");
        int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            ThreadContext.put("i", String.valueOf(i));
            log.info("child event {}", i);
            if (i == count / 2) {
                awaitSent(appender, i + 1);
            }
        }
        ThreadContext.clearAll();
    }

    /** Flushes until the events logged so far (which may still be in an async queue) are sent. */
    private static void awaitSent(LogTideAppender appender, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (appender.getMetrics().logsSent() < sent && System.nanoTime() < deadline) {
            appender.flush(5, TimeUnit.SECONDS);
            Thread.sleep(10);
        }
        System.out.println("sent before exit=" + appender.getMetrics().logsSent());
    }
}
