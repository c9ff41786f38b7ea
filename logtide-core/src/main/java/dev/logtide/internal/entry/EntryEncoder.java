package dev.logtide.internal.entry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideScope;
import dev.logtide.PayloadLimits;
import dev.logtide.ThrowableView;
import dev.logtide.TraceContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Turns an entry into the JSON object the server accepts, written with Jackson's streaming
 * generator straight into a {@link JsonBuffer}: normalisation (time, service, message, span id),
 * metadata assembly (context, global metadata, the SDK block, the structured exception) and
 * payload limits all happen here, on the sender thread. Not thread-safe.
 */
public final class EntryEncoder {
    /** Longest service name the server stores. */
    public static final int MAX_SERVICE_LENGTH = 100;
    /** Message of an entry whose message was null or empty. */
    public static final String EMPTY_MESSAGE = "(empty message)";
    /** Service of an entry when neither it nor the options name one. */
    public static final String UNKNOWN_SERVICE = "unknown";

    /** Keys the entry itself fills; a context key equal to one of these goes under {@code mdc}. */
    private static final Set<String> RESERVED = new HashSet<>(Arrays.asList(
            "logger", "thread", "exception", "sdk", "mdc", "markers"));
    /** Serialisation stops past this many times {@code maxLogSize}; such an entry is reduced anyway. */
    private static final int HARD_LIMIT_FACTOR = 8;
    /** Strings are cut no shorter than this before whole values are given up. */
    static final int MIN_CAP = 128;
    /** {@code _original_size} is counted up to this (beyond the server's 50 MiB body limit). */
    static final long MAX_MEASURED = 64L << 20;
    /** A top-level value given up to make an entry fit {@code maxLogSize}. */
    static final String REMOVED = "[REMOVED: entry over maxLogSize]";
    private static final long REMOVED_BYTES = Text.jsonLength(REMOVED);
    /** Top-level keys a scope adds besides its extras: tags, user, breadcrumbs, session_id. */
    private static final int SCOPE_KEYS = 4;
    /** Top-level metadata keys written, like {@link ValueWriter#MAX_ELEMENTS} for nested maps. */
    static final int MAX_TOP_KEYS = ValueWriter.MAX_ELEMENTS;
    private static final String EXCEPTION = "exception";
    /** How many top-level keys were left out, {@code "N more keys"}, as for nested maps. */
    private static final String MORE = ValueWriter.MORE;
    static final String TRUNCATED = "_truncated";
    static final String ORIGINAL_SIZE = "_original_size";
    /** Where the values of user keys go that the SDK fills in this entry (its markers, the exception). */
    static final String SHADOWED = "_shadowed";
    /** The reduced form shortens its message down to this many characters to fit {@code maxLogSize}. */
    private static final int MIN_REDUCED_MESSAGE = 16;
    /**
     * A trace id is never cut by {@code maxFieldSize} (the server takes any string): only one too
     * long for even the minimal form to fit {@code maxLogSize} is shortened, down to this.
     */
    private static final int MIN_REDUCED_TRACE_ID = 128;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    // Names and values written into every entry, encoded once: Jackson then copies their bytes
    // instead of scanning and escaping the same text for each entry.
    private static final SerializableString TIME = new SerializedString("time");
    private static final SerializableString SERVICE = new SerializedString("service");
    private static final SerializableString LEVEL = new SerializedString("level");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString METADATA = new SerializedString("metadata");
    private static final SerializableString SDK = new SerializedString("sdk");
    private static final SerializableString[] LEVELS = Arrays.stream(LogLevel.values())
            .map(l -> new SerializedString(l.wireName())).toArray(SerializableString[]::new);
    private static final SerializableString SDK_JSON = new SerializedString("{\"name\":\""
            + new String(JsonStringEncoder.getInstance().quoteAsString(SdkInfo.NAME)) + "\",\"version\":\""
            + new String(JsonStringEncoder.getInstance().quoteAsString(SdkInfo.VERSION)) + "\"}");

