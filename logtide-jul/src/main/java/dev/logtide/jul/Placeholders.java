package dev.logtide.jul;

import java.util.function.Function;

/**
 * Expands {@code ${...}} in handler properties. The JDK's LogManager hands property values over
 * verbatim (unlike Logback, Log4j2 or Tomcat's JULI), and an API key does not belong in a file
 * that is checked in, so the handler resolves references itself:
 * <ul>
 *   <li>{@code ${name}}: the system property {@code name}, else the environment variable
 *   {@code name};</li>
 *   <li>{@code ${sys:name}}: only the system property;</li>
 *   <li>{@code ${env:NAME}}: only the environment variable;</li>
 *   <li>{@code ${name:-fallback}}: {@code fallback} when the reference is unset or empty.</li>
 * </ul>
 * A reference that resolves to nothing becomes the empty string, which the settings treat as
 * unset (so the option's default or the {@code LOGTIDE_*} fallback applies). A {@code ${} without
 * a closing brace is kept as it is.
 */
final class Placeholders {
    private Placeholders() {
    }

    /**
     * @param text   a property value, or {@code null}
     * @param sysProps looks up system properties
     * @param env    looks up environment variables
     * @return the value with every reference replaced, or {@code null} for {@code null}
     */
    static String expand(String text, Function<String, String> sysProps, Function<String, String> env) {
        if (text == null || !text.contains("${")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int start = text.indexOf("${", from);
            int end = start < 0 ? -1 : text.indexOf('}', start + 2);
            if (end < 0) {
                out.append(text, from, text.length());
                return out.toString();
            }
            out.append(text, from, start).append(resolve(text.substring(start + 2, end), sysProps, env));
            from = end + 1;
        }
    }

    private static String resolve(String reference, Function<String, String> sysProps, Function<String, String> env) {
        String name = reference;
        String fallback = "";
        int sep = reference.indexOf(":-");
        if (sep >= 0) {
            name = reference.substring(0, sep);
            fallback = reference.substring(sep + 2);
        }
        name = name.trim();
        String value;
        if (name.startsWith("sys:")) {
            value = lookup(sysProps, name.substring(4));
        } else if (name.startsWith("env:")) {
            value = lookup(env, name.substring(4));
        } else {
            value = lookup(sysProps, name);
            if (value == null) {
                value = lookup(env, name);
            }
        }
        return value == null ? fallback : value;
    }

    /** System.getProperty("") throws, so an empty name is unset rather than an error. */
    private static String lookup(Function<String, String> source, String name) {
        String key = name.trim();
        String value = key.isEmpty() ? null : source.apply(key);
        return value == null || value.isEmpty() ? null : value;
    }
}
