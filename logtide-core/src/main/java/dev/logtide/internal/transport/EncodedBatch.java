package dev.logtide.internal.transport;

import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.internal.entry.EntryEncoder;
import dev.logtide.internal.entry.JsonBuffer;
import okio.BufferedSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * A batch of entries serialised once, back to back in a {@link JsonBuffer} with no separators.
 * Any contiguous range of it becomes a request body without re-serialising, which is what
 * retries and batch splitting need. Reused from batch to batch, with its own encoder.
 */
final class EncodedBatch {
    private static final byte[] PREFIX = "{\"logs\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.US_ASCII);

    /** Room reserved for each entry besides its message: the header fields and a little metadata. */
    private static final int RESERVED_PER_ENTRY = 256;
    /**
     * The most reserved ahead of a batch: enough for a batch of ordinary entries. Messages may be
     * far longer than what is sent of them (cut to maxLogSize), or estimated only (deferred).
     */
    private static final int MAX_RESERVED = 1024 * 1024;
    /** The largest JSON buffer kept between batches; one grown by a batch of large entries is let go. */
    private static final int KEPT_BYTES = 4 * 1024 * 1024;

    private final JsonBuffer json = new JsonBuffer();
    private final EntryEncoder encoder;
    private final List<LogEntry> entries = new ArrayList<>();
    /** ends.get(i) is where entry i ends; entry i starts where entry i-1 ends (or at 0). */
    private int[] ends = new int[128];
    private boolean[] truncated = new boolean[128];

    /** @param options the client's options: normalisation and payload limits */
    EncodedBatch(ClientOptions options) {
        this.encoder = new EntryEncoder(options, json);
    }

    /**
     * Replaces what this holds with {@code batch}, each entry encoded once.
     *
     * @param batch the entries, oldest first
     * @return this
     */
    EncodedBatch encode(List<LogEntry> batch) {
        clear();
        // One tight pass over the batch before encoding any of it: the entries were written by
        // the callers' threads, often long before, and are out of this core's cache. Read here,
        // many are fetched at once; read while encoding, one miss waits after another (sender CPU
        // per event -17% in the EndToEnd benchmark on a quiet machine). The sum sizes the buffer
        // for the batch, up to MAX_RESERVED.
        long chars = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            chars += batch.get(i).estimatedMessageLength();
        }
        json.reserve((int) Math.min(MAX_RESERVED, chars + (long) batch.size() * RESERVED_PER_ENTRY));
        for (LogEntry e : batch) {
            added(e, encoder.encode(e) == EntryEncoder.Result.TRUNCATED);
        }
        return this;
    }

    /**
     * Replaces what this holds with entries encoded earlier (read back from the spool), given as
     * their bytes; {@link #entry} is {@code null} for each.
     *
     * @param data  the encoded entries, back to back
     * @param ends  where each ends in {@code data}
     * @param count how many there are
     * @return this
     */
    EncodedBatch load(byte[] data, IntUnaryOperator ends, int count) {
        clear();
        for (int i = 0, start = 0; i < count; i++) {
            int end = ends.applyAsInt(i);
            json.write(data, start, end - start);
            added(null, false);
            start = end;
        }
        return this;
    }

    /** Empties it, letting go of the entries. */
    void clear() {
        json.clear(KEPT_BYTES);
        entries.clear();
    }

    /** Records the entry just written, ending at the buffer's current size. */
    private void added(LogEntry entry, boolean wasTruncated) {
        int i = entries.size();
        if (i == ends.length) {
            ends = Arrays.copyOf(ends, i * 2);
            truncated = Arrays.copyOf(truncated, i * 2);
        }
        ends[i] = json.size();
        truncated[i] = wasTruncated;
        entries.add(entry);
    }

    /** @return how many of entries {@code [from, to)} were written in their reduced form */
    int truncatedIn(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (truncated[i]) {
                n++;
            }
        }
        return n;
    }

    int size() {
        return entries.size();
    }

    LogEntry entry(int i) {
        return entries.get(i);
    }

    /** @return the encoded entries, back to back; valid until the next change */
    byte[] bytes() {
        return json.array();
    }

    /** @return where entry {@code i} starts in {@link #bytes()} */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** @return where entry {@code i} ends in {@link #bytes()} */
    int end(int i) {
        return ends[i];
    }

    /**
     * @param from first entry
     * @param to   one past the last entry
     * @return the size of {@code {"logs":[...]}} for those entries
     */
    long bodyLength(int from, int to) {
        return PREFIX.length + SUFFIX.length + (ends[to - 1] - start(from)) + (to - from - 1);
    }

    /**
     * Writes {@code {"logs":[...]}} for entries {@code [from, to)}.
     *
     * @param sink the request body sink
     * @param from first entry
     * @param to   one past the last entry
     * @throws IOException from the sink
     */
    void writeBody(BufferedSink sink, int from, int to) throws IOException {
        byte[] bytes = json.array();
        sink.write(PREFIX);
        for (int i = from; i < to; i++) {
            if (i > from) {
                sink.writeByte(',');
            }
            sink.write(bytes, start(i), ends[i] - start(i));
        }
        sink.write(SUFFIX);
    }
}
