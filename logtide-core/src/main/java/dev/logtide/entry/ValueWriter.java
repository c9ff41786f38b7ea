package dev.logtide.entry;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.logtide.PayloadLimits;

import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes metadata values as JSON, applying the payload limits on the way: excluded keys, base64
 * removal, string truncation, NUL and surrogate stripping, cycle and depth guards. Any value
 * renders to something; nothing a caller passes can make this throw, except the size guard.
 * Not thread-safe: one per sender.
 */
final class ValueWriter {
    static final String EXCLUDED = "[EXCLUDED]";
    static final String BASE64_REMOVED = "[BASE64 DATA REMOVED]";
    static final String CIRCULAR = "[Circular]";
    static final String MAX_DEPTH_REACHED = "[Max depth reached]";
    static final int MAX_DEPTH = 10;
    static final int MAX_ELEMENTS = 1000;
    private static final int MAX_KEY_LENGTH = 256;

    /** Thrown when an entry grows past the hard size limit while it is being written. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("entry too large", null, false, false);
        }
    }

    private final PayloadLimits limits;
    private final ExceptionSerializer exceptions;
    private final List<Object> path = new ArrayList<>();
    private JsonBuffer out;
    private long sizeLimit = Long.MAX_VALUE;

    ValueWriter(PayloadLimits limits, ExceptionSerializer exceptions) {
        this.limits = limits;
        this.exceptions = exceptions;
    }

    /**
     * Arms the size guard for one entry.
     *
     * @param out   where the generator flushes
     * @param limit the buffer size past which writing stops with {@link TooLarge}
     */
    void guard(JsonBuffer out, long limit) {
        this.out = out;
        this.sizeLimit = limit;
        path.clear();
    }

    /**
     * Writes one object field, masking excluded keys.
     *
     * @param key   the key, already cleaned by {@link #key(Object)}
     * @param depth the nesting depth of {@code value}
     */
    void writeField(JsonGenerator g, String key, Object value, int depth) throws IOException {
        g.writeFieldName(key);
        if (limits.isExcluded(key)) {
            g.writeString(EXCLUDED);
        } else {
            writeValue(g, value, depth);
        }
    }

    String key(Object key) {
        String k = key instanceof String ? (String) key : safeToString(key);
        return Text.clean(k, MAX_KEY_LENGTH, "");
    }

    void writeValue(JsonGenerator g, Object v, int depth) throws IOException {
        if (out != null && out.size() + g.getOutputBuffered() > sizeLimit) {
            throw new TooLarge();
        }
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            g.writeString(string((String) v));
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(String.valueOf(d)); // NaN and Infinity are not JSON
            }
        } else if (v instanceof BigDecimal) {
            g.writeNumber((BigDecimal) v);
        } else if (v instanceof BigInteger) {
            g.writeNumber((BigInteger) v);
        } else if (v instanceof Number) {
            writeOtherNumber(g, (Number) v);
        } else if (v instanceof CharSequence || v instanceof Character) {
            g.writeString(string(safeToString(v)));
        } else if (v instanceof Enum) {
            g.writeString(((Enum<?>) v).name());
        } else if (v instanceof Optional) {
            writeValue(g, ((Optional<?>) v).orElse(null), depth);
        } else if (v instanceof ZonedDateTime) {
            g.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format((ZonedDateTime) v));
        } else if (v instanceof TemporalAccessor) {
            g.writeString(string(safeToString(v))); // java.time's toString is ISO-8601
        } else if (v instanceof Date) {
            g.writeString(date((Date) v));
        } else if (v instanceof Calendar) {
            g.writeString(((Calendar) v).toInstant().toString());
        } else if (v instanceof Throwable) {
            exceptions.write(g, ThrowableView.of((Throwable) v));
        } else if (v instanceof ThrowableView) {
            exceptions.write(g, (ThrowableView) v);
        } else if (v instanceof Map) {
            writeMap(g, (Map<?, ?>) v, depth);
        } else if (v instanceof Collection) {
            writeCollection(g, (Collection<?>) v, depth);
        } else if (v instanceof byte[]) {
            g.writeString("[binary: " + ((byte[]) v).length + " bytes]");
        } else if (v.getClass().isArray()) {
            writeArray(g, v, depth);
        } else {
            g.writeString(string(safeToString(v)));
        }
    }

    private void writeOtherNumber(JsonGenerator g, Number n) throws IOException {
        // AtomicLong, LongAdder, custom Number types: a finite double is the safe common form.
        double d;
        try {
            d = n.doubleValue();
        } catch (RuntimeException e) {
            g.writeString(string(safeToString(n)));
            return;
        }
        if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
            g.writeNumber((long) d);
        } else if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeString(String.valueOf(d));
        }
    }

    private boolean enter(JsonGenerator g, Object container, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            g.writeString(MAX_DEPTH_REACHED);
            return false;
        }
        for (Object o : path) {
            if (o == container) {
                g.writeString(CIRCULAR);
                return false;
            }
        }
        path.add(container);
        return true;
    }

    private void leave() {
        path.remove(path.size() - 1);
    }

    private void writeMap(JsonGenerator g, Map<?, ?> map, int depth) throws IOException {
        if (!enter(g, map, depth)) {
            return;
        }
        g.writeStartObject();
        int n = 0;
        for (Map.Entry<?, ?> kv : map.entrySet()) {
            if (n++ == MAX_ELEMENTS) {
                g.writeStringField("_more", (map.size() - MAX_ELEMENTS) + " more keys");
                break;
            }
            writeField(g, key(kv.getKey()), kv.getValue(), depth + 1);
        }
        g.writeEndObject();
        leave();
    }

    private void writeCollection(JsonGenerator g, Collection<?> c, int depth) throws IOException {
        if (!enter(g, c, depth)) {
            return;
        }
        g.writeStartArray();
        int n = 0;
        for (Object o : c) {
            if (n++ == MAX_ELEMENTS) {
                g.writeString("[" + (c.size() - MAX_ELEMENTS) + " more]");
                break;
            }
            writeValue(g, o, depth + 1);
        }
        g.writeEndArray();
        leave();
    }

    private void writeArray(JsonGenerator g, Object array, int depth) throws IOException {
        if (!enter(g, array, depth)) {
            return;
        }
        int length = Array.getLength(array);
        g.writeStartArray();
        for (int i = 0; i < length; i++) {
            if (i == MAX_ELEMENTS) {
                g.writeString("[" + (length - MAX_ELEMENTS) + " more]");
                break;
            }
            writeValue(g, Array.get(array, i), depth + 1);
        }
        g.writeEndArray();
        leave();
    }

    /** A metadata string: inline binary removed, then cleaned and truncated. */
    String string(String s) {
        if (Text.looksLikeBase64(s)) {
            return BASE64_REMOVED;
        }
        return Text.clean(s, limits.maxFieldSize(), limits.truncationMarker());
    }

    private static String date(Date d) {
        try {
            return d.toInstant().toString();
        } catch (UnsupportedOperationException e) {
            return d.toString(); // java.sql.Date and Time have no instant
        }
    }

    /** toString() of a foreign object: it may throw or return null. */
    static String safeToString(Object o) {
        try {
            String s = String.valueOf(o);
            return s == null ? "null" : s;
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
            return "[toString() threw " + e.getClass().getName() + "]";
        }
    }
}