    private final PayloadLimits limits;
    private final String defaultService;
    private final Map<String, Object> globalMetadata;
    private final boolean autoTraceId;
    private final ExceptionSerializer exceptions;
    private final ValueWriter values;
    private final IsoTime time = new IsoTime();
    private final KeySet written = new KeySet();
    private final SplittableRandom random = new SplittableRandom();
    private final JsonBuffer out;
    private final LongSupplier bufferPosition;
    private final ByteCounter counter = new ByteCounter();
    /** Top-level keys whose values are replaced in the current pass. */
    private final Set<String> dropped = new HashSet<>();
    /** Top-level keys left out in the current pass (their values are no larger than the placeholder). */
    private final Set<String> omitted = new HashSet<>();
    private final List<String> shadowedKeys = new ArrayList<>();
    private final List<Object> shadowedValues = new ArrayList<>();
    private int userKeys;
    private long moreKeys;
    private boolean shadowException;
    /** A user's own {@code _more} value, held until it is known whether the SDK writes one. */
    private Object userMore;
    private boolean hasUserMore;
    private boolean reduced;
    /** Whether {@link #top} must look at each key before writing it (see {@link #skipped}). */
    private boolean keyChecks;
    private final List<String> spanKeys = new ArrayList<>();
    private final List<Long> spanStarts = new ArrayList<>();
    private final List<Long> spanValueStarts = new ArrayList<>();
    private long spanTotal;
    private LongSupplier spanPosition;
    private boolean spansComplete;
    private JsonGenerator gen;

    /**
     * @param options the client's options
     * @param out     where entries are appended
     */
    public EntryEncoder(ClientOptions options, JsonBuffer out) {
        this.limits = options.payloadLimits();
        this.defaultService = normaliseService(options.service(), UNKNOWN_SERVICE);
        this.globalMetadata = options.globalMetadata();
        this.autoTraceId = options.autoTraceId();
        this.exceptions = new ExceptionSerializer(limits);
        this.values = new ValueWriter(limits, exceptions);
        this.out = out;
        this.gen = newGenerator();
        this.bufferPosition = () -> this.out.size() + gen.getOutputBuffered();
    }

    /** The outcome of encoding one entry. */
    public enum Result {
        /** Written in full. */
        OK,
        /** Larger than {@code maxLogSize} (or not writable as given): written in reduced form. */
        TRUNCATED
    }

    /**
     * Appends one entry's JSON object to the buffer. Never throws for anything the entry holds:
     * an entry that cannot be written as given is written in a reduced form instead.
     *
     * <p>An entry over {@code maxLogSize} is reduced by one mechanism, in one order of sacrifice
     * (docs/architecture.md, "Size reduction"): first every string longer than a common cap is cut
     * to it (the message included), the cap lowered until the entry fits or reaches
     * {@value #MIN_CAP} characters; then whole top-level metadata values are replaced, the largest
     * first, the exception last (down to its type and message); then, if that still cannot fit, the
     * minimal form. Every reduced entry carries {@code _truncated: true} and {@code _original_size},
     * the size in bytes it would have had.
     *
     * @param entry the entry
     * @return whether it was written in full
     */
    public Result encode(LogEntry entry) {
        int start = out.size();
        long original;
        try {
            String message = entry.message();
            // A message longer than maxLogSize cannot fit: count its bytes instead of writing them.
            boolean longMessage = message != null && message.length() > limits.maxLogSize();
            long size = attempt(entry, start, start + (long) limits.maxLogSize() * HARD_LIMIT_FACTOR,
                    longMessage ? "" : message(entry, Integer.MAX_VALUE), limits.maxFieldSize(), -1);
            if (size < 0) {
                size = measure(entry, longMessage ? "" : message(entry, Integer.MAX_VALUE));
            }
            if (size <= limits.maxLogSize() && !longMessage) {
                return Result.OK;
            }
            original = longMessage ? size - 2 + Text.jsonLength(message) : size;
            out.truncate(start);
            reduce(entry, start, original);
        } catch (IOException | RuntimeException | StackOverflowError | AssertionError | LinkageError e) {
            // A hostile value (a map mutated concurrently, a broken iterator): keep the entry itself.
            // An Error escaping here would be retried by the sender forever, stalling delivery.
            restart(start);
            writeMinimal(entry, -1);
        } finally {
            exceptions.cap(Integer.MAX_VALUE);
        }
        return Result.TRUNCATED;
    }

