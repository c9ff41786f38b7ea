package dev.logtide.internal.config;

import dev.logtide.ClientOption;
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
import java.util.stream.Collectors;

/**
 * The client options as text, the way logging frameworks hand them over (XML elements and
 * attributes, properties). Every adapter collects its configuration here and calls
 * {@link #toOptions(Function)}, so option names, parsing, environment fallback and error
 * messages are the same in Logback, Log4j2 and JUL. The options, their kinds and how each one
 * sets the builder come from the option table, {@link ClientOption#all()}.
 */
public final class ClientSettings {
    /** Every option name an adapter accepts, in the order of {@link ClientOption#all()}. */
    public static final List<String> OPTION_NAMES = ClientOption.all().stream()
            .map(ClientOption::name).collect(Collectors.toUnmodifiableList());

    /** Context keys an adapter reads for the trace id unless its {@code traceIdKey} says otherwise. */
    public static final String DEFAULT_TRACE_ID_KEYS = "trace_id,traceId";
    /** Context keys an adapter reads for the span id unless its {@code spanIdKey} says otherwise. */
    public static final String DEFAULT_SPAN_ID_KEYS = "span_id,spanId";

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
        if (ClientOption.named(option).isEmpty()) {
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
        PayloadLimits.Builder limits = PayloadLimits.builder();
        for (ClientOption<?> option : ClientOption.all()) {
            String text = values.get(option.name());
            if (text != null) {
                set(option, parse(option, text), b, limits);
            }
        }
        b.environmentDefaults(env);
        b.globalMetadata(extraMetadata);
        b.diagnosticListener(diagnosticListener);
        b.payloadLimits(limits.build());
        return b.build();
    }

    /**
     * Options built in code, reporting to the adapter's channel unless they name a listener of
     * their own.
     *
     * @param options  the options given to an adapter
     * @param listener the framework's status channel
     * @return {@code options}, or a copy with {@code listener}
     */
    public static ClientOptions reportingTo(ClientOptions options, DiagnosticListener listener) {
        return options.diagnosticListener() != null ? options
                : options.toBuilder().diagnosticListener(listener).build();
    }

    /**
     * The context keys an adapter reads for an id, first present wins.
     *
     * @param text     comma-separated keys as configured; unset or blank gives the defaults
     * @param defaults {@link #DEFAULT_TRACE_ID_KEYS} or {@link #DEFAULT_SPAN_ID_KEYS}
     * @return the keys in order
     */
    public static List<String> contextKeys(String text, String defaults) {
        List<String> keys = parseList(text);
        return Collections.unmodifiableList(keys.isEmpty() ? parseList(defaults) : keys);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(values);
        for (ClientOption<?> option : ClientOption.all()) {
            if (option.isSecret()) {
                shown.replace(option.name(), "****");
            }
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

    /**
     * @param option an option
     * @param text   configuration text for it, trimmed
     * @return the text as a value of the option's kind
     * @throws IllegalArgumentException naming the option, when the text is not of its kind
     */
    public static Object parse(ClientOption<?> option, String text) {
        switch (option.kind()) {
            case INT: return toInt(option.name(), text);
            case LONG: return toLong(option.name(), text);
            case DECIMAL: return toDecimal(option.name(), text);
            case BOOLEAN: return toBoolean(option.name(), text);
            case LIST: return parseList(text);
            case KEY_VALUES: return parseKeyValues(option.name(), text);
            default: return text;
        }
    }

    @SuppressWarnings("unchecked") // parse gives the type of the option's kind
    private static <T> void set(ClientOption<T> option, Object value, ClientOptions.Builder b, PayloadLimits.Builder limits) {
        option.set(b, limits, (T) value);
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

    private static double toDecimal(String option, String v) {
        try {
            return Double.parseDouble(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a decimal number such as 0.25, got '" + v + "'");
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
