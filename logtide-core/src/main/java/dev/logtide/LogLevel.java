package dev.logtide;

import java.util.Locale;

/** The five severities the LogTide server accepts, in ascending order. */
public enum LogLevel {
    /** Detail for diagnosing; refused, like INFO, once the buffer is 80% full. */
    DEBUG("debug"),
    /** Normal operation; refused, like DEBUG, once the buffer is 80% full. */
    INFO("info"),
    /** Something unexpected the application survived. */
    WARN("warn"),
    /** An operation failed. */
    ERROR("error"),
    /** The application or a vital part of it cannot go on (Logback's {@code FATAL} marker, Log4j2's {@code FATAL}). */
    CRITICAL("critical");

    private final String wireName;

    LogLevel(String wireName) {
        this.wireName = wireName;
    }

    /** @return the lower-case name the server expects in an entry's {@code level} field */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a level name as the server writes it, case-insensitively; {@code warning} and
     * {@code fatal} are accepted as aliases.
     *
     * @param name a level name
     * @return the level
     * @throws IllegalArgumentException when the name is not a level
     */
    public static LogLevel fromWireName(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "debug": case "trace": return DEBUG;
                case "info": return INFO;
                case "warn": case "warning": return WARN;
                case "error": return ERROR;
                case "critical": case "fatal": return CRITICAL;
                default: break;
            }
        }
        throw new IllegalArgumentException("not a LogTide level: " + name);
    }
}
