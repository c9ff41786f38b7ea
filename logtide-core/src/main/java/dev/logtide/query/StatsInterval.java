package dev.logtide.query;

/** Width of the time buckets of {@link AggregatedStats}: the four the server accepts. */
public enum StatsInterval {
    /** One minute. */
    ONE_MINUTE("1m"),
    /** Five minutes. */
    FIVE_MINUTES("5m"),
    /** One hour (the server's default). */
    ONE_HOUR("1h"),
    /** One day. */
    ONE_DAY("1d");

    private final String wireName;

    StatsInterval(String wireName) {
        this.wireName = wireName;
    }

    /** @return the value of the {@code interval} query parameter: {@code 1m}, {@code 5m}, {@code 1h} or {@code 1d} */
    public String wireName() {
        return wireName;
    }
}
