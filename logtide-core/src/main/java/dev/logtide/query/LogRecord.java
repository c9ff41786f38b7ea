package dev.logtide.query;

import dev.logtide.LogLevel;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One stored log as the server returns it from queries and the live tail. Immutable;
 * {@link #metadata()} is a read-only tree of maps, lists, strings, numbers, booleans and
 * {@code null}s, exactly as the server stored it.
 */
public final class LogRecord {
    private final String id;
    private final Instant time;
    private final String service;
    private final LogLevel level;
    private final String message;
    private final Map<String, Object> metadata;
    private final String traceId;
    private final String projectId;

    /**
     * @param id        the server's id (a UUID)
     * @param time      the log's capture time
     * @param service   the service that logged it
     * @param level     its level
     * @param message   its text
     * @param metadata  its metadata; {@code null} for none (kept as given, not copied)
     * @param traceId   its trace id, or {@code null}
     * @param projectId the project it belongs to, or {@code null}
     */
    public LogRecord(String id, Instant time, String service, LogLevel level, String message,
                     Map<String, Object> metadata, String traceId, String projectId) {
        this.id = Objects.requireNonNull(id, "id");
        this.time = Objects.requireNonNull(time, "time");
        this.service = service;
        this.level = Objects.requireNonNull(level, "level");
        this.message = message;
        this.metadata = metadata == null ? Collections.emptyMap() : metadata;
        this.traceId = traceId;
        this.projectId = projectId;
    }

    /** @return the server's id (a UUID) */
    public String id() { return id; }
    /** @return the log's capture time */
    public Instant time() { return time; }
    /** @return the service that logged it */
    public String service() { return service; }
    /** @return its level */
    public LogLevel level() { return level; }
    /** @return its text */
    public String message() { return message; }
    /** @return its metadata, never {@code null} (empty when it has none) */
    public Map<String, Object> metadata() { return metadata; }
    /** @return its trace id, or {@code null} */
    public String traceId() { return traceId; }
    /** @return the project it belongs to, or {@code null} when the answer did not say */
    public String projectId() { return projectId; }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LogRecord)) {
            return false;
        }
        LogRecord other = (LogRecord) o;
        return id.equals(other.id) && time.equals(other.time) && Objects.equals(service, other.service)
                && level == other.level && Objects.equals(message, other.message)
                && metadata.equals(other.metadata) && Objects.equals(traceId, other.traceId)
                && Objects.equals(projectId, other.projectId);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "LogRecord{" + time + " " + level.wireName() + " " + service + ": " + message + " (id=" + id
                + (traceId == null ? "" : ", traceId=" + traceId) + ")}";
    }
}
