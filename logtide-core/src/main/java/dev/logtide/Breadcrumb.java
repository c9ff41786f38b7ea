package dev.logtide;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Something that happened before an entry, kept in a {@link LogTideScope}'s bounded ring and sent,
 * oldest first, as {@code metadata.breadcrumbs} with every entry logged while the scope holds any
 * (SDK contract C21). Immutable; each {@code with} method returns a new breadcrumb.
 *
 * <p>Sent as {@code {"type":"custom","message":"...","category":"...","level":"info",
 * "timestamp":"2026-12-07T18:30:00.123Z","data":{...}}}: {@code category} and {@code data} only
 * when set, {@code timestamp} ISO-8601 in UTC.
 */
public final class Breadcrumb {
    /** What kind of event a breadcrumb records; sent in lower case. */
    public enum Type {
        /** An HTTP request made or received. */
        HTTP,
        /** A move from one page or route to another. */
        NAVIGATION,
        /** A user interaction. */
        UI,
        /** A line written to a console. */
        CONSOLE,
        /** An error that was handled. */
        ERROR,
        /** A database or search query. */
        QUERY,
        /** Anything else; the default. */
        CUSTOM;

        private final String wireName = name().toLowerCase(Locale.ROOT);
    }

    private final Type type;
    private final String message;
    private final String category;
    private final LogLevel level;
    private final Instant timestamp;
    private final Map<String, Object> data;
    /** The fields as sent, built once. */
    private final Map<String, Object> fields;

    private Breadcrumb(Type type, String message, String category, LogLevel level, Instant timestamp,
                       Map<String, Object> data) {
        this.type = type;
        this.message = message;
        this.category = category;
        this.level = level;
        this.timestamp = timestamp;
        this.data = data;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", type.wireName);
        f.put("message", message);
        if (category != null) {
            f.put("category", category);
        }
        f.put("level", level.wireName());
        f.put("timestamp", timestamp.toString());
        if (!data.isEmpty()) {
            f.put("data", data);
        }
        this.fields = Collections.unmodifiableMap(f);
    }

    /**
     * A breadcrumb of type {@link Type#CUSTOM} at level {@link LogLevel#INFO}, timestamped now.
     *
     * @param message what happened; {@code null} is sent as an empty text
     * @return the breadcrumb
     */
    public static Breadcrumb of(String message) {
        return new Breadcrumb(Type.CUSTOM, message == null ? "" : message, null, LogLevel.INFO, Instant.now(),
                Collections.emptyMap());
    }

    /**
     * @param type the kind of event; {@code null} keeps the current one
     * @return a copy with it
     */
    public Breadcrumb withType(Type type) {
        return type == null ? this : new Breadcrumb(type, message, category, level, timestamp, data);
    }

    /**
     * @param category a finer grouping, e.g. {@code "db.query"}; {@code null} for none
     * @return a copy with it
     */
    public Breadcrumb withCategory(String category) {
        return new Breadcrumb(type, message, category, level, timestamp, data);
    }

    /**
     * @param level the severity; {@code null} keeps the current one
     * @return a copy with it
     */
    public Breadcrumb withLevel(LogLevel level) {
        return level == null ? this : new Breadcrumb(type, message, category, level, timestamp, data);
    }

    /**
     * @param timestamp when it happened; {@code null} keeps the current one
     * @return a copy with it
     */
    public Breadcrumb withTimestamp(Instant timestamp) {
        return timestamp == null ? this : new Breadcrumb(type, message, category, level, timestamp, data);
    }

    /**
     * @param key   a data field; {@code null} is ignored
     * @param value its value, copied now ({@link Snapshot}); {@code null} removes it
     * @return a copy with it
     */
    public Breadcrumb withData(String key, Object value) {
        return key == null ? this : new Breadcrumb(type, message, category, level, timestamp,
                LogTideScope.put(data, key, value == null ? null : Snapshot.value(value)));
    }

    /** @return the kind of event */
    public Type type() { return type; }
    /** @return what happened */
    public String message() { return message; }
    /** @return the category, or {@code null} */
    public String category() { return category; }
    /** @return the severity */
    public LogLevel level() { return level; }
    /** @return when it happened */
    public Instant timestamp() { return timestamp; }
    /** @return the data fields, unmodifiable, possibly empty */
    public Map<String, Object> data() { return data; }

    /** @return the fields as sent in {@code metadata.breadcrumbs}, unmodifiable */
    public Map<String, Object> fields() {
        return fields;
    }

    /** Names the type, category and level, never the message or data (they may be personal). */
    @Override
    public String toString() {
        return "Breadcrumb{" + type.wireName + (category == null ? "" : " " + category) + " " + level.wireName() + "}";
    }
}
