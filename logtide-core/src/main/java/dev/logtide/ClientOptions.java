package dev.logtide;

import dev.logtide.diagnostics.DiagnosticListener;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a {@link LogTideClient} is configured with. Build with {@link #builder()}, or start
 * from the environment with {@link #fromEnvironment()}. Invalid values fail in
 * {@link Builder#build()} with a message that names the option.
 */
public final class ClientOptions {
    /** Largest batch the server accepts. */
    public static final int MAX_BATCH_SIZE = 1000;

    private final String apiUrl;
    private final String apiKey;
    private final String service;
    private final int batchSize;
    private final long flushIntervalMs;
    private final int maxBufferSize;
    private final long maxBufferBytes;
    private final long blockWhenFullMs;
    private final int maxBatchBytes;
    private final int maxRetries;
    private final long retryDelayMs;
    private final long maxRetryDelayMs;
    private final int circuitBreakerThreshold;
    private final long circuitBreakerResetMs;
    private final Map<String, Object> globalMetadata;
    private final boolean autoTraceId;
    private final PayloadLimits payloadLimits;
    private final boolean debug;
    private final long connectTimeoutMs;
    private final long readTimeoutMs;
    private final long writeTimeoutMs;
    private final long requestTimeoutMs;
    private final long closeTimeoutMs;
    private final boolean registerShutdownHook;
    private final DiagnosticListener diagnosticListener;

    private ClientOptions(Builder b) {
        this.apiUrl = b.apiUrl;
        this.apiKey = b.apiKey;
        this.service = b.service;
        this.batchSize = b.batchSize;
        this.flushIntervalMs = b.flushIntervalMs;
        this.maxBufferSize = b.maxBufferSize;
        this.maxBufferBytes = b.maxBufferBytes;
        this.blockWhenFullMs = b.blockWhenFullMs;
        this.maxBatchBytes = b.maxBatchBytes;
        this.maxRetries = b.maxRetries;
        this.retryDelayMs = b.retryDelayMs;
        this.maxRetryDelayMs = b.maxRetryDelayMs;
        this.circuitBreakerThreshold = b.circuitBreakerThreshold;
        this.circuitBreakerResetMs = b.circuitBreakerResetMs;
        this.globalMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.globalMetadata));
        this.autoTraceId = b.autoTraceId;
        this.payloadLimits = b.payloadLimits;
        this.debug = b.debug;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.readTimeoutMs = b.readTimeoutMs;
        this.writeTimeoutMs = b.writeTimeoutMs;
        this.requestTimeoutMs = b.requestTimeoutMs;
        this.closeTimeoutMs = b.closeTimeoutMs;
        this.registerShutdownHook = b.registerShutdownHook;
        this.diagnosticListener = b.diagnosticListener;
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
    public String apiUrl() { return apiUrl; }
    /** @return the project API key; never printed by the library */
    public String apiKey() { return apiKey; }
    /** @return the default service name, or {@code null} ({@code "unknown"} is sent then) */
    public String service() { return service; }
    /** @return entries per request; a batch is sent as soon as this many are waiting */
    public int batchSize() { return batchSize; }
    /** @return the longest an entry waits for its batch to fill, in milliseconds */
    public long flushIntervalMs() { return flushIntervalMs; }
    /** @return the most entries held in memory */
    public int maxBufferSize() { return maxBufferSize; }
    /** @return the most bytes (estimated) held in memory */
    public long maxBufferBytes() { return maxBufferBytes; }
    /** @return how long a log call may wait for room when the buffer is full; 0 drops at once */
    public long blockWhenFullMs() { return blockWhenFullMs; }
    /** @return the largest request body the sender builds, in bytes */
    public int maxBatchBytes() { return maxBatchBytes; }
    /** @return retries after the first attempt on a transient failure */
    public int maxRetries() { return maxRetries; }
    /** @return the first retry delay; it doubles with each retry */
    public long retryDelayMs() { return retryDelayMs; }
    /** @return the cap on a computed retry delay */
    public long maxRetryDelayMs() { return maxRetryDelayMs; }
    /** @return consecutive failed requests that open the circuit breaker */
    public int circuitBreakerThreshold() { return circuitBreakerThreshold; }
    /** @return how long the breaker stays open before a probe */
    public long circuitBreakerResetMs() { return circuitBreakerResetMs; }
    /** @return metadata merged into every entry; the entry's own keys win */
    public Map<String, Object> globalMetadata() { return globalMetadata; }
    /** @return whether an entry without a trace id gets a random UUID */
    public boolean autoTraceId() { return autoTraceId; }
    /** @return the payload limits */
    public PayloadLimits payloadLimits() { return payloadLimits; }
    /** @return whether diagnostics print debug detail */
    public boolean debug() { return debug; }
    /** @return HTTP connect timeout */
    public long connectTimeoutMs() { return connectTimeoutMs; }
    /** @return HTTP read timeout */
    public long readTimeoutMs() { return readTimeoutMs; }
    /** @return HTTP write timeout */
    public long writeTimeoutMs() { return writeTimeoutMs; }
    /** @return the longest one ingest request may take from start to the end of its answer, in ms */
    public long requestTimeoutMs() { return requestTimeoutMs; }
    /** @return how long {@link LogTideClient#close()} may spend flushing */
    public long closeTimeoutMs() { return closeTimeoutMs; }
    /** @return whether the client closes itself in a JVM shutdown hook */
    public boolean registerShutdownHook() { return registerShutdownHook; }
    /** @return where diagnostics go, or {@code null} for stderr */
    public DiagnosticListener diagnosticListener() { return diagnosticListener; }

    @Override
    public String toString() {
        return "ClientOptions{apiUrl=" + apiUrl + ", apiKey=" + (apiKey == null ? "null" : "****")
                + ", service=" + service + ", batchSize=" + batchSize + ", flushIntervalMs=" + flushIntervalMs
                + ", maxBufferSize=" + maxBufferSize + ", maxBufferBytes=" + maxBufferBytes
                + ", blockWhenFullMs=" + blockWhenFullMs + ", maxBatchBytes=" + maxBatchBytes
                + ", maxRetries=" + maxRetries + ", retryDelayMs=" + retryDelayMs
                + ", maxRetryDelayMs=" + maxRetryDelayMs
                + ", circuitBreakerThreshold=" + circuitBreakerThreshold
                + ", circuitBreakerResetMs=" + circuitBreakerResetMs + ", globalMetadata=" + globalMetadata.keySet()
                + ", autoTraceId=" + autoTraceId + ", payloadLimits=" + payloadLimits + ", debug=" + debug
                + ", connectTimeoutMs=" + connectTimeoutMs + ", readTimeoutMs=" + readTimeoutMs
                + ", writeTimeoutMs=" + writeTimeoutMs + ", requestTimeoutMs=" + requestTimeoutMs
                + ", closeTimeoutMs=" + closeTimeoutMs
                + ", registerShutdownHook=" + registerShutdownHook + "}";
    }

    /** Builds {@link ClientOptions}. Every setter names the option as documented. */
    public static final class Builder {
        private String apiUrl;
        private String apiKey;
        private String service;
        private int batchSize = 100;
        private long flushIntervalMs = 5000;
        private int maxBufferSize = 10_000;
        private long maxBufferBytes = 32L * 1024 * 1024;
        private long blockWhenFullMs;
        private int maxBatchBytes = 4 * 1024 * 1024;
        private int maxRetries = 3;
        private long retryDelayMs = 1000;
        private long maxRetryDelayMs = 30_000;
        private int circuitBreakerThreshold = 5;
        private long circuitBreakerResetMs = 30_000;
        private final Map<String, Object> globalMetadata = new LinkedHashMap<>();
        private boolean autoTraceId;
        private PayloadLimits payloadLimits = PayloadLimits.defaults();
        private boolean debug;
        private long connectTimeoutMs = 10_000;
        private long readTimeoutMs = 30_000;
        private long writeTimeoutMs = 30_000;
        private long requestTimeoutMs = 10_000;
        private long closeTimeoutMs = 5000;
        private boolean registerShutdownHook = true;
        private DiagnosticListener diagnosticListener;

        private Builder() {
        }

        /** @param apiUrl the server's base URL, {@code http(s)://host[:port][/base]} (required) */
        public Builder apiUrl(String apiUrl) { this.apiUrl = blankToNull(apiUrl); return this; }
        /** @param apiKey the project API key, {@code lp_...} (required) */
        public Builder apiKey(String apiKey) { this.apiKey = blankToNull(apiKey); return this; }
        /** @param service default service name for entries that name none */
        public Builder service(String service) { this.service = blankToNull(service); return this; }
        /** @param batchSize entries per request, 1 to 1000; default 100. Several waiting batches leave in one request of up to 1000 */
        public Builder batchSize(int batchSize) { this.batchSize = batchSize; return this; }
        /** @param ms longest wait for a batch to fill; default 5000 */
        public Builder flushIntervalMs(long ms) { this.flushIntervalMs = ms; return this; }
        /** @param entries most entries buffered; default 10,000 */
        public Builder maxBufferSize(int entries) { this.maxBufferSize = entries; return this; }
        /** @param bytes most bytes buffered (estimated); default 32 MiB */
        public Builder maxBufferBytes(long bytes) { this.maxBufferBytes = bytes; return this; }
        /** @param ms how long a log call may wait for room when the buffer is full; default 0 (drop) */
        public Builder blockWhenFullMs(long ms) { this.blockWhenFullMs = ms; return this; }
        /** @param bytes largest request body; default 4 MiB */
        public Builder maxBatchBytes(int bytes) { this.maxBatchBytes = bytes; return this; }
        /** @param retries retries on a transient failure; default 3 */
        public Builder maxRetries(int retries) { this.maxRetries = retries; return this; }
        /** @param ms first retry delay, doubled per retry; default 1000 */
        public Builder retryDelayMs(long ms) { this.retryDelayMs = ms; return this; }
        /** @param ms cap on a computed retry delay; default 30,000 */
        public Builder maxRetryDelayMs(long ms) { this.maxRetryDelayMs = ms; return this; }
        /** @param failures consecutive failed requests that open the breaker; default 5 */
        public Builder circuitBreakerThreshold(int failures) { this.circuitBreakerThreshold = failures; return this; }
        /** @param ms how long the breaker stays open before a probe; default 30,000 */
        public Builder circuitBreakerResetMs(long ms) { this.circuitBreakerResetMs = ms; return this; }

        /** @param metadata merged into every entry; adds to earlier keys */
        public Builder globalMetadata(Map<String, ?> metadata) {
            if (metadata != null) {
                globalMetadata.putAll(metadata);
            }
            return this;
        }

        /**
         * @param key   a key merged into every entry's metadata
         * @param value its value
         */
        public Builder globalMetadata(String key, Object value) {
            globalMetadata.put(key, value);
            return this;
        }

        /** @param on give entries without a trace id a random UUID; default false */
        public Builder autoTraceId(boolean on) { this.autoTraceId = on; return this; }
        /** @param limits payload limits; default {@link PayloadLimits#defaults()} */
        public Builder payloadLimits(PayloadLimits limits) { this.payloadLimits = limits; return this; }
        /** @param on print debug diagnostics; default false */
        public Builder debug(boolean on) { this.debug = on; return this; }
        /** @param ms HTTP connect timeout; default 10,000 */
        public Builder connectTimeoutMs(long ms) { this.connectTimeoutMs = ms; return this; }
        /** @param ms HTTP read timeout; default 30,000 */
        public Builder readTimeoutMs(long ms) { this.readTimeoutMs = ms; return this; }
        /** @param ms HTTP write timeout; default 30,000 */
        public Builder writeTimeoutMs(long ms) { this.writeTimeoutMs = ms; return this; }
        /**
         * @param ms the longest one ingest request may take as a whole (connect, send, the server's
         *           work, reading the answer), so a server that trickles bytes cannot hold delivery;
         *           0 for no limit; default 10,000. A timed-out request is an I/O failure, retried
         */
        public Builder requestTimeoutMs(long ms) { this.requestTimeoutMs = ms; return this; }
        /** @param ms how long {@code close()} may spend flushing; default 5000 */
        public Builder closeTimeoutMs(long ms) { this.closeTimeoutMs = ms; return this; }
        /** @param on close the client in a JVM shutdown hook; default true */
        public Builder registerShutdownHook(boolean on) { this.registerShutdownHook = on; return this; }
        /** @param listener where diagnostics go; default stderr */
        public Builder diagnosticListener(DiagnosticListener listener) { this.diagnosticListener = listener; return this; }

        /**
         * Sets URL and key from a DSN, {@code https://lp_key@host[:port][/base]}.
         *
         * @param dsn the DSN
         * @throws IllegalArgumentException when it is not such a URL or carries no key
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
            this.apiKey = colon >= 0 ? key.substring(0, colon) : key;
            StringBuilder url = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
            if (uri.getPort() != -1) {
                url.append(':').append(uri.getPort());
            }
            if (uri.getRawPath() != null) {
                url.append(uri.getRawPath());
            }
            this.apiUrl = url.toString();
            return this;
        }

        /**
         * Fills what is still unset from environment variables: {@code LOGTIDE_DSN}, else
         * {@code LOGTIDE_API_URL} and {@code LOGTIDE_API_KEY}; and {@code LOGTIDE_SERVICE}.
         *
         * @param env looks up a variable, e.g. {@code System::getenv}
         * @return this builder
         */
        public Builder environmentDefaults(Function<String, String> env) {
            String dsn = blankToNull(env.apply("LOGTIDE_DSN"));
            if (dsn != null && (apiUrl == null || apiKey == null)) {
                Builder fromDsn = new Builder();
                try {
                    fromDsn.dsn(dsn);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("LOGTIDE_DSN: " + e.getMessage());
                }
                // Only the half that is still unset: an explicit apiKey and a DSN for the URL may go together.
                if (apiUrl == null) {
                    apiUrl = fromDsn.apiUrl;
                }
                if (apiKey == null) {
                    apiKey = fromDsn.apiKey;
                }
            }
            if (apiUrl == null) {
                apiUrl(env.apply("LOGTIDE_API_URL"));
            }
            if (apiKey == null) {
                apiKey(env.apply("LOGTIDE_API_KEY"));
            }
            if (service == null) {
                service(env.apply("LOGTIDE_SERVICE"));
            }
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the first option that is missing or invalid
         */
        public ClientOptions build() {
            if (apiUrl == null) {
                throw new IllegalArgumentException("apiUrl is required (set apiUrl or dsn, or LOGTIDE_API_URL / LOGTIDE_DSN)");
            }
            String lower = apiUrl.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                throw new IllegalArgumentException("apiUrl must start with http:// or https://, was " + shown(apiUrl));
            }
            try {
                URI uri = new URI(apiUrl);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("apiUrl has no host: " + shown(apiUrl));
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
                throw new IllegalArgumentException("apiUrl is not a valid URL: " + shown(apiUrl));
            }
            while (apiUrl.endsWith("/")) {
                apiUrl = apiUrl.substring(0, apiUrl.length() - 1);
            }
            if (apiKey == null) {
                throw new IllegalArgumentException("apiKey is required (set apiKey or dsn, or LOGTIDE_API_KEY / LOGTIDE_DSN)");
            }
            requireHeaderSafe(apiKey);
            require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "batchSize must be between 1 and 1000, was " + batchSize);
            require(flushIntervalMs >= 1, "flushIntervalMs must be positive, was " + flushIntervalMs);
            require(maxBufferSize >= 1, "maxBufferSize must be positive, was " + maxBufferSize);
            require(maxBufferBytes >= 1024, "maxBufferBytes must be at least 1024, was " + maxBufferBytes);
            require(blockWhenFullMs >= 0, "blockWhenFullMs must not be negative, was " + blockWhenFullMs);
            require(maxBatchBytes >= 64 * 1024, "maxBatchBytes must be at least 65536, was " + maxBatchBytes);
            require(maxRetries >= 0, "maxRetries must not be negative, was " + maxRetries);
            require(retryDelayMs >= 0, "retryDelayMs must not be negative, was " + retryDelayMs);
            require(maxRetryDelayMs >= retryDelayMs, "maxRetryDelayMs must be at least retryDelayMs, was " + maxRetryDelayMs);
            require(circuitBreakerThreshold >= 1, "circuitBreakerThreshold must be positive, was " + circuitBreakerThreshold);
            require(circuitBreakerResetMs >= 0, "circuitBreakerResetMs must not be negative, was " + circuitBreakerResetMs);
            require(connectTimeoutMs >= 0, "connectTimeoutMs must not be negative, was " + connectTimeoutMs);
            require(readTimeoutMs >= 0, "readTimeoutMs must not be negative, was " + readTimeoutMs);
            require(writeTimeoutMs >= 0, "writeTimeoutMs must not be negative, was " + writeTimeoutMs);
            require(requestTimeoutMs >= 0, "requestTimeoutMs must not be negative, was " + requestTimeoutMs);
            require(closeTimeoutMs >= 0, "closeTimeoutMs must not be negative, was " + closeTimeoutMs);
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
        private String shown(String url) {
            boolean secret = url.contains("@") || url.startsWith("lp_") || (apiKey != null && url.contains(apiKey));
            return secret ? "(not shown: it looks like it contains an API key)" : url;
        }

        private static String blankToNull(String s) {
            return s == null || s.trim().isEmpty() ? null : s.trim();
        }
    }
}
