package dev.logtide.internal.entry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.logtide.PayloadLimits;
import dev.logtide.ThrowableView;

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
import java.util.function.LongSupplier;

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
    /** The key that says how many keys of a map were left out: {@code "_more": "N more keys"}. */
    static final String MORE = "_more";
    private static final String MORE_SUFFIX = " more keys";
    private static final int MAX_KEY_LENGTH = 256;

    /** Thrown when an entry grows past the hard size limit while it is being written. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("entry too large", null, false, false);
        }
    }

    /** Integers beyond this magnitude lose digits in a JavaScript number (the server parses JSON in Node.js). */
    static final long MAX_SAFE_INTEGER = 1L << 53;
    private static final BigInteger MAX_SAFE_BIG_INTEGER = BigInteger.valueOf(MAX_SAFE_INTEGER);

    /** Slots of the key cache and of the string cache: a power of two. */
    private static final int KEY_CACHE = 64;
    /** Keys and strings longer than this are not cached. */
    private static final int MAX_CACHED_KEY = 64;

    private final PayloadLimits limits;
    private final ExceptionSerializer exceptions;
    /**
     * Keys written before, direct-mapped by hash code: a key that comes back entry after entry (an
     * MDC key, logger, thread) is cleaned, checked against the exclusions and encoded once instead
     * of each time. Only keys that are plain printable ASCII without quote or backslash are kept,
     * whose encoded form is their characters, so what is written is what Jackson writes for them.
     */
    private final String[] cachedKeys = new String[KEY_CACHE];
    private final SerializableString[] cachedNames = new SerializableString[KEY_CACHE];
    private final boolean[] cachedExcluded = new boolean[KEY_CACHE];
    /**
     * Short string values met before, the same way: a value that repeats (a logger or thread
     * name, an MDC value) is encoded the second time it is met and copied from then on. A value
     * met once (a request id) costs its hash code and no encoding.
     */
    private final String[] seenStrings = new String[KEY_CACHE];
    private final SerializableString[] encodedStrings = new SerializableString[KEY_CACHE];
    private final List<Object> path = new ArrayList<>();
    private LongSupplier position;
    private long sizeLimit = Long.MAX_VALUE;
    private int stringCap;

    ValueWriter(PayloadLimits limits, ExceptionSerializer exceptions) {
        this.limits = limits;
        this.exceptions = exceptions;
        this.stringCap = limits.maxFieldSize();
    }

    /**
     * Arms the size guard and the string cap for one pass over an entry.
     *
     * @param position  bytes written so far, flushed or not
     * @param limit     the position past which writing stops with {@link TooLarge}
     * @param stringCap the longest string, in characters: {@code maxFieldSize}, or less while an
     *                  entry over {@code maxLogSize} is reduced
     */
    void guard(LongSupplier position, long limit, int stringCap) {
        this.position = position;
        this.sizeLimit = limit;
        this.stringCap = Math.min(stringCap, limits.maxFieldSize());
        path.clear();
    }

    /**
     * Treats a map whose entries become top-level keys as already entered, so a value that
     * contains that map again is {@code "[Circular]"} at its first repeat. Ended by {@link #leave()}.
     *
     * @param root the metadata, context or global metadata map
     */
    void within(Object root) {
        path.add(root);
    }

    /**
     * Writes one object field, masking excluded keys.
     *
     * @param key   the key, already cleaned by {@link #key(Object)}
     * @param depth the nesting depth of {@code value}
     */
    void writeField(JsonGenerator g, String key, Object value, int depth) throws IOException {
        writeName(g, key);
        writeFieldValue(g, key, value, depth);
    }

    /**
     * Writes an object field's name.
     *
     * @param key the key, already cleaned by {@link #key(Object)}
     */
    void writeName(JsonGenerator g, String key) throws IOException {
        int slot = cached(key);
        if (slot >= 0) {
            g.writeFieldName(cachedNames[slot]);
            return;
        }
        g.writeFieldName(key);
        if (cacheable(key)) {
            slot = key.hashCode() & (KEY_CACHE - 1);
            cachedKeys[slot] = key;
            cachedNames[slot] = new SerializedString(key);
            cachedExcluded[slot] = limits.isExcluded(key);
        }
    }

    /** @return the slot holding {@code key}, or -1 */
    private int cached(String key) {
        int slot = key.hashCode() & (KEY_CACHE - 1);
        return key.equals(cachedKeys[slot]) ? slot : -1;
    }

    /** Whether a string's encoded form is its own characters: printable ASCII without quote or backslash. */
    private static boolean cacheable(String key) {
        if (key.length() > MAX_CACHED_KEY) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the value of a field whose name was just written, masked when its key is excluded.
     *
     * @param key   the key, already cleaned by {@link #key(Object)}
     * @param depth the nesting depth of {@code value}
     */
    void writeFieldValue(JsonGenerator g, String key, Object value, int depth) throws IOException {
        int slot = cached(key);
        if (slot >= 0 ? cachedExcluded[slot] : limits.isExcluded(key)) {
            g.writeString(EXCLUDED);
        } else {
            writeValue(g, value, depth);
        }
    }

    String key(Object key) {
        if (key instanceof String && cached((String) key) >= 0) {
            return (String) key; // clean: only clean keys are cached
        }
        String k = key instanceof String ? (String) key : safeToString(key);
        return Text.clean(k, MAX_KEY_LENGTH, "");
    }

    void writeValue(JsonGenerator g, Object v, int depth) throws IOException {
        if (position != null && position.getAsLong() > sizeLimit) {
            throw new TooLarge();
        }
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String) {
            writeString(g, (String) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).intValue());
        } else if (v instanceof Long) {
            writeLong(g, (Long) v);
        } else if (v instanceof Double) {
            double d = (Double) v;
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(String.valueOf(d)); // NaN and Infinity are not JSON
            }
        } else if (v instanceof Float) {
            float f = (Float) v;
            if (Float.isFinite(f)) {
                g.writeNumber(f); // the float's own shortest digits: 0.1f is 0.1, not 0.10000000149011612
            } else {
                g.writeString(String.valueOf(f));
            }
        } else if (v instanceof BigDecimal) {
            writeDecimal(g, (BigDecimal) v);
        } else if (v instanceof BigInteger) {
            BigInteger i = (BigInteger) v;
            if (i.abs().compareTo(MAX_SAFE_BIG_INTEGER) <= 0) {
                g.writeNumber(i);
            } else {
                g.writeString(i.toString());
            }
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

    /** Within +-2^53 a number; beyond, the exact digits as a string (JavaScript would round them). */
    private static void writeLong(JsonGenerator g, long l) throws IOException {
        if (l >= -MAX_SAFE_INTEGER && l <= MAX_SAFE_INTEGER) {
            g.writeNumber(l);
        } else {
            g.writeString(Long.toString(l));
        }
    }

    /**
     * A number when a JavaScript number reads back the same value (the shortest form of the
     * nearest double equals it: 0.1 does, 1e400 and 9007199254740993 do not), else the exact digits
     * as a string.
     */
    private static void writeDecimal(JsonGenerator g, BigDecimal d) throws IOException {
        double nearest = d.doubleValue();
        if (Double.isFinite(nearest) && BigDecimal.valueOf(nearest).compareTo(d) == 0) {
            g.writeNumber(d);
        } else {
            g.writeString(d.toString());
        }
    }

    private void writeOtherNumber(JsonGenerator g, Number n) throws IOException {
        // AtomicLong, LongAdder, DoubleAdder, custom Number types: their decimal text is exact, so
        // the same rule as for BigDecimal applies; a toString() that is no number falls back to the double.
        String text = safeToString(n);
        try {
            writeDecimal(g, new BigDecimal(text));
            return;
        } catch (NumberFormatException e) {
            // not decimal digits: NaN, Infinity, or a custom format
        }
        double d;
        try {
            d = n.doubleValue();
        } catch (RuntimeException e) {
            g.writeString(string(text));
            return;
        }
        if (Double.isFinite(d)) {
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

    /** Ends what {@link #within(Object)} or entering a container began. */
    void leave() {
        path.remove(path.size() - 1);
    }

    private void writeMap(JsonGenerator g, Map<?, ?> map, int depth) throws IOException {
        if (!enter(g, map, depth)) {
            return;
        }
        g.writeStartObject();
        int n = 0;
        int seen = 0;
        long more = 0;
        for (Map.Entry<?, ?> kv : map.entrySet()) {
            seen++;
            long marked = moreMarker(kv.getKey(), kv.getValue());
            if (marked >= 0) {
                more += marked; // a map copied by Snapshot already says how many keys it left out
                continue;
            }
            if (n++ == MAX_ELEMENTS) {
                more += Math.max(1, map.size() - seen + 1);
                break;
            }
            writeField(g, key(kv.getKey()), kv.getValue(), depth + 1);
        }
        if (more > 0) {
            g.writeStringField(MORE, more + " more keys");
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

    /**
     * @return N when {@code key} and {@code value} are the marker {@code "_more": "N more keys"}
     *     that this class and {@link dev.logtide.Snapshot} write for the keys a map left out, else -1
     */
    static long moreMarker(Object key, Object value) {
        if (!MORE.equals(key) || !(value instanceof String)) {
            return -1;
        }
        String s = (String) value;
        int digits = s.length() - MORE_SUFFIX.length();
        if (digits < 1 || digits > 18 || !s.endsWith(MORE_SUFFIX)) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Writes a metadata string as {@code g.writeString(string(s))} does, from the string cache when it repeats. */
    private void writeString(JsonGenerator g, String s) throws IOException {
        int n = s.length();
        if (n <= MAX_CACHED_KEY && n <= stringCap) { // not cut: the cached form is the whole string
            int slot = s.hashCode() & (KEY_CACHE - 1);
            if (s.equals(seenStrings[slot])) {
                SerializableString encoded = encodedStrings[slot];
                if (encoded == null && cacheable(s) && !Text.looksLikeBase64(s)) {
                    encoded = new SerializedString(s);
                    encodedStrings[slot] = encoded;
                }
                if (encoded != null) {
                    g.writeString(encoded);
                    return;
                }
            } else {
                seenStrings[slot] = s;
                encodedStrings[slot] = null;
            }
        }
        g.writeString(string(s));
    }

    /** A metadata string: inline binary removed, then cleaned and truncated. */
    String string(String s) {
        if (Text.looksLikeBase64(s)) {
            return BASE64_REMOVED;
        }
        return Text.clean(s, stringCap, limits.truncationMarker());
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
