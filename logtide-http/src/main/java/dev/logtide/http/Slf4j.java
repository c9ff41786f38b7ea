package dev.logtide.http;

import org.slf4j.MDC;

/**
 * Every use of SLF4J's MDC, in one class that is loaded only when SLF4J is present (it is an
 * optional dependency).
 */
final class Slf4j {
    /** Whether SLF4J's MDC can be used. */
    static final boolean MDC_PRESENT = present("org.slf4j.MDC");
    /** Whether SLF4J 2's fluent API, which the logging-framework sink needs, is present. */
    static final boolean FLUENT_API_PRESENT = present("org.slf4j.spi.LoggingEventBuilder");

    private Slf4j() {
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Slf4j.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static String mdcGet(String key) {
        return MDC.get(key);
    }

    /** @param value the value; {@code null} removes the key */
    static void mdcSet(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
