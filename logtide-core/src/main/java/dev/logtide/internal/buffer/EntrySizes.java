package dev.logtide.internal.buffer;

import dev.logtide.Breadcrumb;
import dev.logtide.LogEntry;
import dev.logtide.LogTideScope;

import java.util.Collection;
import java.util.Map;

/**
 * A cheap estimate of the heap an entry keeps alive, taken on the calling thread so the buffer
 * can be bounded by bytes without serialising anything there. Top-level values and the elements
 * of top-level containers are measured (strings by length plus the JVM's per-string overhead,
 * map entries with their node); anything deeper counts by element. Measured against the heap by
 * {@code EntrySizesHeapTest}: from 1.07x (every entry with its own maps) to 1.54x (a context map
 * shared by consecutive entries, which counts as a reference after the first).
 */
final class EntrySizes {
    /** The entry object, its message string's overhead, and the ring slot. */
    private static final int BASE = 160;
    /** A non-empty map: the map object and its table at the default capacity. */
    private static final int MAP = 96;
    /** A map entry's node and table slot (keys are usually shared literals: counted by length). */
    private static final int PER_KEY = 48;
    /** A String object and its array header, beyond the characters. */
    private static final int STRING = 40;
    /** A boxed number or another small object. */
    private static final int OPAQUE_VALUE = 24;
    private static final int PER_ELEMENT = 32;
    /** A reference to a map counted with an earlier entry. */
    private static final int SHARED_MAP = 8;
    /** Containers are measured element by element up to this many, then extrapolated. */
    private static final int SAMPLED_ELEMENTS = 1000;
    /** A breadcrumb: the object, its fields map with five entries, its timestamp text. */
    private static final int BREADCRUMB = 480;
    /** A serialised exception with a typical trace. */
    private static final int THROWABLE = 4096;

    private EntrySizes() {
    }

    static int estimate(LogEntry e) {
        return estimate(e, null, null);
    }

    /**
     * @param sharedContext the context map of the entry offered just before, or null: a logging
     *                      framework hands consecutive events the same context snapshot (Logback's
     *                      MDC until it changes), kept alive once, not once per entry
     * @param sharedScope   the scope values of the entry offered just before, or null: entries
     *                      logged while a scope does not change share its values, breadcrumbs included
     */
    static int estimate(LogEntry e, Map<String, ?> sharedContext, LogTideScope.Values sharedScope) {
        // Not e.message(): a deferred message must be produced on the sender thread, not here.
        long size = BASE + e.estimatedMessageLength() + len(e.service()) + len(e.traceId()) + len(e.spanId())
                + len(e.logger()) + len(e.thread());
        size += e.context() == sharedContext && !e.context().isEmpty() ? SHARED_MAP : mapSize(e.context());
        size += mapSize(e.metadata());
        // throwable() first: it answers without making a view, which exception() would for a Throwable.
        if (e.throwable() != null || e.exception() != null) {
            size += THROWABLE;
        }
        LogTideScope.Values scope = e.scope();
        if (scope != null) {
            size += scope == sharedScope ? SHARED_MAP : scopeSize(scope);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /**
     * Counted in full for each entry that does not share the previous entry's values: entries of
     * different requests keep different breadcrumbs alive (up to 100 each by default).
     */
    private static long scopeSize(LogTideScope.Values scope) {
        long size = MAP + mapSize(scope.extras()) + mapSize(scope.tags()) + len(scope.sessionId()) + len(scope.traceId())
                + (scope.user() == null ? 0 : mapSize(scope.user().fields()));
        for (Breadcrumb b : scope.breadcrumbs()) {
            size += BREADCRUMB + len(b.message()) + len(b.category()) + mapSize(b.data());
        }
        return size;
    }

    private static long mapSize(Map<String, ?> map) {
        if (map.isEmpty()) {
            return 0;
        }
        long size = MAP;
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
            return STRING + ((CharSequence) v).length();
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
