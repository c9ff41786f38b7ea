package dev.logtide.buffer;

import dev.logtide.LogEntry;

import java.util.Collection;
import java.util.Map;

/**
 * A cheap estimate of the memory an entry keeps alive, taken on the calling thread so the buffer
 * can be bounded by bytes without serialising anything there. Top-level values and the elements
 * of top-level containers are measured (strings by length); anything deeper counts by element.
 */
final class EntrySizes {
    /** Fixed JSON overhead: field names, time, level, sdk block. */
    private static final int BASE = 160;
    private static final int PER_KEY = 8;
    private static final int OPAQUE_VALUE = 16;
    private static final int PER_ELEMENT = 32;
    /** Containers are measured element by element up to this many, then extrapolated. */
    private static final int SAMPLED_ELEMENTS = 1000;
    /** A serialised exception with a typical trace. */
    private static final int THROWABLE = 4096;

    private EntrySizes() {
    }

    static int estimate(LogEntry e) {
        // Not e.message(): a deferred message must be produced on the sender thread, not here.
        long size = BASE + e.estimatedMessageLength() + len(e.service()) + len(e.traceId()) + len(e.spanId())
                + len(e.logger()) + len(e.thread());
        size += mapSize(e.context());
        size += mapSize(e.metadata());
        if (e.throwable() != null) {
            size += THROWABLE;
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static long mapSize(Map<String, ?> map) {
        if (map.isEmpty()) {
            return 0;
        }
        long size = 0;
        for (Map.Entry<String, ?> kv : map.entrySet()) {
            size += PER_KEY + len(kv.getKey()) + valueSize(kv.getValue());
        }
        return size;
    }

    private static long valueSize(Object v) {
        if (v instanceof Map) {
            return elementsSize(((Map<?, ?>) v).values(), ((Map<?, ?>) v).size()) + ((Map<?, ?>) v).size() * PER_KEY;
        }
        if (v instanceof Collection) {
            return elementsSize((Collection<?>) v, ((Collection<?>) v).size());
        }
        if (v instanceof Object[]) {
            return elementsSize(java.util.Arrays.asList((Object[]) v), ((Object[]) v).length);
        }
        return elementSize(v);
    }

    private static long elementsSize(Iterable<?> elements, int count) {
        long size = 0;
        int seen = 0;
        for (Object e : elements) {
            if (seen == SAMPLED_ELEMENTS) {
                return size / seen * count;
            }
            size += elementSize(e);
            seen++;
        }
        return size;
    }

    private static long elementSize(Object v) {
        if (v instanceof CharSequence) {
            return ((CharSequence) v).length();
        }
        if (v instanceof Map) {
            return (long) ((Map<?, ?>) v).size() * PER_ELEMENT;
        }
        if (v instanceof Collection) {
            return (long) ((Collection<?>) v).size() * PER_ELEMENT;
        }
        if (v instanceof Object[]) {
            return (long) ((Object[]) v).length * PER_ELEMENT;
        }
        return OPAQUE_VALUE;
    }

    private static int len(String s) {
        return s == null ? 0 : s.length();
    }
}