    /**
     * One pass over the entry into the buffer.
     *
     * @param limit    the buffer position past which writing stops
     * @param cap      the longest string, in characters
     * @param original {@code _original_size} for a reduced pass, or -1 for the entry as given
     * @return the bytes written, or -1 when the pass stopped at {@code limit} (the buffer is then
     *     back at {@code start})
     */
    private long attempt(LogEntry e, int start, long limit, String message, int cap, long original)
            throws IOException {
        values.guard(bufferPosition, limit, cap);
        exceptions.cap(original < 0 ? Integer.MAX_VALUE : cap); // as given: raw keeps its own, longer limit
        try {
            writeEntry(gen, e, message, cap, original);
            gen.flush();
        } catch (ValueWriter.TooLarge tooLarge) {
            restart(start);
            return -1;
        }
        long size = out.size() - start;
        if (start + size > limit) {
            out.truncate(start);
            return -1;
        }
        return size;
    }

    /** The entry's size as given, counted without keeping the bytes, up to {@link #MAX_MEASURED}. */
    private long measure(LogEntry e, String message) throws IOException {
        counter.reset();
        JsonGenerator g = JSON.createGenerator(counter, JsonEncoding.UTF8);
        values.guard(() -> counter.count() + g.getOutputBuffered(), MAX_MEASURED, limits.maxFieldSize());
        exceptions.cap(Integer.MAX_VALUE);
        try {
            writeEntry(g, e, message, limits.maxFieldSize(), -1);
            g.flush();
        } catch (ValueWriter.TooLarge tooLarge) {
            return MAX_MEASURED; // a lower bound: counting stopped here
        }
        return counter.count();
    }

    private void reduce(LogEntry e, int start, long original) throws IOException {
        int maxLogSize = limits.maxLogSize();
        // 1. Strings, longest first.
        dropped.clear();
        omitted.clear();
        if (fitStrings(e, start, original)) {
            return;
        }
        // 2. Whole values, those that save the most first, the exception last. Each round measures the
        // entry as it now is (one counting pass) and gives up values until the estimate fits; a
        // round ends early only on a wrong estimate, so a few rounds do, whatever the entry holds.
        try {
            while (true) {
                List<Span> spans = spans(e, original);
                long size = spans.isEmpty() ? spanTotal : spans.get(0).total;
                if (spansComplete && size <= maxLogSize && fitStrings(e, start, original)) {
                    return;
                }
                boolean progress = false;
                for (Span span : spans) {
                    if (dropped.contains(span.key) || omitted.contains(span.key)) {
                        continue;
                    }
                    progress = true;
                    if (span.omit) {
                        omitted.add(span.key);
                    } else {
                        dropped.add(span.key);
                    }
                    size -= span.saves;
                    if (size <= maxLogSize) {
                        break;
                    }
                }
                if (!progress) {
                    break;
                }
            }
        } finally {
            dropped.clear();
            omitted.clear();
        }
        // 3. Nothing left to give up but the metadata itself.
        out.truncate(start);
        writeMinimal(e, original);
    }

