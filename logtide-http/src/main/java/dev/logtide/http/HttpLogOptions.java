package dev.logtide.http;

import dev.logtide.LogTideClient;
import dev.logtide.internal.config.ClientSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options of LogTide's HTTP request logging (the servlet filter and the WebFlux filter),
 * the Python SDK middleware's options under Java names. Immutable; build with {@link #builder()}.
 * Every option is described, with its default, in docs/http.md.
 */
public final class HttpLogOptions {
    /** The logger the request entries go to when no client is given. */
    public static final String LOGGER_NAME = "dev.logtide.http";

    /** The option names accepted by {@link Builder#set(String, String)} (servlet init parameters). */
    public static final List<String> OPTION_NAMES = Collections.unmodifiableList(Arrays.asList(
            "serviceName", "logRequests", "logResponses", "logQueryString", "logClientAddress",
            "trustForwardedFor", "headers", "skipPaths", "skipHealthChecks", "autoTraceId",
            "traceIdResponseHeader"));

    /** Paths skipped while {@code skipHealthChecks} is on, as in the Python SDK. */
    public static final List<String> HEALTH_CHECK_PATHS = Collections.unmodifiableList(Arrays.asList("/health", "/healthz"));

    /**
     * Request headers never logged, even when listed in {@code headers}: they carry credentials
     * (the SDK contract's list, C16).
     */
    public static final Set<String> NEVER_LOGGED_HEADERS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token")));

    private final LogTideClient client;
    private final String serviceName;
    private final boolean logRequests;
    private final boolean logResponses;
    private final boolean logQueryString;
    private final boolean logClientAddress;
    private final boolean trustForwardedFor;
    private final List<String> headers;
    private final List<String> skipPaths;
    private final boolean skipHealthChecks;
    private final boolean autoTraceId;
    private final String traceIdResponseHeader;

    private HttpLogOptions(Builder b) {
        this.client = b.client;
        this.serviceName = b.serviceName;
        this.logRequests = b.logRequests;
        this.logResponses = b.logResponses;
        this.logQueryString = b.logQueryString;
        this.logClientAddress = b.logClientAddress;
        this.trustForwardedFor = b.trustForwardedFor;
        this.headers = Collections.unmodifiableList(new ArrayList<>(b.headers));
        this.skipPaths = Collections.unmodifiableList(new ArrayList<>(b.skipPaths));
        this.skipHealthChecks = b.skipHealthChecks;
        this.autoTraceId = b.autoTraceId;
        this.traceIdResponseHeader = b.traceIdResponseHeader;
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.client = client;
        b.serviceName = serviceName;
        b.logRequests = logRequests;
        b.logResponses = logResponses;
        b.logQueryString = logQueryString;
        b.logClientAddress = logClientAddress;
        b.trustForwardedFor = trustForwardedFor;
        b.headers = new ArrayList<>(headers);
        b.skipPaths = new ArrayList<>(skipPaths);
        b.skipHealthChecks = skipHealthChecks;
        b.autoTraceId = autoTraceId;
        b.traceIdResponseHeader = traceIdResponseHeader;
        return b;
    }

