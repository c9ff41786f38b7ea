package dev.logtide;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * When the client's own JVM shutdown hook may close it. JVM shutdown hooks run at the same time,
 * in no order; a logging framework (or Spring Boot) that stops its appenders from its own hook is
 * still logging while it shuts down, and it closes this client itself when it is done. Closing
 * earlier would drop those lines ({@code AFTER_CLOSE}), so the hook waits while such a hook is
 * still running, and closes the client only if nobody else did.
 *
 * <p>A framework's hook is recognised by the frames on its thread's stack: the thread is running a
 * known shutdown routine. The wait therefore never outlasts a hook the JVM waits for anyway.
 * Other hooks (the application's own) cannot be recognised; for them the hook waits until logging
 * has gone quiet for a moment, within a short bound.
 */
final class ExitOrder {
    /** Classes whose {@code run()} on a thread's stack means a framework is shutting down. */
    private static final String[] FRAMEWORK_SHUTDOWN_FRAMES = {
        "org.springframework.boot.SpringApplicationShutdownHook",
        "ch.qos.logback.core.hook.",
        "org.apache.logging.log4j.core.util.DefaultShutdownCallbackRegistry",
        "java.util.logging.LogManager$Cleaner",
        "org.apache.juli.ClassLoaderLogManager$Cleaner",
        "org.apache.catalina.startup.Catalina$CatalinaShutdownHook",
    };
    private static final long POLL_MS = 20;
    /** No entry logged for this long at exit: the application's own shutdown hooks are done logging. */
    static final long QUIET_MS = 300;
    /** The longest the quiet wait lasts while entries keep coming. */
    static final long MAX_QUIET_WAIT_MS = 2000;

    private ExitOrder() {
    }

    /**
     * Waits while another thread runs a framework's shutdown routine, until {@code done} is true
     * or no such thread is left.
     *
     * @param done true once the client was closed by someone else
     */
    static void awaitFrameworks(BooleanSupplier done) {
        while (!done.getAsBoolean() && frameworkShuttingDown()) {
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits until {@code activity} has not changed for {@link #QUIET_MS}, {@code done} is true, or
     * {@link #MAX_QUIET_WAIT_MS} passed.
     *
     * @param activity a counter that moves with every entry logged
     * @param done     true once the client was closed by someone else
     */
    static void awaitQuiet(LongSupplier activity, BooleanSupplier done) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_QUIET_WAIT_MS);
        long seen = activity.getAsLong();
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            try {
                TimeUnit.MILLISECONDS.sleep(QUIET_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = activity.getAsLong();
            if (now == seen) {
                return;
            }
            seen = now;
        }
    }

    /** @return whether a thread other than this one is running a known framework shutdown routine */
    static boolean frameworkShuttingDown() {
        Thread self = Thread.currentThread();
        for (java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey() != self && e.getKey().isAlive() && runsFrameworkShutdown(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean runsFrameworkShutdown(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            String cls = frame.getClassName();
            for (String known : FRAMEWORK_SHUTDOWN_FRAMES) {
                if (cls.startsWith(known)) {
                    return true;
                }
            }
        }
        return false;
    }
}
