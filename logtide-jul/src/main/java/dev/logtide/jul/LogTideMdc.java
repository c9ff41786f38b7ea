package dev.logtide.jul;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A per-thread diagnostic context for java.util.logging, which has none of its own: what SLF4J's
 * {@code MDC} and Log4j2's {@code ThreadContext} are to the other adapters. {@link LogTideHandler}
 * sends the publishing thread's entries as top-level metadata keys; {@code trace_id} (or
 * {@code traceId}) and {@code span_id} (or {@code spanId}) also become the entry's trace and span
 * ids.
 *
 * <pre>{@code
 * try (LogTideMdc.Scope ignored = LogTideMdc.with("user_id", user.id())) {
 *     logger.info("Checkout started");   // metadata.user_id = "..."
 * }
 * }</pre>
 *
 * <p>Values are strings, or numbers and booleans given as such ({@code with("latencyMs", 870)}),
 * which keep their JSON type in the entry (JUL's own records carry no named values: this is
 * where a typed field goes). Only immutable values can be stored, so what is sent is what was set.
 *
 * <p>The context is not inherited by threads started inside it. Every change replaces the
 * thread's map with a new immutable one, so a log call takes it without copying.
 */
public final class LogTideMdc {
    private static final ThreadLocal<Map<String, Object>> CURRENT = new ThreadLocal<>();

    private LogTideMdc() {
    }

    /**
     * @param key   the key; {@code null} is ignored
     * @param value the value; {@code null} removes the key
     */
    public static void put(String key, String value) {
        set(key, value);
    }

    /**
     * @param key   the key; {@code null} is ignored
     * @param value the value, sent as a JSON number (beyond +-2^53 as a string of its digits)
     */
    public static void put(String key, long value) {
        set(key, value);
    }

    /**
     * @param key   the key; {@code null} is ignored
     * @param value the value, sent as a JSON number ({@code NaN} and infinities as strings)
     */
    public static void put(String key, double value) {
        set(key, value);
    }

    /**
     * @param key   the key; {@code null} is ignored
     * @param value the value, sent as a JSON boolean
     */
    public static void put(String key, boolean value) {
        set(key, value);
    }

    /** @param value a String, Long, Double or Boolean, or {@code null} to remove the key */
    private static void set(String key, Object value) {
        if (key == null) {
            return;
        }
        Map<String, Object> current = snapshot();
        if (value == null && !current.containsKey(key)) {
            return;
        }
        Map<String, Object> next = new LinkedHashMap<>(current);
        if (value == null) {
            next.remove(key);
        } else {
            next.put(key, value);
        }
        set(next);
    }

    /**
     * @param key a key
     * @return its value on this thread (a String, Long, Double or Boolean), or {@code null}
     */
    public static Object get(String key) {
        return snapshot().get(key);
    }

    /** @param key the key to remove from this thread's context */
    public static void remove(String key) {
        put(key, null);
    }

    /** Empties this thread's context. */
    public static void clear() {
        CURRENT.remove();
    }

    /** @return this thread's context, immutable; empty when nothing is set */
    public static Map<String, Object> snapshot() {
        Map<String, Object> current = CURRENT.get();
        return current == null ? Collections.emptyMap() : current;
    }

    /**
     * Sets a key until the returned scope is closed, which restores the key's previous value.
     *
     * @param key   the key
     * @param value the value for the scope; {@code null} removes the key inside it
     * @return a scope to close on this thread
     */
    public static Scope with(String key, String value) {
        return scoped(key, value);
    }

    /**
     * Sets a number until the returned scope is closed, which restores the key's previous value.
     *
     * @param key   the key
     * @param value the value for the scope, sent as a JSON number
     * @return a scope to close on this thread
     */
    public static Scope with(String key, long value) {
        return scoped(key, value);
    }

    /**
     * Sets a number until the returned scope is closed, which restores the key's previous value.
     *
     * @param key   the key
     * @param value the value for the scope, sent as a JSON number
     * @return a scope to close on this thread
     */
    public static Scope with(String key, double value) {
        return scoped(key, value);
    }

    /**
     * Sets a boolean until the returned scope is closed, which restores the key's previous value.
     *
     * @param key   the key
     * @param value the value for the scope, sent as a JSON boolean
     * @return a scope to close on this thread
     */
    public static Scope with(String key, boolean value) {
        return scoped(key, value);
    }

    private static Scope scoped(String key, Object value) {
        Scope scope = new Scope(key, get(key));
        set(key, value);
        return scope;
    }

    private static void set(Map<String, Object> next) {
        if (next.isEmpty()) {
            CURRENT.remove();
        } else {
            CURRENT.set(Collections.unmodifiableMap(next));
        }
    }

    /** Restores one key's previous value when closed. */
    public static final class Scope implements AutoCloseable {
        private final String key;
        private final Object previous;

        private Scope(String key, Object previous) {
            this.key = key;
            this.previous = previous;
        }

        @Override
        public void close() {
            set(key, previous);
        }
    }
}
