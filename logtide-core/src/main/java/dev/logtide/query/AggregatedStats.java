package dev.logtide.query;

import java.util.List;

/** The answer of {@code GET /api/v1/logs/aggregated}: log counts per time bucket. */
public final class AggregatedStats {
    private final List<StatsBucket> timeseries;

    /** @param timeseries the buckets in the server's order (kept as given, not copied) */
    public AggregatedStats(List<StatsBucket> timeseries) {
        this.timeseries = timeseries;
    }

    /** @return the buckets in the server's order (by time); read-only */
    public List<StatsBucket> timeseries() { return timeseries; }

    @Override
    public String toString() {
        return "AggregatedStats{" + timeseries + "}";
    }
}
