package dev.logtide;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One client option, as a row of the option table {@link #all()}: its name (the same in
 * {@link ClientOptions.Builder}, in every adapter's configuration and in docs/configuration.md),
 * the kind of value, its default, its bounds, a one-line description, the environment variable
 * that can stand in for it, and how it is set.
 *
 * <p>The table is the one place an option is defined: the option names the adapters accept, the
 * parsing of configuration text, the {@code LOGTIDE_*} environment fallback, the bound checks of
 * {@link ClientOptions.Builder#build()} and {@link PayloadLimits.Builder#build()} with their
 * messages, {@link ClientOptions#toString()} and the documentation tests are derived from it.
 * Its order is the documentation order, except that {@code dsn} comes first: it fills
 * {@code apiUrl} and {@code apiKey}, which an explicit value then overrides.
 *
 * @param <T> the Java type of the value: {@code String}, {@code Integer}, {@code Long},
 *            {@code Double}, {@code Boolean}, {@code Collection<String>} or
 *            {@code Map<String, Object>}, by {@link #kind()}
 */
public final class ClientOption<T> {
    /** The kind of an option's value, and how configuration text writes it. */
    public enum Kind {
        /** Text, trimmed; blank counts as unset. A {@code String}. */
        TEXT,
        /** A whole number; {@code _} may separate digits ({@code 10_000}). An {@code Integer}. */
        INT,
        /** A whole number; {@code _} may separate digits. A {@code Long}. */
        LONG,
        /** A decimal number, {@code 0.25}; a share is written from 0 to 1. A {@code Double}. */
        DECIMAL,
        /** {@code true} or {@code false}, in any case. A {@code Boolean}. */
        BOOLEAN,
        /** Comma-separated values, {@code a,b}; blank parts are skipped. A {@code Collection<String>}. */
        LIST,
        /** Comma-separated pairs, {@code key=value,key=value}. A {@code Map<String, Object>}. */
        KEY_VALUES
    }

    // Declared before the rows: each row adds itself while the class initialises.
    private static final List<ClientOption<?>> TABLE = new ArrayList<>();
    private static int storedCount;

    /** URL and key in one; fills whichever of {@code apiUrl} and {@code apiKey} is still unset. */
    public static final ClientOption<String> DSN = text("dsn",
            "URL and key in one: https://lp_key@host[:port][/base].")
            .environment("LOGTIDE_DSN").secret().fills(ClientOptions.Builder::dsnWhereUnset);
    /** {@link ClientOptions#apiUrl()}. */
    public static final ClientOption<String> API_URL = text("apiUrl",
            "The server's base URL, http(s)://host[:port][/base]")
            .environment("LOGTIDE_API_URL").stored(ClientOptions.Builder::apiUrl);
    /** {@link ClientOptions#apiKey()}. */
    public static final ClientOption<String> API_KEY = text("apiKey",
            "The project API key (lp_...), sent only in the X-API-Key header")
            .environment("LOGTIDE_API_KEY").secret().stored(ClientOptions.Builder::apiKey);
    /** {@link ClientOptions#service()}. */
    public static final ClientOption<String> SERVICE = text("service",
            "Service name of entries that name none.")
            .environment("LOGTIDE_SERVICE").stored(ClientOptions.Builder::service);
    /** {@link ClientOptions#batchSize()}. */
    public static final ClientOption<Integer> BATCH_SIZE = integer("batchSize", 100,
            "Entries per request (1 to 1000); a batch is sent as soon as this many are waiting.")
            .between(1, ClientOptions.MAX_BATCH_SIZE).stored(ClientOptions.Builder::batchSize);
    /** {@link ClientOptions#flushIntervalMs()}. */
    public static final ClientOption<Long> FLUSH_INTERVAL_MS = longNumber("flushIntervalMs", 5000,
            "The longest an entry waits for its batch to fill.")
            .atLeast(1).stored(ClientOptions.Builder::flushIntervalMs);
    /** {@link ClientOptions#maxBufferSize()}. */
    public static final ClientOption<Integer> MAX_BUFFER_SIZE = integer("maxBufferSize", 500_000,
            "Most entries held in memory.")
            .atLeast(1).stored(ClientOptions.Builder::maxBufferSize);
    /** {@link ClientOptions#maxBufferBytes()}. */
    public static final ClientOption<Long> MAX_BUFFER_BYTES = longNumber("maxBufferBytes", 64L * 1024 * 1024,
            "Most bytes (estimated) held in memory")
            .atLeast(1024).stored(ClientOptions.Builder::maxBufferBytes);
    /** {@link ClientOptions#blockWhenFullMs()}. */
    public static final ClientOption<Long> BLOCK_WHEN_FULL_MS = longNumber("blockWhenFullMs", 0,
            "How long a log call may wait for room in a full buffer; 0 drops the entry at once (counted).")
            .atLeast(0).stored(ClientOptions.Builder::blockWhenFullMs);
    /** {@link ClientOptions#spoolDir()}; off when unset. */
    public static final ClientOption<String> SPOOL_DIR = text("spoolDir",
            "A directory where entries the server cannot take now are kept on disk (durable delivery); off when unset.")
            .environment("LOGTIDE_SPOOL_DIR").stored(ClientOptions.Builder::spoolDir);
    /** {@link ClientOptions#maxSpoolBytes()}. */
    public static final ClientOption<Long> MAX_SPOOL_BYTES = longNumber("maxSpoolBytes", 100L * 1024 * 1024,
            "Most bytes of spool files in spoolDir")
            .atLeast(64 * 1024).stored(ClientOptions.Builder::maxSpoolBytes);
    /** {@link ClientOptions#maxBatchBytes()}. */
    public static final ClientOption<Integer> MAX_BATCH_BYTES = integer("maxBatchBytes", 4 * 1024 * 1024,
            "Largest request body; a batch is cut into several requests above it.")
            .atLeast(64 * 1024).stored(ClientOptions.Builder::maxBatchBytes);
    /** {@link ClientOptions#maxRetries()}. */
    public static final ClientOption<Integer> MAX_RETRIES = integer("maxRetries", 3,
            "Retries after the first attempt on a transient failure (I/O error, 408, 429, 5xx).")
            .atLeast(0).stored(ClientOptions.Builder::maxRetries);
    /** {@link ClientOptions#retryDelayMs()}. */
    public static final ClientOption<Long> RETRY_DELAY_MS = longNumber("retryDelayMs", 1000,
            "First retry delay; doubles with each retry, with jitter.")
            .atLeast(0).stored(ClientOptions.Builder::retryDelayMs);
    /** {@link ClientOptions#maxRetryDelayMs()}; at least {@code retryDelayMs}. */
    public static final ClientOption<Long> MAX_RETRY_DELAY_MS = longNumber("maxRetryDelayMs", 30_000,
            "Cap on a computed retry delay.")
            .atLeast(RETRY_DELAY_MS).stored(ClientOptions.Builder::maxRetryDelayMs);
    /** {@link ClientOptions#circuitBreakerThreshold()}. */
    public static final ClientOption<Integer> CIRCUIT_BREAKER_THRESHOLD = integer("circuitBreakerThreshold", 5,
            "Consecutive failed requests that open the circuit breaker.")
            .atLeast(1).stored(ClientOptions.Builder::circuitBreakerThreshold);
    /** {@link ClientOptions#circuitBreakerResetMs()}. */
    public static final ClientOption<Long> CIRCUIT_BREAKER_RESET_MS = longNumber("circuitBreakerResetMs", 30_000,
            "How long the breaker stays open before one probe request.")
            .atLeast(0).stored(ClientOptions.Builder::circuitBreakerResetMs);
    /** {@link PayloadLimits#maxFieldSize()}. */
    public static final ClientOption<Integer> MAX_FIELD_SIZE = integer("maxFieldSize",
            PayloadLimits.DEFAULT_MAX_FIELD_SIZE,
            "Longest string in metadata (values at any depth, context values, the exception's message and raw), "
                    + "in characters, before it is truncated with the marker.")
            .atLeast(16).unit("characters").limit(PayloadLimits.Builder::maxFieldSize, PayloadLimits::maxFieldSize);
    /** {@link PayloadLimits#maxLogSize()}. */
    public static final ClientOption<Integer> MAX_LOG_SIZE = integer("maxLogSize", PayloadLimits.DEFAULT_MAX_LOG_SIZE,
            "Largest serialised entry in bytes; a larger one is reduced until it fits")
            .atLeast(1024).unit("bytes").limit(PayloadLimits.Builder::maxLogSize, PayloadLimits::maxLogSize);
    /** {@link PayloadLimits#excludeFields()}. */
    public static final ClientOption<Collection<String>> EXCLUDE_FIELDS = list("excludeFields",
            "Comma-separated metadata keys whose values are sent as \"[EXCLUDED]\", at any depth, case-insensitive.")
            .limit(PayloadLimits.Builder::excludeFields, PayloadLimits::excludeFields);
    /** {@link PayloadLimits#truncationMarker()}. */
    public static final ClientOption<String> TRUNCATION_MARKER = new Spec<>("truncationMarker", Kind.TEXT,
            PayloadLimits.DEFAULT_TRUNCATION_MARKER, "Appended to truncated strings.")
            .limit(PayloadLimits.Builder::truncationMarker, PayloadLimits::truncationMarker);
    /** {@link ClientOptions#sampleRate()}. */
    public static final ClientOption<Double> SAMPLE_RATE = new Spec<>("sampleRate", Kind.DECIMAL, 1.0,
            "Share of entries sent, 0 to 1, drawn per entry when it is logged; 0 sends nothing. Errors are sampled too.")
            .share().environment("LOGTIDE_SAMPLE_RATE").stored(ClientOptions.Builder::sampleRate);
    /** {@link ClientOptions#globalMetadata()}; shown by its keys only in {@code toString()}. */
    public static final ClientOption<Map<String, Object>> GLOBAL_METADATA = new Spec<Map<String, Object>>(
            "globalMetadata", Kind.KEY_VALUES, Collections.emptyMap(),
            "Metadata merged into every entry, as text key=value,key=value; the entry's own keys win.")
            .stored(ClientOptions.Builder::globalMetadata);
    /** {@link ClientOptions#autoTraceId()}. */
    public static final ClientOption<Boolean> AUTO_TRACE_ID = flag("autoTraceId", false,
            "Give an entry without a trace id a random UUID.")
            .stored(ClientOptions.Builder::autoTraceId);
    /** {@link ClientOptions#debug()}. */
    public static final ClientOption<Boolean> DEBUG = flag("debug", false,
            "Report every diagnostic (each batch, each retry) instead of only rate-limited warnings and errors.")
            .stored(ClientOptions.Builder::debug);
    /** {@link ClientOptions#connectTimeoutMs()}. */
    public static final ClientOption<Long> CONNECT_TIMEOUT_MS = longNumber("connectTimeoutMs", 10_000,
            "HTTP connect timeout.")
            .atLeast(0).stored(ClientOptions.Builder::connectTimeoutMs);
    /** {@link ClientOptions#readTimeoutMs()}. */
    public static final ClientOption<Long> READ_TIMEOUT_MS = longNumber("readTimeoutMs", 30_000,
            "HTTP read timeout.")
            .atLeast(0).stored(ClientOptions.Builder::readTimeoutMs);
    /** {@link ClientOptions#writeTimeoutMs()}. */
    public static final ClientOption<Long> WRITE_TIMEOUT_MS = longNumber("writeTimeoutMs", 30_000,
            "HTTP write timeout.")
            .atLeast(0).stored(ClientOptions.Builder::writeTimeoutMs);
    /** {@link ClientOptions#requestTimeoutMs()}; 0 for no limit. */
    public static final ClientOption<Long> REQUEST_TIMEOUT_MS = longNumber("requestTimeoutMs", 10_000,
            "The longest one ingest request may take as a whole")
            .atLeast(0).stored(ClientOptions.Builder::requestTimeoutMs);
    /** {@link ClientOptions#closeTimeoutMs()}. */
    public static final ClientOption<Long> CLOSE_TIMEOUT_MS = longNumber("closeTimeoutMs", 5000,
            "How long closing (the appender's stop, the handler's close, client.close()) may spend flushing")
            .atLeast(0).stored(ClientOptions.Builder::closeTimeoutMs);
    /** {@link ClientOptions#registerShutdownHook()}. */
    public static final ClientOption<Boolean> REGISTER_SHUTDOWN_HOOK = flag("registerShutdownHook", true,
            "Close the client in a JVM shutdown hook, so a JVM that exits without stopping its logging framework "
                    + "still delivers.")
            .stored(ClientOptions.Builder::registerShutdownHook);

    private static final List<ClientOption<?>> ALL = Collections.unmodifiableList(new ArrayList<>(TABLE));

    private final String name;
    private final Kind kind;
    private final T defaultValue;
    private final String description;
    private final Long minimum;
    private final Long maximum;
    /** A {@link Kind#DECIMAL} that must lie between 0 and 1. */
    private final boolean share;
    private final ClientOption<?> atLeastOption;
    private final String unit;
    private final String environmentVariable;
    private final boolean secret;
    /** Position in the values of {@link ClientOptions}; -1 for an option kept elsewhere or not at all. */
    private final int index;
    private final BiConsumer<ClientOptions.Builder, T> setter;
    private final BiConsumer<PayloadLimits.Builder, T> limitSetter;
    private final Function<PayloadLimits, ? extends T> limitReader;

    private ClientOption(Spec<T> spec, int index, BiConsumer<ClientOptions.Builder, T> setter,
                         BiConsumer<PayloadLimits.Builder, T> limitSetter, Function<PayloadLimits, ? extends T> limitReader) {
        this.name = spec.name;
        this.kind = spec.kind;
        this.defaultValue = spec.defaultValue;
        this.description = spec.description;
        this.minimum = spec.minimum;
        this.maximum = spec.maximum;
        this.share = spec.share;
        this.atLeastOption = spec.atLeastOption;
        this.unit = spec.unit;
        this.environmentVariable = spec.environmentVariable;
        this.secret = spec.secret;
        this.index = index;
        this.setter = setter;
        this.limitSetter = limitSetter;
        this.limitReader = limitReader;
        TABLE.add(this);
    }

    /** @return every option, dsn first, then in documentation order */
    public static List<ClientOption<?>> all() {
        return ALL;
    }

    /**
     * @param name an option name, case-sensitive ({@code batchSize})
     * @return the option of that name, or empty
     */
    public static Optional<ClientOption<?>> named(String name) {
        for (ClientOption<?> option : ALL) {
            if (option.name.equals(name)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    /** @return the name, the same in the Java builder, every adapter and the docs */
    public String name() {
        return name;
    }

    /** @return the kind of value, which also says how configuration text writes it */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the value the builder starts with; {@code null} for {@code apiUrl}, {@code apiKey},
     *     {@code dsn} and {@code service}, which have none
     */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return the smallest value accepted, for a number with a fixed lower bound */
    public OptionalLong minimum() {
        return minimum == null ? OptionalLong.empty() : OptionalLong.of(minimum);
    }

    /** @return the largest value accepted, for a number with an upper bound */
    public OptionalLong maximum() {
        return maximum == null ? OptionalLong.empty() : OptionalLong.of(maximum);
    }

    /** @return what the option does, in one line (the start of its row in docs/configuration.md) */
    public String description() {
        return description;
    }

    /**
     * @return the {@code LOGTIDE_*} environment variable that stands in for the option when the
     *     configuration leaves it unset, or {@code null}
     */
    public String environmentVariable() {
        return environmentVariable;
    }

    /** @return whether the value is a secret, never shown ({@code apiKey}, {@code dsn}) */
    public boolean isSecret() {
        return secret;
    }

    /**
     * @param options built options
     * @return the option's value in them; {@code null} for {@code dsn}, which is kept as
     *     {@code apiUrl} and {@code apiKey}
     */
    public T valueIn(ClientOptions options) {
        if (index >= 0) {
            return options.value(this);
        }
        return limitReader == null ? null : limitReader.apply(options.payloadLimits());
    }

    /**
     * Sets the option the way its configuration text does: on {@code options}, or on
     * {@code limits} for the four payload limits. {@code dsn} fills only what is unset of
     * {@code apiUrl} and {@code apiKey}.
     *
     * @param options the client options being built
     * @param limits  the payload limits being built; may be {@code null} unless this is a payload limit
     * @param value   the value, of the type {@link #kind()} names
     */
    public void set(ClientOptions.Builder options, PayloadLimits.Builder limits, T value) {
        if (setter != null) {
            setter.accept(options, value);
        } else {
            limitSetter.accept(limits, value);
        }
    }

    /** @return the name */
    @Override
    public String toString() {
        return name;
    }

    /** @return the position of a value kept in {@link ClientOptions}, or -1 */
    int index() {
        return index;
    }

    /** @return every default value kept in {@link ClientOptions}, by {@link #index()} */
    static Object[] defaults() {
        Object[] values = new Object[storedCount];
        for (ClientOption<?> option : ALL) {
            if (option.index >= 0) {
                values[option.index] = option.defaultValue;
            }
        }
        return values;
    }

    /**
     * Checks the bounds of a number kept in {@link ClientOptions}.
     *
     * @param values the values being built, by {@link #index()}
     * @throws IllegalArgumentException naming the option, when its value is out of bounds
     */
    void checkIn(Object[] values) {
        if (index >= 0 && share) {
            double v = (Double) values[index];
            if (!(v >= 0 && v <= 1)) { // NaN too
                throw new IllegalArgumentException(name + " must be between 0 and 1, was " + v);
            }
        }
        if (index >= 0 && (minimum != null || maximum != null || atLeastOption != null)) {
            long floor = atLeastOption == null ? Long.MIN_VALUE : ((Number) values[atLeastOption.index]).longValue();
            check(((Number) values[index]).longValue(), floor);
        }
    }

    /**
     * @param value a value of this number option
     * @throws IllegalArgumentException naming the option, when the value is out of bounds
     */
    void check(long value) {
        check(value, Long.MIN_VALUE);
    }

    private void check(long value, long floor) {
        String requirement;
        if (atLeastOption != null && value < floor) {
            requirement = "be at least " + atLeastOption.name;
        } else if (maximum != null && (value < minimum || value > maximum)) {
            requirement = "be between " + minimum + " and " + maximum;
        } else if (minimum != null && value < minimum) {
            requirement = minimum == 0 ? "not be negative"
                    : minimum == 1 ? "be positive"
                    : "be at least " + minimum + (unit == null ? "" : " " + unit);
        } else {
            return;
        }
        throw new IllegalArgumentException(name + " must " + requirement + ", was " + value);
    }

    private static Spec<String> text(String name, String description) {
        return new Spec<>(name, Kind.TEXT, null, description);
    }

    private static Spec<Integer> integer(String name, int defaultValue, String description) {
        return new Spec<>(name, Kind.INT, defaultValue, description);
    }

    private static Spec<Long> longNumber(String name, long defaultValue, String description) {
        return new Spec<>(name, Kind.LONG, defaultValue, description);
    }

    private static Spec<Boolean> flag(String name, boolean defaultValue, String description) {
        return new Spec<>(name, Kind.BOOLEAN, defaultValue, description);
    }

    private static Spec<Collection<String>> list(String name, String description) {
        return new Spec<>(name, Kind.LIST, Collections.emptyList(), description);
    }

    /** A row while it is written down; {@code stored}, {@code fills} or {@code limit} makes the option. */
    private static final class Spec<T> {
        private final String name;
        private final Kind kind;
        private final T defaultValue;
        private final String description;
        private Long minimum;
        private Long maximum;
        private boolean share;
        private ClientOption<?> atLeastOption;
        private String unit;
        private String environmentVariable;
        private boolean secret;

        Spec(String name, Kind kind, T defaultValue, String description) {
            this.name = name;
            this.kind = kind;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        Spec<T> atLeast(long min) {
            this.minimum = min;
            return this;
        }

        Spec<T> between(long min, long max) {
            this.minimum = min;
            this.maximum = max;
            return this;
        }

        /** A decimal share, 0 to 1 inclusive. */
        Spec<T> share() {
            this.share = true;
            return this;
        }

        /** The value may not be below that of another option kept in {@link ClientOptions}. */
        Spec<T> atLeast(ClientOption<?> other) {
            this.atLeastOption = other;
            return this;
        }

        /** The unit of a bound, for the message, when the name does not say it. */
        Spec<T> unit(String unit) {
            this.unit = unit;
            return this;
        }

        /**
         * The variables stand in for the settings an operator changes per deployment without
         * touching the configuration: text, and the sampling share.
         */
        Spec<T> environment(String variable) {
            this.environmentVariable = variable;
            return this;
        }

        Spec<T> secret() {
            this.secret = true;
            return this;
        }

        /** The value is kept in {@link ClientOptions}; the setter is the builder's public one. */
        ClientOption<T> stored(BiConsumer<ClientOptions.Builder, T> setter) {
            return new ClientOption<>(this, storedCount++, setter, null, null);
        }

        /** The value sets other options and is not kept itself. */
        ClientOption<T> fills(BiConsumer<ClientOptions.Builder, T> setter) {
            return new ClientOption<>(this, -1, setter, null, null);
        }

        /** The value is kept in {@link PayloadLimits}. */
        ClientOption<T> limit(BiConsumer<PayloadLimits.Builder, T> setter, Function<PayloadLimits, ? extends T> reader) {
            return new ClientOption<>(this, -1, null, setter, reader);
        }
    }
}
