package dev.logtide.internal.diagnostics;

import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.diagnostics.DiagnosticListener.Severity;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The library's own diagnostic channel. It never goes through a logging framework (that would
 * loop back into the LogTide appender). Debug messages are shown only when {@code debug} is on;
 * warnings and errors always, but each distinct message at most once a minute so an outage does
 * not flood stderr.
 *
 * <p>It is itself a {@link DiagnosticListener}, so public API that takes a listener (the
 * {@code QueryClient} constructors) can be handed the client's channel, with its debug setting and
 * its rate limits, without exposing this type.
 */
public final class Diagnostics implements DiagnosticListener {
    private static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_REMEMBERED = 256;

    private final boolean debug;
    private final DiagnosticListener listener;
    private final ConcurrentHashMap<String, Long> lastReported = new ConcurrentHashMap<>();

    /**
     * @param debug    whether debug messages are reported
     * @param listener where reports go; {@code null} for stderr with a {@code [logtide]} prefix
     */
    public Diagnostics(boolean debug, DiagnosticListener listener) {
        this.debug = debug;
        this.listener = listener == null ? Diagnostics::toStderr : listener;
    }

    /**
     * @param listener a listener, possibly this channel itself, or {@code null} for stderr
     * @return {@code listener} when it is already a channel, else a channel without debug reports
     *     that reports to it
     */
    public static Diagnostics of(DiagnosticListener listener) {
        return listener instanceof Diagnostics ? (Diagnostics) listener : new Diagnostics(false, listener);
    }

    /** Passes a report on as its severity's method would (debug filter and rate limits apply). */
    @Override
    public void report(Severity severity, String message, Throwable error) {
        switch (severity) {
            case DEBUG:
                debug(message);
                break;
            case INFO:
                info(message);
                break;
            case WARN:
                warn(message, error);
                break;
            default:
                error(message, error);
        }
    }

    @Override
    public boolean showsWarnings() {
        try {
            return listener.showsWarnings();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** @return whether debug reporting is on */
    public boolean isDebug() {
        return debug;
    }

    /** @param message a debug message, reported only when debug is on */
    public void debug(String message) {
        if (debug) {
            emit(Severity.DEBUG, message, null);
        }
    }

    /** @param message an informational message, reported only when debug is on */
    public void info(String message) {
        if (debug) {
            emit(Severity.INFO, message, null);
        }
    }

    /**
     * Reports a warning, rate-limited per message unless debug is on.
     *
     * @param message the text
     * @param error   the cause, or {@code null}
     */
    public void warn(String message, Throwable error) {
        if (debug || firstInWindow(message)) {
            emit(Severity.WARN, message, error);
        }
    }

    /**
     * Reports an error, rate-limited per message unless debug is on.
     *
     * @param message the text
     * @param error   the cause, or {@code null}
     */
    public void error(String message, Throwable error) {
        if (debug || firstInWindow(message)) {
            emit(Severity.ERROR, message, error);
        }
    }

    /**
     * Reports a warning that must be seen: never rate-limited, and also printed to stderr when the
     * listener does not show warnings by default. For loss the user cannot learn of otherwise.
     *
     * @param message what was lost and why
     */
    public void warnAlways(String message) {
        emit(Severity.WARN, message, null);
        if (!showsWarnings()) {
            toStderr(Severity.WARN, message, null);
        }
    }

    private boolean firstInWindow(String message) {
        long now = System.nanoTime();
        Long last = lastReported.get(message);
        if (last != null && now - last < REPEAT_NANOS) {
            return false;
        }
        if (lastReported.size() >= MAX_REMEMBERED) {
            lastReported.clear();
        }
        lastReported.put(message, now);
        return true;
    }

    private void emit(Severity severity, String message, Throwable error) {
        try {
            listener.report(severity, message, error);
        } catch (RuntimeException | LinkageError ignored) {
            // A broken listener must not break delivery; stderr is the last resort.
            toStderr(severity, message, error);
        }
    }

    private static void toStderr(Severity severity, String message, Throwable error) {
        PrintStream err = System.err;
        String suffix = error == null ? "" : ": " + error;
        err.println("[logtide] " + severity + " " + message + suffix);
    }
}
