package dev.logtide.query;

import dev.logtide.LogLevel;

import java.time.Duration;

/**
 * Filters and reconnection settings of a {@link LiveTail}. The server filters the stream on one
 * service and one level at most.
 *
 * <pre>{@code
 * LiveTailOptions options = LiveTailOptions.builder().service("api").level(LogLevel.ERROR).build();
 * }</pre>
 */
public final class LiveTailOptions {
    /** The largest {@link #maxBackfill()}. */
    public static final int MAX_BACKFILL = 10_000;
    private static final LiveTailOptions DEFAULTS = builder().build();

    private final String service;
    private final LogLevel level;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration idleTimeout;
    private final int maxBackfill;
    private final Duration catchUpWindow;

    private LiveTailOptions(Builder b) {
        this.service = b.service;
        this.level = b.level;
        this.reconnectDelay = b.reconnectDelay;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.idleTimeout = b.idleTimeout;
        this.maxBackfill = b.maxBackfill;
        this.catchUpWindow = b.catchUpWindow;
    }

    /** @return no filter and the default reconnection settings */
    public static LiveTailOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the one service to tail, or {@code null} for all */
    public String service() { return service; }
    /** @return the one level to tail, or {@code null} for all */
    public LogLevel level() { return level; }
    /**
     * @return the wait before the first reconnection; it doubles per failed attempt (a connection
     *     that stayed open less than 10 s counts as failed)
     */
    public Duration reconnectDelay() { return reconnectDelay; }
    /** @return the cap on the wait between reconnections */
    public Duration maxReconnectDelay() { return maxReconnectDelay; }
    /** @return how long the stream may stay silent before it counts as dropped (the server sends a heartbeat every second) */
    public Duration idleTimeout() { return idleTimeout; }
    /**
     * @return the most logs one catch-up reads through the query API (after a reconnection, or
     *     behind a full page of the stream), newest first; when more match, the older ones are not
     *     read and diagnostics say so; 0 turns catching up off (a full page is then only reported
     *     to diagnostics)
     */
    public int maxBackfill() { return maxBackfill; }
    /**
     * @return how long after a reconnection the gap is read again for logs that reached the server
     *     late (delivered when found, so after newer ones); zero reads it once, at the reconnection
     */
    public Duration catchUpWindow() { return catchUpWindow; }

    @Override
    public String toString() {
        return "LiveTailOptions{service=" + service + ", level=" + level + ", reconnectDelay=" + reconnectDelay
                + ", maxReconnectDelay=" + maxReconnectDelay + ", idleTimeout=" + idleTimeout
                + ", maxBackfill=" + maxBackfill + ", catchUpWindow=" + catchUpWindow + "}";
    }

    /** Builds {@link LiveTailOptions}. */
    public static final class Builder {
        private String service;
        private LogLevel level;
        private Duration reconnectDelay = Duration.ofSeconds(1);
        private Duration maxReconnectDelay = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxBackfill = QueryOptions.MAX_LIMIT;
        private Duration catchUpWindow = Duration.ofMinutes(2);

        private Builder() {
        }

        /**
         * @param service tail only this service; {@code null} for all
         * @return this builder
         */
        public Builder service(String service) { this.service = QueryOptions.blankToNull(service); return this; }
        /**
         * @param level tail only this level; {@code null} for all
         * @return this builder
         */
        public Builder level(LogLevel level) { this.level = level; return this; }
        /**
         * @param delay first reconnection wait, doubled per failed attempt (a connection that stayed
         *              open less than 10 s counts as failed); default 1 s
         * @return this builder
         */
        public Builder reconnectDelay(Duration delay) { this.reconnectDelay = delay; return this; }
        /**
         * @param delay cap on the reconnection wait; default 30 s
         * @return this builder
         */
        public Builder maxReconnectDelay(Duration delay) { this.maxReconnectDelay = delay; return this; }
        /**
         * @param timeout silence after which the connection is dropped and reopened; default 30 s
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = timeout; return this; }
        /**
         * @param logs most logs one catch-up (after a reconnection, or behind a full page of the
         *             stream) reads, newest first, 0 to 10,000 (pages of at most 1000); 0 turns
         *             catching up off; default 1000
         * @return this builder
         */
        public Builder maxBackfill(int logs) { this.maxBackfill = logs; return this; }
        /**
         * @param window how long after a reconnection the gap is read again (at 1/64, 1/32 ... 1/2
         *               and all of the window) for logs that other clients deliver late, with their
         *               original timestamps, after an outage (such a log is delivered when found,
         *               so after newer ones); zero or more; default 2 minutes
         * @return this builder
         */
        public Builder catchUpWindow(Duration window) { this.catchUpWindow = window; return this; }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first invalid option
         */
        public LiveTailOptions build() {
            QueryOptions.require(reconnectDelay != null && !reconnectDelay.isNegative() && !reconnectDelay.isZero(),
                    "reconnectDelay must be positive, was " + reconnectDelay);
            QueryOptions.require(maxReconnectDelay != null && maxReconnectDelay.compareTo(reconnectDelay) >= 0,
                    "maxReconnectDelay must be at least reconnectDelay, was " + maxReconnectDelay);
            QueryOptions.require(idleTimeout != null && !idleTimeout.isNegative() && !idleTimeout.isZero(),
                    "idleTimeout must be positive, was " + idleTimeout);
            QueryOptions.require(maxBackfill >= 0 && maxBackfill <= MAX_BACKFILL,
                    "maxBackfill must be between 0 and " + MAX_BACKFILL + ", was " + maxBackfill);
            QueryOptions.require(catchUpWindow != null && !catchUpWindow.isNegative(),
                    "catchUpWindow must not be negative, was " + catchUpWindow);
            return new LiveTailOptions(this);
        }
    }
}
