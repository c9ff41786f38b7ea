package dev.logtide;

import java.util.Map;

/**
 * The logging methods of {@link LogTideClient} and {@link AsyncLogTideClient}, defined once: both
 * implement the two {@code log} methods and inherit every shorthand from here, so the two clients
 * always offer the same calls.
 *
 * <p>Every method returns at once and never throws: it takes a snapshot of the call and queues
 * it; a background thread sends it (see {@link LogTideClient}). {@code service} {@code null} means
 * the configured default service; {@code metadata} is copied at the call, one level deep.
 */
public interface LogMethods {
    /**
     * Logs with every part given.
     *
     * @param level    severity
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, copied at the call (one level deep), or {@code null}
     * @param error    exception, or {@code null}
     */
    void log(LogLevel level, String service, String message, Map<String, ?> metadata, Throwable error);

    /**
     * Queues an entry. Never blocks (unless {@code blockWhenFullMs} is set) and never throws.
     *
     * @param entry the entry; {@code null} is ignored
     */
    void log(LogEntry entry);

    /**
     * Logs at DEBUG.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     */
    default void debug(String service, String message) { log(LogLevel.DEBUG, service, message, null, null); }
    /**
     * Logs at DEBUG with metadata.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, copied at the call (one level deep), or {@code null}
     */
    default void debug(String service, String message, Map<String, ?> metadata) { log(LogLevel.DEBUG, service, message, metadata, null); }
    /**
     * Logs at INFO.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     */
    default void info(String service, String message) { log(LogLevel.INFO, service, message, null, null); }
    /**
     * Logs at INFO with metadata.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, copied at the call (one level deep), or {@code null}
     */
    default void info(String service, String message, Map<String, ?> metadata) { log(LogLevel.INFO, service, message, metadata, null); }
    /**
     * Logs at WARN.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     */
    default void warn(String service, String message) { log(LogLevel.WARN, service, message, null, null); }
    /**
     * Logs at WARN with metadata.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, copied at the call (one level deep), or {@code null}
     */
    default void warn(String service, String message, Map<String, ?> metadata) { log(LogLevel.WARN, service, message, metadata, null); }
    /**
     * Logs at ERROR.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     */
    default void error(String service, String message) { log(LogLevel.ERROR, service, message, null, null); }
    /**
     * Logs at ERROR with metadata.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, copied at the call (one level deep), or {@code null}
     */
    default void error(String service, String message, Map<String, ?> metadata) { log(LogLevel.ERROR, service, message, metadata, null); }
    /**
     * Logs at ERROR with a structured exception.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param error    the exception, or {@code null}
     */
    default void error(String service, String message, Throwable error) { log(LogLevel.ERROR, service, message, null, error); }
    /**
     * Logs at CRITICAL.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     */
    default void critical(String service, String message) { log(LogLevel.CRITICAL, service, message, null, null); }
    /**
     * Logs at CRITICAL with metadata.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, copied at the call (one level deep), or {@code null}
     */
    default void critical(String service, String message, Map<String, ?> metadata) { log(LogLevel.CRITICAL, service, message, metadata, null); }
    /**
     * Logs at CRITICAL with a structured exception.
     *
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param error    the exception, or {@code null}
     */
    default void critical(String service, String message, Throwable error) { log(LogLevel.CRITICAL, service, message, null, error); }
}
