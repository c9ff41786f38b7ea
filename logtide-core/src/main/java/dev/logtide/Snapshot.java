package dev.logtide;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Copies the values a log call hands over, on the calling thread, so the entry is what was logged:
 * a map or list changed after the call does not change what is sent, and nothing the sender does
 * later runs the caller's code (a {@code toString()} that never returns would otherwise stop
 * delivery for good). For adapters as well as the client.
 *
 * <ul>
 *   <li>Immutable values ({@code String}, boxed primitives, {@code BigDecimal}, {@code BigInteger},
 *       enums, {@code UUID}, {@code java.time} values, exceptions) are kept as they are.</li>
 *   <li>Maps, collections and arrays are copied, at most {@value #MAX_ELEMENTS} elements each (the
 *       rest is marked as {@code "_more": "N more keys"} or {@code "[N more]"}, as the encoder marks
 *       them), to a depth of {@value #MAX_DEPTH}; iteration stops there, so an endless iterator
 *       cannot hold the call. A container that contains itself is copied once and its repeats
 *       point at the copy, so the encoder still sees the cycle ({@code "[Circular]"}).</li>
 *   <li>Other numbers ({@code AtomicLong}, {@code LongAdder}) become a {@code BigDecimal} of their
 *       digits; dates and calendars are cloned; anything else becomes its {@code toString()} now.</li>
 *   <li>A value that throws while it is copied or rendered becomes
 *       {@code "[<class>: <exception class>]"}; the call goes on.</li>
 * </ul>
 */
public final class Snapshot {
    /** The most elements copied from one map, collection or array. */
    public static final int MAX_ELEMENTS = 1000;
    /** The deepest container copied; deeper ones are left to the encoder, which cuts them. */
    public static final int MAX_DEPTH = 10;

    private Snapshot() {
    }

    /**
     * @param metadata a log call's metadata, or {@code null}
     * @return a copy nobody else holds, as described above ({@code null} for {@code null})
     */
    public static Map<String, Object> of(Map<String, ?> metadata) {
        if (metadata == null) {
            return null;
        }
        // Not wrapped: a container inside that points back at the top must find this very map.
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copyMap(metadata, 0, new IdentityHashMap<>());
        return copy;
    }

    /**
     * @param value one value handed to a log call
     * @return the value to keep, as described above
     */
    public static Object value(Object value) {
        return copy(value, 0, new IdentityHashMap<>());
    }

    private static Object copy(Object v, int depth, IdentityHashMap<Object, Object> seen) {
        if (isImmutable(v)) {
            return v;
        }
        Object repeat = seen.get(v);
        if (repeat != null) {
            return repeat;
        }
        if (depth >= MAX_DEPTH) {
            return v;
        }
        try {
            if (v instanceof Map) {
                return copyMap((Map<?, ?>) v, depth, seen);
            }
            if (v instanceof Collection) {
                List<Object> copy = new ArrayList<>();
                seen.put(v, copy);
                int n = 0;
                for (Object o : (Collection<?>) v) {
                    if (n++ == MAX_ELEMENTS) {
                        copy.add("[" + Math.max(1, ((Collection<?>) v).size() - MAX_ELEMENTS) + " more]");
                        break;
                    }
                    copy.add(copy(o, depth + 1, seen));
                }
                return copy;
            }
            if (v instanceof byte[]) {
                return v; // sent as its length only
            }
            if (v.getClass().isArray()) {
                int length = Array.getLength(v);
                List<Object> copy = new ArrayList<>(Math.min(length, MAX_ELEMENTS + 1));
                seen.put(v, copy);
                for (int i = 0; i < Math.min(length, MAX_ELEMENTS); i++) {
                    copy.add(copy(Array.get(v, i), depth + 1, seen));
                }
                if (length > MAX_ELEMENTS) {
                    copy.add("[" + (length - MAX_ELEMENTS) + " more]");
                }
                return copy;
            }
            if (v instanceof Optional) {
                return Optional.ofNullable(copy(((Optional<?>) v).orElse(null), depth + 1, seen));
            }
            if (v instanceof Number) {
                return number((Number) v);
            }
            if (v instanceof Date) {
                return ((Date) v).clone();
            }
            if (v instanceof Calendar) {
                return ((Calendar) v).clone();
            }
            return String.valueOf(v);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            return "[" + v.getClass().getName() + ": " + e.getClass().getName() + "]";
        }
    }

    private static Object copyMap(Map<?, ?> map, int depth, IdentityHashMap<Object, Object> seen) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        seen.put(map, copy);
        int n = 0;
        for (Map.Entry<?, ?> kv : map.entrySet()) {
            if (n++ == MAX_ELEMENTS) {
                copy.put("_more", Math.max(1, map.size() - MAX_ELEMENTS) + " more keys");
                break;
            }
            Object key = kv.getKey();
            copy.put(isImmutable(key) ? key : String.valueOf(key), copy(kv.getValue(), depth + 1, seen));
        }
        return copy;
    }

    /** A mutable or custom number keeps its exact digits; one that has none (NaN) becomes text. */
    private static Object number(Number n) {
        String digits = String.valueOf(n);
        try {
            return new BigDecimal(digits);
        } catch (NumberFormatException notDecimal) {
            return digits;
        }
    }

    private static boolean isImmutable(Object v) {
        return v == null || v instanceof String || v instanceof Boolean || v instanceof Character
                || v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Float
                || v instanceof Short || v instanceof Byte || v instanceof BigDecimal || v instanceof BigInteger
                || v instanceof Enum || v instanceof UUID || v instanceof Throwable
                || ((v instanceof TemporalAccessor || v instanceof TemporalAmount)
                    && v.getClass().getName().startsWith("java.time."));
    }
}