    /** @return the client entries go to, or {@code null}: then they go to the SLF4J logger {@value #LOGGER_NAME} */
    public LogTideClient client() { return client; }
    /** @return the service of the entries sent through the client, or {@code null} for the client's own */
    public String serviceName() { return serviceName; }
    /** @return whether a request entry is logged when a request arrives (default true) */
    public boolean logRequests() { return logRequests; }
    /** @return whether a response entry is logged when a request completes (default true) */
    public boolean logResponses() { return logResponses; }
    /** @return whether the query string is logged (default false: it often holds secrets) */
    public boolean logQueryString() { return logQueryString; }
    /** @return whether the client's address is logged as {@code ip} (default true) */
    public boolean logClientAddress() { return logClientAddress; }
    /** @return whether the first {@code X-Forwarded-For} address is taken as the client's (default false) */
    public boolean trustForwardedFor() { return trustForwardedFor; }
    /** @return the request headers logged, lower case (default none); never a credential header */
    public List<String> headers() { return headers; }
    /** @return the extra Ant-style path patterns not logged (default none) */
    public List<String> skipPaths() { return skipPaths; }
    /** @return whether {@code /health} and {@code /healthz} are skipped (default true) */
    public boolean skipHealthChecks() { return skipHealthChecks; }
    /** @return whether a request without an inbound trace id, handled outside any current span, gets a new one (default true) */
    public boolean autoTraceId() { return autoTraceId; }
    /** @return the response header the trace id is echoed in, or {@code null} (default) for none */
    public String traceIdResponseHeader() { return traceIdResponseHeader; }

    @Override
    public String toString() {
        return "HttpLogOptions{client=" + client + ", serviceName=" + serviceName + ", logRequests=" + logRequests
                + ", logResponses=" + logResponses + ", logQueryString=" + logQueryString
                + ", logClientAddress=" + logClientAddress + ", trustForwardedFor=" + trustForwardedFor
                + ", headers=" + headers + ", skipPaths=" + skipPaths + ", skipHealthChecks=" + skipHealthChecks
                + ", autoTraceId=" + autoTraceId + ", traceIdResponseHeader=" + traceIdResponseHeader + "}";
    }

