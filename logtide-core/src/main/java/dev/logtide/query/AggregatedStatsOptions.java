package dev.logtide.query;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@code GET /api/v1/logs/aggregated} counts: a time range (required), a bucket width and
 * optionally one service.
 *
 * <pre>{@code
 * AggregatedStatsOptions options = AggregatedStatsOptions.builder()
 *         .from(Instant.now().minus(Duration.ofDays(7)))
 *         .to(Instant.now())
 *         .interval(StatsInterval.ONE_DAY)
 *         .build();
 * }</pre>
 */
public final class AggregatedStatsOptions {
    private final Instant from;
    private final Instant to;
    private final StatsInterval interval;
    private final String service;

    private AggregatedStatsOptions(Builder b) {
        this.from = b.from;
        this.to = b.to;
        this.interval = b.interval;
        this.service = b.service;
    }

    /** @return a builder; {@code from} and {@code to} must be set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the start of the range, inclusive */
    public Instant from() { return from; }
    /** @return the end of the range */
    public Instant to() { return to; }
    /** @return the bucket width */
    public StatsInterval interval() { return interval; }
    /** @return the one service counted, or {@code null} for all */
    public String service() { return service; }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AggregatedStatsOptions)) {
            return false;
        }
        AggregatedStatsOptions other = (AggregatedStatsOptions) o;
        return from.equals(other.from) && to.equals(other.to) && interval == other.interval
                && Objects.equals(service, other.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, interval, service);
    }

    @Override
    public String toString() {
        return "AggregatedStatsOptions{from=" + from + ", to=" + to + ", interval=" + interval.wireName()
                + ", service=" + service + "}";
    }

    /** Builds {@link AggregatedStatsOptions}. */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private StatsInterval interval = StatsInterval.ONE_HOUR;
        private String service;

        private Builder() {
        }

        /**
         * @param from start of the range, inclusive (required)
         * @return this builder
         */
        public Builder from(Instant from) { this.from = from; return this; }
        /**
         * @param to end of the range (required)
         * @return this builder
         */
        public Builder to(Instant to) { this.to = to; return this; }
        /**
         * @param interval bucket width; default {@link StatsInterval#ONE_HOUR}
         * @return this builder
         */
        public Builder interval(StatsInterval interval) { this.interval = interval; return this; }
        /**
         * @param service count only this service; {@code null} for all
         * @return this builder
         */
        public Builder service(String service) { this.service = QueryOptions.blankToNull(service); return this; }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first missing or invalid option
         */
        public AggregatedStatsOptions build() {
            QueryOptions.require(from != null, "from is required");
            QueryOptions.require(to != null, "to is required");
            QueryOptions.require(!from.isAfter(to), "from (" + from + ") must not be after to (" + to + ")");
            QueryOptions.require(interval != null, "interval must not be null");
            return new AggregatedStatsOptions(this);
        }
    }
}
