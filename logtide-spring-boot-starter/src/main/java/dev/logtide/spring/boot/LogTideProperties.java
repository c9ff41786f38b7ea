package dev.logtide.spring.boot;

import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
import dev.logtide.PayloadLimits;
import dev.logtide.http.HttpLogOptions;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code logtide.*} properties, derived from the option table ({@link ClientOption#all()}) and
 * from {@link HttpLogOptions#OPTION_NAMES}, so that a new option becomes a property without a
 * line here. Names are the options' in kebab case ({@code batchSize} is
 * {@code logtide.batch-size}); Spring Boot's relaxed binding also accepts
 * {@code logtide.batchSize}, {@code LOGTIDE_BATCHSIZE} and YAML.
 *
 * <p>Besides the client options: {@code logtide.enabled} (default {@code true}) and
 * {@code logtide.http.*}, the request-logging options plus {@code logtide.http.enabled}; and
 * {@code logtide.tracing.*} ({@code enabled}, {@code sample-rate}, {@code environment},
 * {@code release}), the span export
 * (docs/spring-boot.md, Tracing).
 */
public final class LogTideProperties {
    /** The prefix of every property. */
    public static final String PREFIX = "logtide";
    /** {@code false} leaves LogTide off even when the URL and key are set. */
    public static final String ENABLED = PREFIX + ".enabled";
    /** The prefix of the request-logging properties. */
    public static final String HTTP_PREFIX = PREFIX + ".http";
    /** {@code false} registers no request-logging filter. */
    public static final String HTTP_ENABLED = HTTP_PREFIX + ".enabled";
    /** The prefix of the span-export properties (with logtide-opentelemetry on the class path). */
    public static final String TRACING_PREFIX = PREFIX + ".tracing";
    /** {@code false} exports no spans even with logtide-opentelemetry on the class path. */
    public static final String TRACING_ENABLED = TRACING_PREFIX + ".enabled";
    /** The share of root spans sampled, 0 to 1 ({@code tracesSampleRate}). */
    public static final String TRACING_SAMPLE_RATE = TRACING_PREFIX + ".sample-rate";
    /** The spans' resource {@code deployment.environment}. */
    public static final String TRACING_ENVIRONMENT = TRACING_PREFIX + ".environment";
    /** The spans' resource {@code service.version}. */
    public static final String TRACING_RELEASE = TRACING_PREFIX + ".release";
    /** The default of {@link #TRACING_SAMPLE_RATE}: every trace. */
    public static final double DEFAULT_TRACING_SAMPLE_RATE = 1.0;

    private LogTideProperties() {
    }

    /**
     * @param option a client option
     * @return its property, {@code logtide.} and the name in kebab case
     */
    public static String propertyName(ClientOption<?> option) {
        return PREFIX + "." + kebab(option.name());
    }

    /**
     * @param httpOption an entry of {@link HttpLogOptions#OPTION_NAMES}
     * @return its property, {@code logtide.http.} and the name in kebab case
     */
    public static String httpPropertyName(String httpOption) {
        return HTTP_PREFIX + "." + kebab(httpOption);
    }

    /**
     * @param kind a kind of option value
     * @return the Java type a property of that kind is bound to
     */
    public static Class<?> javaType(ClientOption.Kind kind) {
        switch (kind) {
            case INT: return Integer.class;
            case LONG: return Long.class;
            case DECIMAL: return Double.class;
            case BOOLEAN: return Boolean.class;
            case LIST: return List.class;
            case KEY_VALUES: return Map.class;
            default: return String.class;
        }
    }

    static String kebab(String camel) {
        StringBuilder s = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                s.append('-').append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Builds the client options from the environment; {@code logtide.service} defaults to
     * {@code spring.application.name}, and what is still unset of the URL, key and service falls
     * back to the {@code LOGTIDE_*} variables, as in every adapter.
     *
     * @param environment Spring's environment
     * @return the options
     * @throws IllegalArgumentException naming the property that is missing or invalid (a value that
     *     does not convert, or one out of bounds)
     */
    static ClientOptions clientOptions(Environment environment) {
        Binder binder = Binder.get(environment);
        List<String> missing = new ArrayList<>();
        if (!isSet(binder, ClientOption.API_URL) && !isSet(binder, ClientOption.DSN)) {
            missing.add(propertyName(ClientOption.API_URL));
        }
        if (!isSet(binder, ClientOption.API_KEY) && !isSet(binder, ClientOption.DSN)) {
            missing.add(propertyName(ClientOption.API_KEY));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not set (nor " + propertyName(ClientOption.DSN) + ")");
        }
        ClientOptions.Builder options = ClientOptions.builder();
        PayloadLimits.Builder limits = PayloadLimits.builder();
        for (ClientOption<?> option : ClientOption.all()) {
            bind(binder, option).ifPresent(value -> set(option, options, limits, value));
        }
        if (binder.bind(propertyName(ClientOption.SERVICE), String.class).map(String::isBlank).orElse(true)) {
            options.service(environment.getProperty("spring.application.name"));
        }
        options.environmentDefaults(System::getenv);
        try {
            options.payloadLimits(limits.build());
            return options.build();
        } catch (IllegalArgumentException e) {
            // The core's message starts with the option's name ("batchSize must be between 1 and
            // 1000, was 5000"); the property is what the user wrote.
            String message = String.valueOf(e.getMessage());
            String first = message.split("[ :]", 2)[0];
            throw new IllegalArgumentException(ClientOption.named(first)
                    .map(option -> propertyName(option) + ": " + message).orElse(message), e);
        }
    }

    /**
     * @param environment Spring's environment
     * @return the request-logging options (without the client), each {@code logtide.http.*} set
     * @throws IllegalArgumentException naming the property whose value is malformed
     */
    static HttpLogOptions.Builder httpOptions(Environment environment) {
        Binder binder = Binder.get(environment);
        HttpLogOptions.Builder b = HttpLogOptions.builder();
        for (String name : HttpLogOptions.OPTION_NAMES) {
            String property = httpPropertyName(name);
            try {
                // Bound as a list so that YAML lists and comma-separated text both work; a
                // single value is a list of one.
                Optional<List<String>> values = optional(binder.bind(property, Bindable.listOf(String.class)));
                if (values.isPresent()) {
                    b.set(name, String.join(",", values.get()));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(property + ": " + rootMessage(e), e);
            }
        }
        return b;
    }

    /** Set as a property, or through the option's {@code LOGTIDE_*} variable. */
    private static boolean isSet(Binder binder, ClientOption<?> option) {
        String variable = option.environmentVariable();
        String fromEnvironment = variable == null ? null : System.getenv(variable);
        return binder.bind(propertyName(option), String.class).map(s -> !s.isBlank()).orElse(false)
                || (fromEnvironment != null && !fromEnvironment.isBlank());
    }

    private static Optional<?> bind(Binder binder, ClientOption<?> option) {
        String property = propertyName(option);
        try {
            switch (option.kind()) {
                case LIST:
                    return optional(binder.bind(property, Bindable.listOf(String.class)));
                case KEY_VALUES:
                    return optional(binder.bind(property, Bindable.mapOf(String.class, String.class)))
                            .map(m -> new LinkedHashMap<String, Object>(m));
                case TEXT:
                    return optional(binder.bind(property, String.class)).filter(s -> !s.isBlank());
                default:
                    return optional(binder.bind(property, javaType(option.kind())));
            }
        } catch (RuntimeException e) {
            // Only numbers and booleans fail to convert: their text is safe to show.
            String text = optional(binder.bind(property, String.class)).orElse("");
            String expected = option.kind() == ClientOption.Kind.BOOLEAN ? "true or false"
                    : option.kind() == ClientOption.Kind.DECIMAL ? "a decimal number" : "a whole number";
            throw new IllegalArgumentException(property + " must be " + expected + ", was '" + text + "' ("
                    + rootMessage(e) + ")", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(ClientOption<T> option, ClientOptions.Builder options, PayloadLimits.Builder limits,
                                Object value) {
        Object typed = value instanceof Collection && !(value instanceof List) ? new ArrayList<>((Collection<?>) value) : value;
        try {
            option.set(options, limits, (T) typed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(propertyName(option) + ": " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> optional(BindResult<T> result) {
        return result.isBound() ? Optional.of(result.get()) : Optional.empty();
    }

    /** A conversion failure's useful part is at the bottom (Spring wraps it twice). */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