    /**
     * Writes the entry with the largest common string cap at which it fits (strings longer than the
     * cap are cut to it, shorter ones stay whole), if one of at least {@value #MIN_CAP} exists.
     *
     * @return whether the entry now fits and is written
     */
    private boolean fitStrings(LogEntry e, int start, long original) throws IOException {
        long fitLimit = (long) start + limits.maxLogSize();
        int low = MIN_CAP;
        if (attempt(e, start, fitLimit, message(e, low), low, original) < 0) {
            return false;
        }
        int high = limits.maxLogSize(); // no longer string fits anyway
        boolean lowWritten = true;
        while (low < high) {
            int mid = (int) (((long) low + high + 1) / 2);
            out.truncate(start);
            lowWritten = attempt(e, start, fitLimit, message(e, mid), mid, original) >= 0;
            if (lowWritten) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        if (!lowWritten) {
            out.truncate(start);
            attempt(e, start, fitLimit, message(e, low), low, original);
        }
        return true;
    }

    /** A top-level metadata key, and what giving up its value saves at the smallest cap. */
    private static final class Span implements Comparable<Span> {
        final String key;
        /** Left out (its value is no larger than the placeholder), rather than replaced. */
        final boolean omit;
        final long saves;
        final long total;

        Span(String key, boolean omit, long saves, long total) {
            this.key = key;
            this.omit = omit;
            this.saves = saves;
            this.total = total;
        }

        @Override
        public int compareTo(Span o) {
            boolean exception = EXCEPTION.equals(key);
            if (exception != EXCEPTION.equals(o.key)) {
                return exception ? 1 : -1;
            }
            return Long.compare(o.saves, saves);
        }
    }

    /**
     * Counts each top-level value at the smallest cap: the order in which values are given up, and
     * what each saves. A value larger than {@link #REMOVED} is replaced by it; a smaller one would
     * grow, so its key is left out instead and counted in {@code _more}. The exception is reduced
     * to its headline.
     */
    private List<Span> spans(LogEntry e, long original) throws IOException {
        counter.reset();
        JsonGenerator g = JSON.createGenerator(counter, JsonEncoding.UTF8);
        LongSupplier position = () -> counter.count() + g.getOutputBuffered();
        values.guard(position, MAX_MEASURED, MIN_CAP);
        exceptions.cap(MIN_CAP);
        spanKeys.clear();
        spanStarts.clear();
        spanValueStarts.clear();
        spanPosition = position;
        spansComplete = true;
        try {
            writeEntry(g, e, message(e, MIN_CAP), MIN_CAP, original);
            g.flush();
        } catch (ValueWriter.TooLarge tooLarge) {
            spansComplete = false;
            span(g, null); // the value being written when counting stopped is the largest
        } finally {
            spanPosition = null;
        }
        long total = position.getAsLong();
        spanTotal = total;
        List<Span> spans = new ArrayList<>(spanKeys.size());
        for (int i = 0; i < spanKeys.size(); i++) {
            String key = spanKeys.get(i);
            if (key == null) { // null marks where the last value ends
                continue;
            }
            long end = i + 1 < spanStarts.size() ? spanStarts.get(i + 1) : total;
            long value = end - spanValueStarts.get(i);
            if (EXCEPTION.equals(key)) {
                spans.add(new Span(key, false, value - headlineBytes(e), total));
            } else if (value > REMOVED_BYTES) {
                spans.add(new Span(key, false, value - REMOVED_BYTES, total));
            } else {
                spans.add(new Span(key, true, end - spanStarts.get(i), total));
            }
        }
        Collections.sort(spans);
        return spans;
    }

    /** About what the exception's headline takes: its type and its message at the smallest cap. */
    private static long headlineBytes(LogEntry e) {
        ThrowableView v = e.exception();
        String message = v.message();
        return 64 + Text.jsonLength(String.valueOf(v.className()))
                + Text.jsonLength(message == null ? "" : message.substring(0, Math.min(message.length(), MIN_CAP)));
    }

    private void restart(int start) {
        gen = newGenerator(); // the old generator is mid-object; its unflushed bytes are discarded with it
        out.truncate(start);
    }

    private void writeEntry(JsonGenerator g, LogEntry e, String message, int cap, long original) throws IOException {
        g.writeStartObject();
        writeHeader(g, e, message, Integer.MAX_VALUE);
        g.writeFieldName(METADATA);
        writeMetadata(g, e, original);
        g.writeEndObject();
    }

    private void writeHeader(JsonGenerator g, LogEntry e, String message, int maxTraceId) throws IOException {
        int n = time.format(e.epochSecond(), e.nano());
        g.writeFieldName(TIME);
        g.writeString(time.chars(), 0, n);
        g.writeFieldName(SERVICE);
        g.writeString(normaliseService(e.service(), defaultService));
        g.writeFieldName(LEVEL);
        g.writeString(LEVELS[e.level().ordinal()]);
        g.writeFieldName(MESSAGE);
        g.writeString(message);
        String traceId = Text.clean(e.traceId(), maxTraceId, "");
        if (traceId != null && !traceId.trim().isEmpty()) {
            g.writeStringField("trace_id", traceId);
        } else if (autoTraceId) {
            g.writeStringField("trace_id", new UUID(
                    (random.nextLong() & ~0xF000L) | 0x4000L,
                    (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString());
        }
        if (Text.isSpanId(e.spanId())) {
            g.writeStringField("span_id", e.spanId());
        }
        String sessionId = e.scope() == null ? null : e.scope().sessionIdForServer();
        if (sessionId != null) { // only a UUID: the server refuses the whole batch for any other value
            g.writeStringField("session_id", sessionId);
        }
    }

    private void writeMetadata(JsonGenerator g, LogEntry e, long original) throws IOException {
        Map<String, Object> metadata = e.metadata();
        Map<String, ?> context = e.context();
        written.clear();
        userKeys = 0;
        moreKeys = 0;
        shadowedKeys.clear();
        shadowedValues.clear();
        ThrowableView throwable = e.exception();
        shadowException = throwable != null;
        reduced = original >= 0;
        hasUserMore = false;
        userMore = null;
        LogTideScope.Values scope = e.scope();
        keyChecks = shadowException || reduced || !omitted.isEmpty()
                || (long) context.size() + metadata.size() + globalMetadata.size()
                + (scope == null ? 0 : scope.extras().size() + SCOPE_KEYS) > MAX_TOP_KEYS;
        g.writeStartObject();
        if (e.logger() != null && !metadata.containsKey("logger")) {
            top(g, "logger", e.logger());
        }
        if (e.thread() != null && !metadata.containsKey("thread")) {
            top(g, "thread", e.thread());
        }
        userKeys = 0; // the cap counts the keys of the context, the metadata and the global metadata
        boolean collisions = false;
        values.within(context);
        for (Map.Entry<String, ?> kv : context.entrySet()) {
            String k = kv.getKey();
            if (TraceContext.CONTEXT_KEY.equals(k)) {
                continue; // TraceContext's copy of the trace id: already the entry's trace_id
            } else if (RESERVED.contains(k) || metadata.containsKey(k)) {
                collisions = true;
            } else {
                top(g, k, kv.getValue());
            }
        }
        if (collisions && written.add("mdc")) {
            span(g, "mdc");
            g.writeFieldName("mdc");
            spanValue(g);
            if (!dropped.isEmpty() && dropped.contains("mdc")) {
                g.writeString(REMOVED);
            } else {
                g.writeStartObject();
                for (Map.Entry<String, ?> kv : context.entrySet()) {
                    String k = kv.getKey();
                    if (RESERVED.contains(k) || metadata.containsKey(k)) {
                        values.writeField(g, values.key(k), kv.getValue(), 0);
                    }
                }
                g.writeEndObject();
            }
        }
        values.leave();
        values.within(metadata);
        for (Map.Entry<String, Object> kv : metadata.entrySet()) {
            top(g, kv.getKey(), kv.getValue());
        }
        values.leave();
        if (throwable != null && written.add(EXCEPTION)) {
            span(g, EXCEPTION);
            g.writeFieldName(EXCEPTION);
            spanValue(g);
            if (!dropped.isEmpty() && dropped.contains(EXCEPTION)) {
                exceptions.writeHeadline(g, throwable);
            } else {
                exceptions.write(g, throwable);
            }
        }
        if (scope != null) {
            writeScope(g, scope);
        }
        values.within(globalMetadata);
        for (Map.Entry<String, Object> kv : globalMetadata.entrySet()) {
            top(g, kv.getKey(), kv.getValue());
        }
        values.leave();
        if (hasUserMore) {
            if (moreKeys > 0) {
                shadow(MORE, userMore);
            } else if (written.add(MORE)) {
                writeTop(g, MORE, userMore);
            }
        }
        if (!shadowedKeys.isEmpty() && written.add(SHADOWED)) {
            span(g, SHADOWED);
            g.writeFieldName(SHADOWED);
            spanValue(g);
            if (!dropped.isEmpty() && dropped.contains(SHADOWED)) {
                g.writeString(REMOVED);
            } else {
                g.writeStartObject();
                for (int i = 0; i < shadowedKeys.size(); i++) {
                    values.writeField(g, shadowedKeys.get(i), shadowedValues.get(i), 1);
                }
                g.writeEndObject();
            }
        }
        span(g, null);
        if (moreKeys > 0) {
            g.writeStringField(MORE, moreKeys + " more keys");
        }
        if (reduced) {
            g.writeBooleanField(TRUNCATED, true);
            g.writeNumberField(ORIGINAL_SIZE, original);
        }
        if (written.add("sdk")) {
            g.writeFieldName(SDK);
            g.writeRawValue(SDK_JSON);
        }
        g.writeEndObject();
    }

    /**
     * The scope's values (contract C20), under the entry's metadata and context and above the
     * global metadata: each key only where no stronger source wrote it.
     */
    private void writeScope(JsonGenerator g, LogTideScope.Values scope) throws IOException {
        values.within(scope.extras());
        for (Map.Entry<String, Object> kv : scope.extras().entrySet()) {
            top(g, kv.getKey(), kv.getValue());
        }
        values.leave();
        if (!scope.tags().isEmpty()) {
            top(g, "tags", scope.tags());
        }
        if (scope.user() != null) {
            top(g, "user", scope.user().fields());
        }
        List<Map<String, Object>> breadcrumbs = scope.breadcrumbFields();
        if (!breadcrumbs.isEmpty()) {
            top(g, "breadcrumbs", breadcrumbs);
        }
        if (scope.sessionId() != null) {
            top(g, "session_id", scope.sessionId());
        }
    }

    /**
     * Writes a top-level metadata key unless an earlier, stronger source already wrote it. Compares
     * cleaned keys: "env\u0000" and "env" are the same key once sent. A key the SDK fills in this
     * entry goes under {@code _shadowed}; past {@value #MAX_TOP_KEYS} keys, and for keys left out
     * to fit {@code maxLogSize}, the key is only counted in {@code _more}.
     */
    private void top(JsonGenerator g, String key, Object value) throws IOException {
        if (key == null) {
            return;
        }
        String k = values.key(key);
        if ((keyChecks || userKeys >= MAX_TOP_KEYS) && skipped(k, value)) {
            return;
        }
        if (!written.add(k)) {
            return;
        }
        userKeys++;
        writeTop(g, k, value);
    }

    /** Writes a top-level key and its value, or the placeholder when it is given up. */
    private void writeTop(JsonGenerator g, String k, Object value) throws IOException {
        span(g, k);
        values.writeName(g, k);
        spanValue(g);
        if (!dropped.isEmpty() && dropped.contains(k)) {
            g.writeString(REMOVED);
        } else {
            values.writeFieldValue(g, k, value, 0);
        }
    }

    /**
     * Kept out of {@link #top}'s common path: whether a key is not written at the top level, because
     * the SDK fills its name (its value then goes under {@code _shadowed}), the cap is reached, or it
     * is left out to fit {@code maxLogSize} (both counted in {@code _more}).
     */
    private boolean skipped(String k, Object value) {
        if (MORE.equals(k)) {
            long marked = ValueWriter.moreMarker(k, value);
            if (marked >= 0) {
                moreKeys += marked; // a map copied by Snapshot says how many keys it left out
            } else if (!hasUserMore) {
                hasUserMore = true;
                userMore = value;
            }
            return true;
        }
        if (shadowed(k)) { // never written by top(): no earlier source can have taken it
            shadow(k, value);
            return true;
        }
        if (userKeys >= MAX_TOP_KEYS) {
            if (!written.contains(k)) {
                moreKeys++;
            }
            return true;
        }
        if (!omitted.isEmpty() && omitted.contains(k)) {
            if (written.add(k)) { // taken, so that no weaker source writes it instead
                moreKeys++;
            }
            return true;
        }
        return false;
    }

    private void shadow(String k, Object value) {
        if (!shadowedKeys.contains(k)) {
            shadowedKeys.add(k);
            shadowedValues.add(value);
        }
    }

    /** Whether the SDK writes a key of this name into the current entry, which then wins. */
    private boolean shadowed(String k) {
        switch (k) {
            case EXCEPTION:
                return shadowException;
            case TRUNCATED:
            case ORIGINAL_SIZE:
                return reduced;
            default:
                return false;
        }
    }

    /** While spans are counted, notes where a top-level key starts ({@code null}: where the last value ends). */
    private void span(JsonGenerator g, String key) {
        if (spanPosition != null) {
            long at = spanPosition.getAsLong();
            spanStarts.add(at);
            spanValueStarts.add(at);
            spanKeys.add(key);
        }
    }

    /** While spans are counted, notes where the value of the key just noted starts. */
    private void spanValue(JsonGenerator g) {
        if (spanPosition != null) {
            spanValueStarts.set(spanValueStarts.size() - 1, spanPosition.getAsLong());
        }
    }

    /**
     * The last resort for an entry too large (or too hostile) to send otherwise: everything that
     * identifies it, a truncated message, and a note of its size.
     */
    private void writeMinimal(LogEntry e, long originalSize) {
        int start = out.size();
        // Message and trace id are all that can still be long: shorten the message until the reduced
        // entry fits, and the trace id only when even the shortest message leaves it no room.
        int limit = Math.min(limits.maxFieldSize(), limits.maxLogSize() / 4);
        int traceLimit = Integer.MAX_VALUE;
        try {
            while (true) {
                JsonGenerator g = gen;
                g.writeStartObject();
                writeHeader(g, e, message(e, limit), traceLimit);
                g.writeObjectFieldStart("metadata");
                g.writeBooleanField("_truncated", true);
                if (originalSize >= 0) {
                    g.writeNumberField("_original_size", originalSize);
                } else {
                    g.writeStringField("_error", "metadata could not be serialised");
                }
                g.writeEndObject();
                g.writeEndObject();
                g.flush();
                if (out.size() - start <= limits.maxLogSize() || traceLimit <= MIN_REDUCED_TRACE_ID) {
                    return;
                }
                out.truncate(start);
                if (limit > MIN_REDUCED_MESSAGE) {
                    limit = Math.max(MIN_REDUCED_MESSAGE, limit / 4);
                } else {
                    traceLimit = Math.max(MIN_REDUCED_TRACE_ID,
                            Math.min(traceLimit, e.traceId() == null ? 0 : e.traceId().length()) / 2);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // JsonBuffer does no I/O: unreachable in practice
        }
    }

    /** The cleaned message; checked for emptiness after cleaning, as a message of NULs cleans to "". */
    private String message(LogEntry e, int maxChars) {
        String m = Text.clean(e.message(), maxChars, limits.truncationMarker());
        if (m != null && !m.isEmpty()) {
            return m;
        }
        ThrowableView t = e.exception();
        m = t == null ? null : Text.clean(ExceptionSerializer.headline(t), maxChars, limits.truncationMarker());
        return m == null || m.isEmpty() ? EMPTY_MESSAGE : m;
    }

    private static String normaliseService(String service, String fallback) {
        if (service == null) {
            return fallback;
        }
        String s = Text.clean(service.trim(), MAX_SERVICE_LENGTH, "");
        return s.trim().isEmpty() ? fallback : s;
    }

    private JsonGenerator newGenerator() {
        try {
            JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
            g.setRootValueSeparator(null);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
