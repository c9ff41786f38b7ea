package dev.logtide.entry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.PayloadLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

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
    /** The reduced form shortens its message down to this many characters to fit {@code maxLogSize}. */
    private static final int MIN_REDUCED_MESSAGE = 16;
    /** ... but keeps trace ids of ordinary length whole, so the entry can still be correlated. */
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
    }

    /** The outcome of encoding one entry. */
    public enum Result {
        /** Written in full. */
        OK,
        /** Larger than {@code maxLogSize}: written with its metadata replaced by a size note. */
        TRUNCATED
    }

    /**
     * Appends one entry's JSON object to the buffer. Never throws for anything the entry holds:
     * an entry that cannot be written as given is written in a reduced form instead.
     *
     * @param entry the entry
     * @return whether it was written in full
     */
    public Result encode(LogEntry entry) {
        int start = out.size();
        long hardLimit = start + (long) limits.maxLogSize() * HARD_LIMIT_FACTOR;
        try {
            values.guard(out, hardLimit);
            writeEntry(entry);
            gen.flush();
            int size = out.size() - start;
            if (size <= limits.maxLogSize()) {
                return Result.OK;
            }
            out.truncate(start);
            writeReduced(entry, size);
        } catch (ValueWriter.TooLarge e) {
            long writtenSoFar = out.size() + gen.getOutputBuffered() - start; // a lower bound: writing stopped here
            restart(start);
            writeReduced(entry, writtenSoFar);
        } catch (IOException | RuntimeException | StackOverflowError | AssertionError | LinkageError e) {
            // A hostile value (a map mutated concurrently, a broken iterator): keep the entry itself.
            // An Error escaping here would be retried by the sender forever, stalling delivery.
            restart(start);
            writeReduced(entry, -1);
        }
        return Result.TRUNCATED;
    }

    private void restart(int start) {
        gen = newGenerator(); // the old generator is mid-object; its unflushed bytes are discarded with it
        out.truncate(start);
    }

    private void writeEntry(LogEntry e) throws IOException {
        JsonGenerator g = gen;
        g.writeStartObject();
        writeHeader(g, e, message(e, limits.maxLogSize()), limits.maxFieldSize());
        g.writeFieldName(METADATA);
        writeMetadata(g, e);
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
    }

    private void writeMetadata(JsonGenerator g, LogEntry e) throws IOException {
        Map<String, Object> metadata = e.metadata();
        Map<String, ?> context = e.context();
        written.clear();
        g.writeStartObject();
        if (e.logger() != null && !metadata.containsKey("logger")) {
            top(g, "logger", e.logger());
        }
        if (e.thread() != null && !metadata.containsKey("thread")) {
            top(g, "thread", e.thread());
        }
        boolean collisions = false;
        for (Map.Entry<String, ?> kv : context.entrySet()) {
            String k = kv.getKey();
            if (RESERVED.contains(k) || metadata.containsKey(k)) {
                collisions = true;
            } else {
                top(g, k, kv.getValue());
            }
        }
        if (collisions && written.add("mdc")) {
            g.writeFieldName("mdc");
            g.writeStartObject();
            for (Map.Entry<String, ?> kv : context.entrySet()) {
                String k = kv.getKey();
                if (RESERVED.contains(k) || metadata.containsKey(k)) {
                    values.writeField(g, values.key(k), kv.getValue(), 0);
                }
            }
            g.writeEndObject();
        }
        Object throwable = e.throwable();
        for (Map.Entry<String, Object> kv : metadata.entrySet()) {
            if (throwable == null || !"exception".equals(kv.getKey())) {
                top(g, kv.getKey(), kv.getValue());
            }
        }
        if (throwable != null && written.add("exception")) {
            g.writeFieldName("exception");
            exceptions.write(g, view(throwable));
        }
        for (Map.Entry<String, Object> kv : globalMetadata.entrySet()) {
            top(g, kv.getKey(), kv.getValue());
        }
        if (written.add("sdk")) {
            g.writeFieldName(SDK);
            g.writeRawValue(SDK_JSON);
        }
        g.writeEndObject();
    }

    /**
     * Writes a top-level metadata key unless an earlier, stronger source already wrote it. Compares
     * cleaned keys: "env\u0000" and "env" are the same key once sent.
     */
    private void top(JsonGenerator g, String key, Object value) throws IOException {
        if (key == null) {
            return;
        }
        String k = values.key(key);
        if (written.add(k)) {
            values.writeField(g, k, value, 0);
        }
    }

    /**
     * The form of an entry too large (or too hostile) to send as given: everything that
     * identifies it, a truncated message, and a note of its size.
     */
    private void writeReduced(LogEntry e, long originalSize) {
        int start = out.size();
        // Message and trace id are all that can still be long (maxFieldSize may exceed maxLogSize):
        // shorten them until the reduced entry fits.
        int limit = Math.min(limits.maxFieldSize(), limits.maxLogSize() / 4);
        try {
            while (true) {
                JsonGenerator g = gen;
                g.writeStartObject();
                writeHeader(g, e, message(e, limit), Math.min(limits.maxFieldSize(), Math.max(limit, MIN_REDUCED_TRACE_ID)));
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
                if (out.size() - start <= limits.maxLogSize() || limit <= MIN_REDUCED_MESSAGE) {
                    return;
                }
                out.truncate(start);
                limit = Math.max(MIN_REDUCED_MESSAGE, limit / 4);
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
        Object t = e.throwable();
        m = t == null ? null : Text.clean(ExceptionSerializer.headline(view(t)), maxChars, limits.truncationMarker());
        return m == null || m.isEmpty() ? EMPTY_MESSAGE : m;
    }

    private static ThrowableView view(Object throwable) {
        return throwable instanceof ThrowableView ? (ThrowableView) throwable : ThrowableView.of((Throwable) throwable);
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
