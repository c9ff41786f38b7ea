package dev.logtide;

import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.internal.config.ClientSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Everything a {@link LogTideClient} is configured with. Build with {@link #builder()}, or start
 * from the environment with {@link #fromEnvironment()}. Invalid values fail in
 * {@link Builder#build()} with a message that names the option. Every option's name, default,
 * bounds and environment variable are in the option table, {@link ClientOption#all()}.
 */
public final class ClientOptions {
    /** Largest batch the server accepts. */
    public static final int MAX_BATCH_SIZE = 1000;

    /** The values of the options kept here, by {@link ClientOption#index()}. */
    private final Object[] values;
    private final PayloadLimits payloadLimits;
    private final DiagnosticListener diagnosticListener;
    private final UnaryOperator<LogEntry> beforeSend;

    private ClientOptions(Builder b) {
        this.values = b.values.clone();
        int metadata = ClientOption.GLOBAL_METADATA.index();
        values[metadata] = Collections.unmodifiableMap(new LinkedHashMap<>(globalMetadata()));
        this.payloadLimits = b.payloadLimits;
        this.diagnosticListener = b.diagnosticListener;
        this.beforeSend = b.beforeSend;
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder filled from {@code LOGTIDE_DSN}, or {@code LOGTIDE_API_URL} and
     * {@code LOGTIDE_API_KEY}, plus {@code LOGTIDE_SERVICE}.
     *
     * @return a builder; call {@link Builder#build()} to validate
     */
    public static Builder fromEnvironment() {
        return builder().environmentDefaults(System::getenv);
    }

    /** @return the server's base URL, without a trailing slash */
    public String apiUrl() { return value(ClientOption.API_URL); }
    /** @return the project API key; never printed by the library */
    public String apiKey() { return value(ClientOption.API_KEY); }
    /** @return the default service name, or {@code null} ({@code "unknown"} is sent then) */
    public String service() { return value(ClientOption.SERVICE); }
    /** @return entries per request; a batch is sent as soon as this many are waiting */
    public int batchSize() { return value(ClientOption.BATCH_SIZE); }
    /** @return the longest an entry waits for its batch to fill, in milliseconds */
    public long flushIntervalMs() { return value(ClientOption.FLUSH_INTERVAL_MS); }
    /** @return the most entries held in memory */
    public int maxBufferSize() { return value(ClientOption.MAX_BUFFER_SIZE); }
    /** @return the most bytes (estimated) held in memory */
    public long maxBufferBytes() { return value(ClientOption.MAX_BUFFER_BYTES); }
    /** @return how long a log call may wait for room when the buffer is full; 0 drops at once */
    public long blockWhenFullMs() { return value(ClientOption.BLOCK_WHEN_FULL_MS); }
    /**
     * @return the directory where entries the server cannot take now are kept on disk, or
     *     {@code null} (no spool: entries wait in memory only)
     */
    public String spoolDir() { return value(ClientOption.SPOOL_DIR); }
    /** @return the most bytes of spool files in {@link #spoolDir()} */
    public long maxSpoolBytes() { return value(ClientOption.MAX_SPOOL_BYTES); }
    /** @return the largest request body the sender builds, in bytes */
    public int maxBatchBytes() { return value(ClientOption.MAX_BATCH_BYTES); }
    /** @return retries after the first attempt on a transient failure */
    public int maxRetries() { return value(ClientOption.MAX_RETRIES); }
    /** @return the first retry delay; it doubles with each retry */
    public long retryDelayMs() { return value(ClientOption.RETRY_DELAY_MS); }
    /** @return the cap on a computed retry delay */
    public long maxRetryDelayMs() { return value(ClientOption.MAX_RETRY_DELAY_MS); }
    /** @return consecutive failed requests that open the circuit breaker */
    public int circuitBreakerThreshold() { return value(ClientOption.CIRCUIT_BREAKER_THRESHOLD); }
    /** @return how long the breaker stays open before a probe */
    public long circuitBreakerResetMs() { return value(ClientOption.CIRCUIT_BREAKER_RESET_MS); }
    /**
     * @return the share of entries sent, 0 to 1 (contract C23): each entry is kept with this
     *     probability when it is logged; the others are counted as {@link DropReason#SAMPLED}
     */
    public double sampleRate() { return value(ClientOption.SAMPLE_RATE); }
    /** @return metadata merged into every entry; the entry's own keys win */
    public Map<String, Object> globalMetadata() { return value(ClientOption.GLOBAL_METADATA); }
    /** @return whether an entry without a trace id gets a random UUID */
    public boolean autoTraceId() { return value(ClientOption.AUTO_TRACE_ID); }
    /** @return the payload limits */
    public PayloadLimits payloadLimits() { return payloadLimits; }
    /** @return whether diagnostics print debug detail */
    public boolean debug() { return value(ClientOption.DEBUG); }
    /** @return HTTP connect timeout */
    public long connectTimeoutMs() { return value(ClientOption.CONNECT_TIMEOUT_MS); }
    /** @return HTTP read timeout */
    public long readTimeoutMs() { return value(ClientOption.READ_TIMEOUT_MS); }
    /** @return HTTP write timeout */
    public long writeTimeoutMs() { return value(ClientOption.WRITE_TIMEOUT_MS); }
    /** @return the longest one ingest request may take from start to the end of its answer, in ms */
    public long requestTimeoutMs() { return value(ClientOption.REQUEST_TIMEOUT_MS); }
    /** @return how long {@link LogTideClient#close()} may spend flushing */
    public long closeTimeoutMs() { return value(ClientOption.CLOSE_TIMEOUT_MS); }
    /** @return whether the client closes itself in a JVM shutdown hook */
    public boolean registerShutdownHook() { return value(ClientOption.REGISTER_SHUTDOWN_HOOK); }
    /** @return where diagnostics go, or {@code null} for stderr */
    public DiagnosticListener diagnosticListener() { return diagnosticListener; }
    /** @return the hook every entry passes before it is sent, or {@code null} for none */
    public UnaryOperator<LogEntry> beforeSend() { return beforeSend; }

    /**
     * @return a builder holding these options, to derive options that differ in a few (the
     *     adapters add their diagnostics channel this way)
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        System.arraycopy(values, 0, b.values, 0, values.length);
        Arrays.fill(b.explicit, true); // settled values: the environment no longer stands in for them
        b.payloadLimits = payloadLimits;
        b.diagnosticListener = diagnosticListener;
        b.beforeSend = beforeSend;
        return b;
    }

    /** The value of an option kept here; its setter put a value of the option's type. */
    @SuppressWarnings("unchecked")
    <T> T value(ClientOption<T> option) {
        return (T) values[option.index()];
    }

    /** Every option in table order; secrets as {@code ****}, global metadata by its keys only. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ClientOptions{");
        for (ClientOption<?> option : ClientOption.all()) {
            if (option.index() >= 0) {
                Object v = values[option.index()];
                s.append(option.name()).append('=')
                        .append(option.isSecret() && v != null ? "****" : v instanceof Map ? ((Map<?, ?>) v).keySet() : v)
                        .append(", ");
            }
        }
        return s.append("payloadLimits=").append(payloadLimits).append('}').toString();
    }

    /** Builds {@link ClientOptions}. Every setter names the option as documented. */
    public static final class Builder {
        /** The values of the options kept in {@link ClientOptions}, by {@link ClientOption#index()}. */
        private final Object[] values = ClientOption.defaults();
        /** Which values were set, so the environment stands in only for the others. */
        private final boolean[] explicit = new boolean[values.length];
        private PayloadLimits payloadLimits = PayloadLimits.defaults();
        private DiagnosticListener diagnosticListener;
        private UnaryOperator<LogEntry> beforeSend;

        private Builder() {
        }

        /**
         * @param apiUrl the server's base URL, {@code http(s)://host[:port][/base]} (required)
         * @return this builder
         */
        public Builder apiUrl(String apiUrl) { return put(ClientOption.API_URL, blankToNull(apiUrl)); }
        /**
         * @param apiKey the project API key, {@code lp_...} (required)
         * @return this builder
         */
        public Builder apiKey(String apiKey) { return put(ClientOption.API_KEY, blankToNull(apiKey)); }
        /**
         * @param service default service name for entries that name none
         * @return this builder
         */
        public Builder service(String service) { return put(ClientOption.SERVICE, blankToNull(service)); }
        /**
         * @param batchSize entries per request, 1 to 1000; default 100. Several waiting batches leave in one request of up to 1000
         * @return this builder
         */
        public Builder batchSize(int batchSize) { return put(ClientOption.BATCH_SIZE, batchSize); }
        /**
         * @param ms longest wait for a batch to fill; default 5000
         * @return this builder
         */
        public Builder flushIntervalMs(long ms) { return put(ClientOption.FLUSH_INTERVAL_MS, ms); }
        /**
         * @param entries most entries buffered; default 500,000 (at the default {@code maxBufferBytes}, the byte bound is reached first)
         * @return this builder
         */
        public Builder maxBufferSize(int entries) { return put(ClientOption.MAX_BUFFER_SIZE, entries); }
        /**
         * @param bytes most bytes buffered (estimated, about the heap the entries keep alive); default 64 MiB
         * @return this builder
         */
        public Builder maxBufferBytes(long bytes) { return put(ClientOption.MAX_BUFFER_BYTES, bytes); }
        /**
         * @param ms how long a log call may wait for room when the buffer is full; default 0 (drop)
         * @return this builder
         */
        public Builder blockWhenFullMs(long ms) { return put(ClientOption.BLOCK_WHEN_FULL_MS, ms); }
        /**
         * @param dir a directory (created when missing) where entries the server cannot take now
         *            are written, framed and checksummed, and delivered from later, in this process
         *            or the next one that opens it; {@code null} or blank for none (the default).
         *            One client per directory: a second finds it locked and runs in memory.
         *            An unusable directory is reported once and the client runs in memory; see
         *            docs/architecture.md, "Durable delivery"
         * @return this builder
         */
        public Builder spoolDir(String dir) { return put(ClientOption.SPOOL_DIR, blankToNull(dir)); }
        /**
         * @param bytes most bytes of spool files (records and framing), at least 64 KiB; default
         *              100 MiB. Beyond it nothing more is spooled: entries wait in memory and what
         *              memory cannot keep is dropped as {@link DropReason#SPOOL_FULL}
         * @return this builder
         */
        public Builder maxSpoolBytes(long bytes) { return put(ClientOption.MAX_SPOOL_BYTES, bytes); }
        /**
         * @param bytes largest request body; default 4 MiB
         * @return this builder
         */
        public Builder maxBatchBytes(int bytes) { return put(ClientOption.MAX_BATCH_BYTES, bytes); }
        /**
         * @param retries retries on a transient failure; default 3
         * @return this builder
         */
        public Builder maxRetries(int retries) { return put(ClientOption.MAX_RETRIES, retries); }
        /**
         * @param ms first retry delay, doubled per retry; default 1000
         * @return this builder
         */
        public Builder retryDelayMs(long ms) { return put(ClientOption.RETRY_DELAY_MS, ms); }
        /**
         * @param ms cap on a computed retry delay; default 30,000
         * @return this builder
         */
        public Builder maxRetryDelayMs(long ms) { return put(ClientOption.MAX_RETRY_DELAY_MS, ms); }
        /**
         * @param failures consecutive failed requests that open the breaker; default 5
         * @return this builder
         */
        public Builder circuitBreakerThreshold(int failures) { return put(ClientOption.CIRCUIT_BREAKER_THRESHOLD, failures); }
        /**
         * @param ms how long the breaker stays open before a probe; default 30,000
         * @return this builder
         */
        public Builder circuitBreakerResetMs(long ms) { return put(ClientOption.CIRCUIT_BREAKER_RESET_MS, ms); }

        /**
         * Samples entries (contract C23): each entry is kept with this probability, drawn afresh
         * when it is logged, at every level (errors are not exempt); the others are dropped before
         * they take buffer room, counted as {@link DropReason#SAMPLED}. 0 sends nothing, 1 sends
         * all. {@code LOGTIDE_SAMPLE_RATE} stands in when it is not set. Default 1.
         *
         * @param rate the share kept, 0 to 1 inclusive; {@link #build()} refuses anything else
         * @return this builder
         */
        public Builder sampleRate(double rate) { return put(ClientOption.SAMPLE_RATE, rate); }

        /**
         * @param metadata merged into every entry; adds to earlier keys
         * @return this builder
         */
        public Builder globalMetadata(Map<String, ?> metadata) {
            if (metadata != null && !metadata.isEmpty()) {
                Map<String, Object> merged = new LinkedHashMap<>(get(ClientOption.GLOBAL_METADATA));
                merged.putAll(metadata);
                put(ClientOption.GLOBAL_METADATA, merged);
            }
            return this;
        }

        /**
         * @param key   a key merged into every entry's metadata
         * @param value its value
         * @return this builder
         */
        public Builder globalMetadata(String key, Object value) {
            return globalMetadata(Collections.singletonMap(key, value));
        }

        /**
         * @param on give entries without a trace id a random UUID; default false
         * @return this builder
         */
        public Builder autoTraceId(boolean on) { return put(ClientOption.AUTO_TRACE_ID, on); }
        /**
         * @param limits payload limits; default {@link PayloadLimits#defaults()}
         * @return this builder
         */
        public Builder payloadLimits(PayloadLimits limits) { this.payloadLimits = limits; return this; }
        /**
         * @param on print debug diagnostics; default false
         * @return this builder
         */
        public Builder debug(boolean on) { return put(ClientOption.DEBUG, on); }
        /**
         * @param ms HTTP connect timeout; default 10,000
         * @return this builder
         */
        public Builder connectTimeoutMs(long ms) { return put(ClientOption.CONNECT_TIMEOUT_MS, ms); }
        /**
         * @param ms HTTP read timeout; default 30,000
         * @return this builder
         */
        public Builder readTimeoutMs(long ms) { return put(ClientOption.READ_TIMEOUT_MS, ms); }
        /**
         * @param ms HTTP write timeout; default 30,000
         * @return this builder
         */
        public Builder writeTimeoutMs(long ms) { return put(ClientOption.WRITE_TIMEOUT_MS, ms); }
        /**
         * @param ms the longest one ingest request may take as a whole (connect, send, the server's
         *           work, reading the answer), so a server that trickles bytes cannot hold delivery;
         *           0 for no limit; default 10,000. A timed-out request is an I/O failure, retried
         * @return this builder
         */
        public Builder requestTimeoutMs(long ms) { return put(ClientOption.REQUEST_TIMEOUT_MS, ms); }
        /**
         * @param ms how long {@code close()} may spend flushing; default 5000
         * @return this builder
         */
        public Builder closeTimeoutMs(long ms) { return put(ClientOption.CLOSE_TIMEOUT_MS, ms); }
        /**
         * @param on close the client in a JVM shutdown hook; default true
         * @return this builder
         */
        public Builder registerShutdownHook(boolean on) { return put(ClientOption.REGISTER_SHUTDOWN_HOOK, on); }
        /**
         * @param listener where diagnostics go; default stderr
         * @return this builder
         */
        public Builder diagnosticListener(DiagnosticListener listener) { this.diagnosticListener = listener; return this; }

        /**
         * A hook every entry passes once before it is sent (contract C22): it returns the entry,
         * a changed one (see {@link LogEntry#toBuilder()}), or {@code null} to drop it, counted as
         * {@link DropReason#BEFORE_SEND}. It runs on the client's sender thread, never on the
         * thread that logs, so a slow hook delays delivery but not the log call; it must be
         * thread-safe only if it is shared with other clients. The entry it sees is the one
         * logged: the values of its {@link LogEntry#scope() scope}, the global metadata and the
         * {@code sdk} block are added when it is encoded, after the hook (a hook strips the scope's
         * with {@code e.toBuilder().scope(null).build()}), and an entry's own metadata wins over both. A hook that
         * throws keeps the original entry (nothing is lost): it is counted in
         * {@link ClientMetrics#beforeSendErrors()} and reported once through diagnostics.
         * Programmatic only: no file or environment setting can hold a function. Default none.
         *
         * @param hook the hook, or {@code null} for none
         * @return this
         */
        public Builder beforeSend(UnaryOperator<LogEntry> hook) { this.beforeSend = hook; return this; }

        /**
         * Sets URL and key from a DSN, {@code https://lp_key@host[:port][/base]}.
         *
         * @param dsn the DSN
         * @throws IllegalArgumentException when it is not such a URL or carries no key
         * @return this builder
         */
        public Builder dsn(String dsn) {
            if (blankToNull(dsn) == null) {
                return this;
            }
            URI uri;
            try {
                uri = new URI(dsn.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("dsn is not a valid URL (expected https://lp_key@host[:port][/base])");
            }
            String key = uri.getRawUserInfo();
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (key == null || key.isEmpty() || uri.getHost() == null
                    || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException("dsn must look like https://lp_key@host[:port][/base]");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("dsn must not contain a query (?...) or a fragment (#...): "
                        + "it must look like https://lp_key@host[:port][/base]");
            }
            int colon = key.indexOf(':');
            put(ClientOption.API_KEY, colon >= 0 ? key.substring(0, colon) : key);
            StringBuilder url = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
            if (uri.getPort() != -1) {
                url.append(':').append(uri.getPort());
            }
            if (uri.getRawPath() != null) {
                url.append(uri.getRawPath());
            }
            return put(ClientOption.API_URL, url.toString());
        }

        /**
         * The DSN as a configuration file or {@code LOGTIDE_DSN} gives it: it fills only what is
         * still unset of URL and key (an explicit key and a DSN for the URL may go together), and
         * is not parsed at all when both are set.
         */
        void dsnWhereUnset(String dsn) {
            String url = get(ClientOption.API_URL);
            String key = get(ClientOption.API_KEY);
            if (url == null || key == null) {
                Builder parsed = new Builder().dsn(dsn);
                put(ClientOption.API_URL, url == null ? parsed.get(ClientOption.API_URL) : url);
                put(ClientOption.API_KEY, key == null ? parsed.get(ClientOption.API_KEY) : key);
            }
        }

        /**
         * Fills what is still unset from environment variables, the {@link ClientOption#environmentVariable()}
         * of each option in table order: {@code LOGTIDE_DSN} first (for whichever of URL and key
         * is unset), then {@code LOGTIDE_API_URL}, {@code LOGTIDE_API_KEY}, {@code LOGTIDE_SERVICE},
         * {@code LOGTIDE_SAMPLE_RATE} and {@code LOGTIDE_SPOOL_DIR}. Blank variables count as unset;
         * an option set on this builder keeps its value.
         *
         * @param env looks up a variable, e.g. {@code System::getenv}
         * @return this builder
         * @throws IllegalArgumentException naming the variable, when {@code LOGTIDE_DSN} is not a
         *     DSN or {@code LOGTIDE_SAMPLE_RATE} not a number between 0 and 1
         */
        public Builder environmentDefaults(Function<String, String> env) {
            for (ClientOption<?> option : ClientOption.all()) {
                String variable = option.environmentVariable();
                String text = variable == null ? null : blankToNull(env.apply(variable));
                int i = option.index();
                if (text != null && (i < 0 || values[i] == null || !explicit[i])) {
                    try {
                        setText(option, text);
                        option.checkIn(values); // out of bounds: named after the variable, not only the option
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(variable + ": " + e.getMessage());
                    }
                }
            }
            return this;
        }

        @SuppressWarnings("unchecked") // parse gives the type of the option's kind
        private <T> void setText(ClientOption<T> option, String text) {
            option.set(this, null, (T) ClientSettings.parse(option, text));
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first option that is missing or invalid
         */
        public ClientOptions build() {
            String apiUrl = get(ClientOption.API_URL);
            String apiKey = get(ClientOption.API_KEY);
            if (apiUrl == null) {
                throw new IllegalArgumentException("apiUrl is required (set apiUrl or dsn, or LOGTIDE_API_URL / LOGTIDE_DSN)");
            }
            String lower = apiUrl.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                throw new IllegalArgumentException("apiUrl must start with http:// or https://, was " + shown(apiUrl, apiKey));
            }
            try {
                URI uri = new URI(apiUrl);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("apiUrl has no host: " + shown(apiUrl, apiKey));
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    // Requests go to apiUrl + /api/v1/ingest; a query would ride along on every one,
                    // and is where keys end up when pasted ("?apiKey=..."): never echoed.
                    throw new IllegalArgumentException("apiUrl must not contain a query (?...) or a fragment (#...): "
                            + "give the server's base URL, and the key in apiKey");
                }
                if (uri.getRawUserInfo() != null) {
                    // The URL is logged and sent in requests; the key must not travel in it.
                    throw new IllegalArgumentException("apiUrl must not contain credentials (user@host): "
                            + "set apiKey, or use dsn for https://lp_key@host");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("apiUrl is not a valid URL: " + shown(apiUrl, apiKey));
            }
            while (apiUrl.endsWith("/")) {
                apiUrl = apiUrl.substring(0, apiUrl.length() - 1);
            }
            put(ClientOption.API_URL, apiUrl);
            if (apiKey == null) {
                throw new IllegalArgumentException("apiKey is required (set apiKey or dsn, or LOGTIDE_API_KEY / LOGTIDE_DSN)");
            }
            requireHeaderSafe(apiKey);
            for (ClientOption<?> option : ClientOption.all()) {
                option.checkIn(values);
            }
            require(payloadLimits != null, "payloadLimits must not be null");
            return new ClientOptions(this);
        }

        /**
         * The key travels in the {@code X-API-Key} header, which carries visible ASCII only; a
         * character pasted with it (a no-break space, a BOM, a line break, an accent) would make
         * every request fail, and HTTP clients put the whole header value in their error.
         */
        private static void requireHeaderSafe(String key) {
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c < 0x21 || c > 0x7e) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "apiKey has a character an HTTP header cannot carry: U+%04X at position %d of %d "
                                    + "(a space, line break, BOM or no-break space pasted with the key?)",
                            (int) c, i + 1, key.length()));
                }
            }
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }

        /** An invalid apiUrl for an error message, unless it may hold the key (a DSN, or key and URL swapped). */
        private static String shown(String url, String apiKey) {
            boolean secret = url.contains("@") || url.startsWith("lp_") || (apiKey != null && url.contains(apiKey));
            return secret ? "(not shown: it looks like it contains an API key)" : url;
        }

        private <T> Builder put(ClientOption<T> option, T value) {
            values[option.index()] = value;
            explicit[option.index()] = true;
            return this;
        }

        @SuppressWarnings("unchecked")
        private <T> T get(ClientOption<T> option) {
            return (T) values[option.index()];
        }

        private static String blankToNull(String s) {
            return s == null || s.trim().isEmpty() ? null : s.trim();
        }
    }
}
