package dev.logtide.query;

import dev.logtide.LogLevel;

import java.time.Instant;
import java.util.Map;

/** One time bucket of {@link AggregatedStats}: how many logs, in all and per level. */
public final class StatsBucket {
    private final Instant bucket;
    private final long total;
    private final Map<LogLevel, Long> byLevel;

    /**
     * @param bucket  the bucket's start
     * @param total   logs in the bucket
     * @param byLevel logs per level; levels without logs may be absent (kept as given, not copied)
     */
    public StatsBucket(Instant bucket, long total, Map<LogLevel, Long> byLevel) {
        this.bucket = bucket;
        this.total = total;
        this.byLevel = byLevel;
    }

    /** @return the bucket's start */
    public Instant bucket() { return bucket; }
    /** @return logs in the bucket */
    public long total() { return total; }
    /** @return logs per level (the server's {@code by_level}); read-only, levels without logs may be absent */
    public Map<LogLevel, Long> byLevel() { return byLevel; }

    /**
     * @param level a level
     * @return logs of that level in the bucket, 0 when none
     */
    public long count(LogLevel level) {
        Long n = byLevel.get(level);
        return n == null ? 0 : n;
    }

    @Override
    public String toString() {
        return "StatsBucket{" + bucket + ", total=" + total + ", byLevel=" + byLevel + "}";
    }
}
