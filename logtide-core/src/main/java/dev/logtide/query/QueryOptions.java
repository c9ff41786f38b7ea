package dev.logtide.query;

import dev.logtide.LogLevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The filters and paging of a log search ({@code GET /api/v1/logs}). Build with
 * {@link #builder()}; every filter is optional. Invalid values fail in {@link Builder#build()}
 * with an {@link IllegalArgumentException} that names the option.
 *
 * <pre>{@code
 * QueryOptions options = QueryOptions.builder()
 *         .service("api").service("worker")          // repeatable: either service
 *         .level(LogLevel.ERROR, LogLevel.CRITICAL)  // repeatable: either level
 *         .from(Instant.now().minus(Duration.ofHours(1)))
 *         .q("timeout")
 *         .limit(200)
 *         .build();
 * }</pre>
 *
 * <p>Without {@code from} the server searches every stored log (seen on LogTide 0.5.0: a log three
 * days old is found). The server caches answers for about 60 seconds and clears the cache
 * asynchronously after ingest, so a log read right after it was sent may be missing: read again a
 * moment later.
 */
public final class QueryOptions {
    /** The largest page the server returns. */
    public static final int MAX_LIMIT = 1000;

    private final List<String> services;
    private final List<LogLevel> levels;
    private final Instant from;
    private final Instant to;
    private final String traceId;
    private final String q;
    private final SearchMode searchMode;
    private final Integer limit;
    private final Integer offset;
    private final String cursor;

    private QueryOptions(Builder b) {
        this.services = Collections.unmodifiableList(new ArrayList<>(b.services));
        this.levels = Collections.unmodifiableList(new ArrayList<>(b.levels));
        this.from = b.from;
        this.to = b.to;
        this.traceId = b.traceId;
        this.q = b.q;
        this.searchMode = b.searchMode;
        this.limit = b.limit;
        this.offset = b.offset;
        this.cursor = b.cursor;
    }

    /** @return a builder with no filter: the server's defaults (the newest 100 logs, from all stored logs) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options, to derive others from */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.services.addAll(services);
        b.levels.addAll(levels);
        b.from = from;
        b.to = to;
        b.traceId = traceId;
        b.q = q;
        b.searchMode = searchMode;
        b.limit = limit;
        b.offset = offset;
        b.cursor = cursor;
        return b;
    }

    /** The same search, resumed at a cursor: a cursor replaces the offset. */
    QueryOptions atCursor(String nextCursor) {
        Builder b = toBuilder();
        b.offset = null;
        b.cursor = nextCursor;
        return new QueryOptions(b);
    }

    /** @return the services to match (any of them); empty for all */
    public List<String> services() { return services; }
    /** @return the levels to match (any of them); empty for all */
    public List<LogLevel> levels() { return levels; }
    /** @return the earliest log time, inclusive, or {@code null} for no lower bound */
    public Instant from() { return from; }
    /** @return the latest log time, inclusive, or {@code null} for now */
    public Instant to() { return to; }
    /** @return the trace id to match, or {@code null} */
    public String traceId() { return traceId; }
    /** @return the text to search for, or {@code null} */
    public String q() { return q; }
    /** @return how {@link #q()} matches, or {@code null} for the server's default ({@link SearchMode#FULLTEXT}) */
    public SearchMode searchMode() { return searchMode; }
    /** @return the page size (1 to 1000), or {@code null} for the server's default (100) */
    public Integer limit() { return limit; }
    /** @return how many matches to skip, or {@code null} for none */
    public Integer offset() { return offset; }
    /** @return the {@link LogsResponse#nextCursor() nextCursor} of a previous page, or {@code null} */
    public String cursor() { return cursor; }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof QueryOptions)) {
            return false;
        }
        QueryOptions other = (QueryOptions) o;
        return services.equals(other.services) && levels.equals(other.levels)
                && Objects.equals(from, other.from) && Objects.equals(to, other.to)
                && Objects.equals(traceId, other.traceId) && Objects.equals(q, other.q)
                && searchMode == other.searchMode && Objects.equals(limit, other.limit)
                && Objects.equals(offset, other.offset) && Objects.equals(cursor, other.cursor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(services, levels, from, to, traceId, q, searchMode, limit, offset, cursor);
    }

    @Override
    public String toString() {
        return "QueryOptions{services=" + services + ", levels=" + levels + ", from=" + from + ", to=" + to
                + ", traceId=" + traceId + ", q=" + q + ", searchMode=" + searchMode + ", limit=" + limit
                + ", offset=" + offset + ", cursor=" + cursor + "}";
    }

    /** Builds {@link QueryOptions}. Setters may be called in any order; {@link #build()} validates. */
    public static final class Builder {
        private final List<String> services = new ArrayList<>();
        private final List<LogLevel> levels = new ArrayList<>();
        private Instant from;
        private Instant to;
        private String traceId;
        private String q;
        private SearchMode searchMode;
        private Integer limit;
        private Integer offset;
        private String cursor;

        private Builder() {
        }

        /**
         * Adds services to match; repeat to match any of several.
         *
         * @param names service names, not blank
         * @return this builder
         */
        public Builder service(String... names) {
            Collections.addAll(services, names);
            return this;
        }

        /**
         * Adds services to match.
         *
         * @param names service names, not blank
         * @return this builder
         */
        public Builder services(Collection<String> names) {
            services.addAll(names);
            return this;
        }

        /**
         * Adds levels to match; repeat to match any of several.
         *
         * @param matching levels, not {@code null}
         * @return this builder
         */
        public Builder level(LogLevel... matching) {
            Collections.addAll(levels, matching);
            return this;
        }

        /**
         * Adds levels to match.
         *
         * @param matching levels, not {@code null}
         * @return this builder
         */
        public Builder levels(Collection<LogLevel> matching) {
            levels.addAll(matching);
            return this;
        }

        /**
         * @param from earliest log time, inclusive; {@code null} for no lower bound
         * @return this builder
         */
        public Builder from(Instant from) { this.from = from; return this; }
        /**
         * @param to latest log time, inclusive; {@code null} for now
         * @return this builder
         */
        public Builder to(Instant to) { this.to = to; return this; }
        /**
         * @param traceId only logs of this trace; {@code null} for any
         * @return this builder
         */
        public Builder traceId(String traceId) { this.traceId = blankToNull(traceId); return this; }
        /**
         * @param q text to search for; {@code null} for none
         * @return this builder
         */
        public Builder q(String q) { this.q = blankToNull(q); return this; }
        /**
         * @param mode how {@code q} matches; {@code null} for the server's default
         * @return this builder
         */
        public Builder searchMode(SearchMode mode) { this.searchMode = mode; return this; }
        /**
         * @param limit page size, 1 to 1000 (server default 100)
         * @return this builder
         */
        public Builder limit(int limit) { this.limit = limit; return this; }
        /**
         * @param offset matches to skip, 0 or more
         * @return this builder
         */
        public Builder offset(int offset) { this.offset = offset; return this; }
        /**
         * @param cursor a previous page's {@code nextCursor}; {@code null} for the first page
         * @return this builder
         */
        public Builder cursor(String cursor) { this.cursor = blankToNull(cursor); return this; }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first invalid option
         */
        public QueryOptions build() {
            for (String service : services) {
                require(service != null && !service.trim().isEmpty(), "service must not be null or blank");
            }
            for (LogLevel level : levels) {
                require(level != null, "level must not be null");
            }
            require(limit == null || (limit >= 1 && limit <= MAX_LIMIT),
                    "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
            require(offset == null || offset >= 0, "offset must not be negative, was " + offset);
            require(from == null || to == null || !from.isAfter(to), "from (" + from + ") must not be after to (" + to + ")");
            return new QueryOptions(this);
        }
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.trim().isEmpty() ? null : s;
    }
}