    /** Builds {@link HttpLogOptions}. Not thread-safe. */
    public static final class Builder {
        private LogTideClient client;
        private String serviceName;
        private boolean logRequests = true;
        private boolean logResponses = true;
        private boolean logQueryString;
        private boolean logClientAddress = true;
        private boolean trustForwardedFor;
        private List<String> headers = new ArrayList<>();
        private List<String> skipPaths = new ArrayList<>();
        private boolean skipHealthChecks = true;
        private boolean autoTraceId = true;
        private String traceIdResponseHeader;
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param client the client entries are queued on; {@code null} (default) sends them to the
         *               SLF4J logger {@value HttpLogOptions#LOGGER_NAME} instead
         * @return this builder
         */
        public Builder client(LogTideClient client) { this.client = client; return this; }

        /**
         * @param serviceName the service of entries sent through {@link #client(LogTideClient)};
         *                    blank for the client's default. Entries that go through the logging
         *                    framework take the appender's service.
         * @return this builder
         */
        public Builder serviceName(String serviceName) { this.serviceName = blankToNull(serviceName); return this; }

        /**
         * @param on log a request entry when a request arrives (default true)
         * @return this builder
         */
        public Builder logRequests(boolean on) { this.logRequests = on; return this; }

        /**
         * @param on log a response entry when a request completes (default true)
         * @return this builder
         */
        public Builder logResponses(boolean on) { this.logResponses = on; return this; }

        /**
         * @param on log the query string as {@code query} (default false)
         * @return this builder
         */
        public Builder logQueryString(boolean on) { this.logQueryString = on; return this; }

        /**
         * @param on log the client's address as {@code ip} (default true)
         * @return this builder
         */
        public Builder logClientAddress(boolean on) { this.logClientAddress = on; return this; }

        /**
         * @param on take the first {@code X-Forwarded-For} address as the client's (default false:
         *           only behind a proxy that sets it, since a client can send any value)
         * @return this builder
         */
        public Builder trustForwardedFor(boolean on) { this.trustForwardedFor = on; return this; }

        /**
         * Request headers to log as {@code headers}, matched case-insensitively. Credential headers
         * ({@link HttpLogOptions#NEVER_LOGGED_HEADERS}) are left out and reported.
         *
         * @param names header names; {@code null} for none (default)
         * @return this builder
         */
        public Builder headers(List<String> names) {
            this.headers = new ArrayList<>();
            if (names != null) {
                for (String name : names) {
                    if (name == null || name.trim().isEmpty()) {
                        continue;
                    }
                    String lower = name.trim().toLowerCase(Locale.ROOT);
                    if (NEVER_LOGGED_HEADERS.contains(lower)) {
                        problems.add("headers: " + name.trim() + " carries credentials and is never logged");
                    } else if (!headers.contains(lower)) {
                        headers.add(lower);
                    }
                }
            }
            return this;
        }

        /**
         * Ant-style patterns of paths (within the application, without its context path) that are
         * not logged: {@code ?} one character, {@code *} any characters within a segment,
         * {@code **} any number of segments ({@code /static/**}).
         *
         * @param patterns the patterns, added to the health checks while {@link #skipHealthChecks(boolean)} is on
         * @return this builder
         */
        public Builder skipPaths(List<String> patterns) {
            this.skipPaths = new ArrayList<>();
            if (patterns != null) {
                for (String p : patterns) {
                    if (p != null && !p.trim().isEmpty()) {
                        skipPaths.add(p.trim());
                    }
                }
            }
            return this;
        }

        /**
         * @param on skip {@code /health} and {@code /healthz} (default true)
         * @return this builder
         */
        public Builder skipHealthChecks(boolean on) { this.skipHealthChecks = on; return this; }

        /**
         * @param on give a request that brings no trace id, and is handled while no span is current,
         *           a new one, 32 lowercase hex characters (default true); a current span's ids are
         *           taken either way
         * @return this builder
         */
        public Builder autoTraceId(boolean on) { this.autoTraceId = on; return this; }

        /**
         * @param header a response header to echo the request's trace id in (for example
         *               {@code X-Trace-Id}); {@code null} or blank (default) echoes nothing
         * @return this builder
         */
        public Builder traceIdResponseHeader(String header) { this.traceIdResponseHeader = blankToNull(header); return this; }

        /**
         * Sets an option from text, as servlet init parameters give it: booleans {@code true} or
         * {@code false}, lists comma-separated.
         *
         * @param option one of {@link HttpLogOptions#OPTION_NAMES}
         * @param value  the text; {@code null} leaves the option as it is
         * @return this builder
         * @throws IllegalArgumentException for an unknown option or a malformed value, with a
         *     message naming both (never the value of a credential)
         */
        public Builder set(String option, String value) {
            if (value == null) {
                return this;
            }
            String v = value.trim();
            switch (option == null ? "" : option) {
                case "serviceName": return serviceName(v);
                case "logRequests": return logRequests(ClientSettings.toBoolean(option, v));
                case "logResponses": return logResponses(ClientSettings.toBoolean(option, v));
                case "logQueryString": return logQueryString(ClientSettings.toBoolean(option, v));
                case "logClientAddress": return logClientAddress(ClientSettings.toBoolean(option, v));
                case "trustForwardedFor": return trustForwardedFor(ClientSettings.toBoolean(option, v));
                case "headers": return headers(ClientSettings.parseList(v));
                case "skipPaths": return skipPaths(ClientSettings.parseList(v));
                case "skipHealthChecks": return skipHealthChecks(ClientSettings.toBoolean(option, v));
                case "autoTraceId": return autoTraceId(ClientSettings.toBoolean(option, v));
                case "traceIdResponseHeader": return traceIdResponseHeader(v);
                default: throw new IllegalArgumentException("unknown option '" + option + "'; known: " + OPTION_NAMES);
            }
        }

        /**
         * @return what was given but left out (a credential header in {@code headers}), one
         *     sentence each, for the caller to report through its diagnostics channel
         */
        public List<String> problems() {
            return Collections.unmodifiableList(new ArrayList<>(problems));
        }

        /** @return the options */
        public HttpLogOptions build() {
            return new HttpLogOptions(this);
        }

        private static String blankToNull(String s) {
            return s == null || s.trim().isEmpty() ? null : s.trim();
        }
    }
}
