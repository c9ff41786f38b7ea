package dev.logtide.config;

import dev.logtide.ClientOptions;
import dev.logtide.PayloadLimits;
import dev.logtide.diagnostics.DiagnosticListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The client options as text, the way logging frameworks hand them over (XML elements and
 * attributes, properties). Every adapter collects its configuration here and calls
 * {@link #toOptions(Function)}, so option names, parsing, environment fallback and error
 * messages are the same in Logback, Log4j2 and JUL.
 */
public final class ClientSettings {
    /** Every option name an adapter accepts, in documentation order. */
    public static final List<String> OPTION_NAMES = Collections.unmodifiableList(java.util.Arrays.asList(
            "apiUrl", "apiKey", "dsn", "service",
            "batchSize", "flushIntervalMs", "maxBufferSize", "maxBufferBytes", "blockWhenFullMs", "maxBatchBytes",
            "maxRetries", "retryDelayMs", "maxRetryDelayMs", "circuitBreakerThreshold", "circuitBreakerResetMs",
            "maxFieldSize", "maxLogSize", "excludeFields", "truncationMarker",
            "globalMetadata", "autoTraceId", "debug",
            "connectTimeoutMs", "readTimeoutMs", "writeTimeoutMs", "requestTimeoutMs", "closeTimeoutMs", "registerShutdownHook"));

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Object> extraMetadata = new LinkedHashMap<>();
    private DiagnosticListener diagnosticListener;

    /**
     * Sets an option from text. Blank values are ignored, so an unset placeholder such as an empty
     * {@code ${LOGTIDE_API_KEY}} falls back to the environment.
     *
     * @param option an entry of {@link #OPTION_NAMES}
     * @param value  its text
     * @throws IllegalArgumentException for an unknown option
     */
    public void set(String option, String value) {
        if (!OPTION_NAMES.contains(option)) {
            throw new IllegalArgumentException("unknown LogTide option '" + option + "'; known: " + OPTION_NAMES);
        }
        if (value == null || value.trim().isEmpty()) {
            values.remove(option);
        } else {
            values.put(option, value.trim());
        }
    }

    /**
     * @param option an option name
     * @return its text, or {@code null} when unset
     */
    public String get(String option) {
        return values.get(option);
    }

    /**
     * Adds one global metadata key, for frameworks with nested key/value elements.
     *
     * @param key   the key
     * @param value its value
     */
    public void putGlobalMetadata(String key, Object value) {
        if (key != null && !key.trim().isEmpty()) {
            extraMetadata.put(key.trim(), value);
        }
    }

    /** @param listener where the client's diagnostics go (the framework's status system) */
    public void setDiagnosticListener(DiagnosticListener listener) {
        this.diagnosticListener = listener;
    }

    /**
     * Builds validated options; unset URL, key and service fall back to the {@code LOGTIDE_*}
     * variables.
     *
     * @param env looks up environment variables, e.g. {@code System::getenv}
     * @return the options
     * @throws IllegalArgumentException naming the option that is missing or invalid
     */
    public ClientOptions toOptions(Function<String, String> env) {
        ClientOptions.Builder b = ClientOptions.builder();
        b.dsn(get("dsn"));
        if (get("apiUrl") != null) {
            b.apiUrl(get("apiUrl"));
        }
        if (get("apiKey") != null) {
            b.apiKey(get("apiKey"));
        }
        b.service(get("service"));
        b.environmentDefaults(env);
        ifSet("batchSize", v -> b.batchSize(toInt("batchSize", v)));
        ifSet("flushIntervalMs", v -> b.flushIntervalMs(toLong("flushIntervalMs", v)));
        ifSet("maxBufferSize", v -> b.maxBufferSize(toInt("maxBufferSize", v)));
        ifSet("maxBufferBytes", v -> b.maxBufferBytes(toLong("maxBufferBytes", v)));
        ifSet("blockWhenFullMs", v -> b.blockWhenFullMs(toLong("blockWhenFullMs", v)));
        ifSet("maxBatchBytes", v -> b.maxBatchBytes(toInt("maxBatchBytes", v)));
        ifSet("maxRetries", v -> b.maxRetries(toInt("maxRetries", v)));
        ifSet("retryDelayMs", v -> b.retryDelayMs(toLong("retryDelayMs", v)));
        ifSet("maxRetryDelayMs", v -> b.maxRetryDelayMs(toLong("maxRetryDelayMs", v)));
        ifSet("circuitBreakerThreshold", v -> b.circuitBreakerThreshold(toInt("circuitBreakerThreshold", v)));
        ifSet("circuitBreakerResetMs", v -> b.circuitBreakerResetMs(toLong("circuitBreakerResetMs", v)));
        ifSet("autoTraceId", v -> b.autoTraceId(toBoolean("autoTraceId", v)));
        ifSet("debug", v -> b.debug(toBoolean("debug", v)));
        ifSet("connectTimeoutMs", v -> b.connectTimeoutMs(toLong("connectTimeoutMs", v)));
        ifSet("readTimeoutMs", v -> b.readTimeoutMs(toLong("readTimeoutMs", v)));
        ifSet("writeTimeoutMs", v -> b.writeTimeoutMs(toLong("writeTimeoutMs", v)));
        ifSet("requestTimeoutMs", v -> b.requestTimeoutMs(toLong("requestTimeoutMs", v)));
        ifSet("closeTimeoutMs", v -> b.closeTimeoutMs(toLong("closeTimeoutMs", v)));
        ifSet("registerShutdownHook", v -> b.registerShutdownHook(toBoolean("registerShutdownHook", v)));
        ifSet("globalMetadata", v -> b.globalMetadata(parseKeyValues("globalMetadata", v)));
        b.globalMetadata(extraMetadata);
        b.diagnosticListener(diagnosticListener);

        PayloadLimits.Builder limits = PayloadLimits.builder();
        ifSet("maxFieldSize", v -> limits.maxFieldSize(toInt("maxFieldSize", v)));
        ifSet("maxLogSize", v -> limits.maxLogSize(toInt("maxLogSize", v)));
        ifSet("excludeFields", v -> limits.excludeFields(parseList(v)));
        ifSet("truncationMarker", v -> limits.truncationMarker(v));
        b.payloadLimits(limits.build());
        return b.build();
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(values);
        if (shown.containsKey("apiKey")) {
            shown.put("apiKey", "****");
        }
        if (shown.containsKey("dsn")) {
            shown.put("dsn", "****");
        }
        return "ClientSettings" + shown;
    }

    /**
     * Parses {@code key=value,key=value}.
     *
     * @param option the option name, for the error message
     * @param text   the text
     * @return the pairs in order
     * @throws IllegalArgumentException when a pair has no {@code =} or an empty key
     */
    public static Map<String, Object> parseKeyValues(String option, String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String pair : parseList(text)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " must be key=value pairs separated by commas, got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    /**
     * @param text comma-separated values
     * @return the trimmed, non-empty values
     */
    public static List<String> parseList(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.trim().isEmpty()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private void ifSet(String option, java.util.function.Consumer<String> apply) {
        String v = values.get(option);
        if (v != null) {
            apply.accept(v);
        }
    }

    private static int toInt(String option, String v) {
        try {
            return Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + v + "'");
        }
    }

    private static long toLong(String option, String v) {
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + v + "'");
        }
    }

    /**
     * @param option the option name, for the error message
     * @param v      {@code true} or {@code false}, in any case
     * @return the value
     * @throws IllegalArgumentException for any other text
     */
    public static boolean toBoolean(String option, String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw new IllegalArgumentException(option + " must be true or false, got '" + v + "'");
        }
    }
}
