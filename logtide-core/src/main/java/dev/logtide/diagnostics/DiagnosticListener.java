package dev.logtide.diagnostics;

/**
 * Receives the library's own diagnostics. Adapters plug in their framework's status system
 * (Logback's StatusManager, Log4j2's StatusLogger, JUL's ErrorManager) so problems show up where
 * users of that framework look for them. Implementations must not log through the framework's
 * normal loggers: that would feed the LogTide appender itself.
 */
@FunctionalInterface
public interface DiagnosticListener {
    /** Severity of a diagnostic. */
    enum Severity {
        /** What the client does (started, a batch sent); reported only with the {@code debug} option. */
        DEBUG,
        /** An event that needs no action (a live tail reconnecting); reported only with {@code debug}. */
        INFO,
        /** Entries dropped or at risk (buffer full, invalid entries, a setting ignored); worth a look. */
        WARN,
        /** Delivery or a query does not work as configured (key rejected, unexpected failure); needs action. */
        ERROR
    }

    /**
     * @param severity how serious
     * @param message  a sentence that never contains the API key
     * @param error    the underlying error, or {@code null}
     */
    void report(Severity severity, String message, Throwable error);

    /**
     * Whether a {@link Severity#WARN} reported here reaches the user without further setup.
     * Loss the user must see (entries dropped at close) is also printed to stderr when it does not,
     * for example on Logback's status channel, which shows warnings only to a status listener.
     *
     * @return true by default
     */
    default boolean showsWarnings() {
        return true;
    }
}
