package dev.logtide.internal.entry;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.logtide.PayloadLimits;
import dev.logtide.ThrowableView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes an exception in the shape the server turns into error groups:
 * {@code {type, message, language:"java", stacktrace:[{file,function,line}], raw, cause, suppressed}}.
 *
 * <p>Runs on the sender thread: walking and printing a deep trace is the expensive part of
 * logging an exception, so the caller only captures the {@link Throwable} (exceptions are not
 * mutated once thrown in practice) and this class does the rest later. Not thread-safe.
 */
public final class ExceptionSerializer {
    /** Frames per exception; the server reads no more. */
    public static final int MAX_FRAMES = 100;
    /** Nested causes; the server follows no more. */
    public static final int MAX_CAUSE_DEPTH = 10;
    /** Suppressed exceptions written per exception; the rest are counted in {@code suppressed_omitted}. */
    private static final int MAX_SUPPRESSED = 10;
    /** Longest class, method or file name written (a JVM allows 65,535 bytes); see {@link #name}. */
    private static final int MAX_NAME_LENGTH = 4096;
    /** Type sent for a view that names no class; the server needs a non-empty type. */
    private static final String UNKNOWN_TYPE = "java.lang.Throwable";
    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];
    /**
     * Exception objects per entry. Depth and suppressed caps alone still allow a tree of 10^9 nodes
     * (a view that makes fresh views endlessly); this keeps the work and the JSON bounded.
     */
    private static final int MAX_EXCEPTIONS = 64;
    /**
     * {@code raw} may be longer than other strings: a deep framework trace easily exceeds 10 KiB
     * and would lose its "Caused by" lines at the usual field limit.
     */
    private static final int MIN_RAW_LENGTH = 32 * 1024;

    /**
     * Causes followed per entry to find roots. Real exceptions form finite chains, and cycles are
     * detected, so only a {@link ThrowableView} that makes a new exception for every
     * {@code cause()} call comes near this; it bounds the time such a view costs (about 0.1 s).
     */
    private static final long MAX_CHAIN = 1L << 22;

    private final PayloadLimits limits;
    private final int rawLimit;
    /** {@code raw}'s text up to the root cause, and the root cause's: reused, one trace at a time. */
    private final StringBuilder rawHead = new StringBuilder(4096);
    private final StringBuilder rawRoot = new StringBuilder(1024);
    private int stringCap;
    private int rawCap = Integer.MAX_VALUE;
    private int remaining;
    /** What is left of {@link #MAX_CHAIN} for the exception being written. */
    private long chainSteps;

    /** @param limits bounds the {@code raw} text and every string */
    public ExceptionSerializer(PayloadLimits limits) {
        this.limits = limits;
        this.rawLimit = Math.max(limits.maxFieldSize(), MIN_RAW_LENGTH);
        this.stringCap = limits.maxFieldSize();
    }

    /**
     * Lowers the longest string written (and {@code raw}'s length) for the next exceptions, while
     * an entry over {@code maxLogSize} is reduced.
     *
     * @param chars the longest string in characters; {@code maxFieldSize} or more restores the defaults
     */
    void cap(int chars) {
        this.stringCap = Math.min(chars, limits.maxFieldSize());
        this.rawCap = Math.min(chars, rawLimit);
    }

    /**
     * Writes the exception object at the generator's current position.
     *
     * @param g    the generator
     * @param view the exception
     * @throws IOException from the generator
     */
    public void write(JsonGenerator g, ThrowableView view) throws IOException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        remaining = MAX_EXCEPTIONS;
        chainSteps = MAX_CHAIN;
        writeChain(g, view, 0, seen, true);
    }

    /**
     * Writes what is left of an exception when an entry can keep no more of it: type and message,
     * which still name the error group, and no frames.
     *
     * @param g    the generator
     * @param view the exception
     * @throws IOException from the generator
     */
    void writeHeadline(JsonGenerator g, ThrowableView view) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", name(typeOf(view)));
        g.writeStringField("message", messageOf(view));
        g.writeStringField("language", "java");
        g.writeArrayFieldStart("stacktrace");
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * A chain of causes, outermost first, ending at the root or where a cause repeats (then
     * {@link #cycle} is that cause). Holds the first {@value #MAX_CAUSE_DEPTH} levels and the last
     * one only: a chain of any length costs the same memory.
     */
    private static final class Chain {
        final List<ThrowableView> first = new ArrayList<>(MAX_CAUSE_DEPTH);
        ThrowableView last;
        /** Levels in the chain, root included, cycle excluded. */
        long size;
        ThrowableView cycle;

        /** The levels written when the chain is longer than {@code max}: the first ones and the root. */
        int kept(int max) {
            return (int) Math.min(size, max);
        }

        ThrowableView keptLevel(int i, int max) {
            return i == kept(max) - 1 ? last : first.get(i);
        }

        long omitted(int max) {
            return size - kept(max);
        }

        void add(ThrowableView v) {
            if (first.size() < MAX_CAUSE_DEPTH) {
                first.add(v);
            }
            last = v;
            size++;
        }
    }

    /**
     * Follows the causes of {@code top} to the root, however many there are, in time linear in the
     * chain's length and constant memory: Brent's cycle detection finds a cause that repeats
     * (identity, as {@link ThrowableView#identity()} says), and a walk stops at a cause already
     * written elsewhere in the entry ({@code seen}).
     */
    private Chain chain(ThrowableView top, Set<Object> seen) {
        Chain chain = new Chain();
        Object tortoise = chain; // no view's identity
        long power = 1;
        long steps = 0;
        ThrowableView v = top;
        while (v != null && (chain.size == 0 || chainSteps-- > 0)) {
            Object id = v.identity();
            if (id == tortoise || (v != top && seen.contains(id))) {
                if (id == tortoise) {
                    return cyclic(top, steps + 1);
                }
                chain.cycle = v;
                return chain;
            }
            chain.add(v);
            if (++steps == power) { // the tortoise jumps to the hare at each power of two
                tortoise = id;
                power <<= 1;
                steps = 0;
            }
            v = v.cause();
        }
        return chain;
    }

    /**
     * The chain of {@code top} once a cause is known to repeat every {@code period} levels: a second
     * walk finds the first level that repeats (a pointer {@code period} levels ahead meets it there).
     */
    private static Chain cyclic(ThrowableView top, long period) {
        ThrowableView ahead = top;
        for (long i = 0; i < period && ahead != null; i++) {
            ahead = ahead.cause();
        }
        Chain chain = new Chain();
        ThrowableView behind = top;
        // A view whose causes differ between two walks can end either walk early: what was
        // walked is then the chain, without a cycle.
        while (ahead != null && behind != null && behind.identity() != ahead.identity()) {
            chain.add(behind);
            behind = behind.cause();
            ahead = ahead.cause();
        }
        // behind is the first level that repeats: the levels from it up to its repetition are distinct
        ThrowableView v = behind;
        for (long i = 0; i < period && v != null; i++) {
            chain.add(v);
            v = v.cause();
        }
        chain.cycle = v;
        return chain;
    }

    /**
     * Writes {@code view} and its causes, nested as {@code cause}. A chain deeper than the server
     * follows keeps its first levels and its root: the level before the root says how many were
     * left out in {@code causes_omitted}, because the root is usually the one that explains.
     */
    private void writeChain(JsonGenerator g, ThrowableView view, int depth, Set<Object> seen, boolean withRaw)
            throws IOException {
        Chain chain = chain(view, seen);
        // At least the exception itself and its root, even deep inside suppressed exceptions.
        int max = Math.max(2, Math.min(MAX_CAUSE_DEPTH - depth, remaining));
        int kept = chain.kept(max);
        for (int i = 0; i < kept; i++) {
            seen.add(chain.keptLevel(i, max).identity());
        }
        remaining -= kept;
        for (int i = 0; i < kept; i++) {
            ThrowableView level = chain.keptLevel(i, max);
            if (i > 0) {
                if (i == kept - 1 && chain.omitted(max) > 0) {
                    g.writeNumberField("causes_omitted", chain.omitted(max));
                }
                g.writeFieldName("cause");
            }
            writeLevel(g, level, depth + i, seen, withRaw && i == 0 ? printTrace(view) : null);
        }
        for (int i = 0; i < kept; i++) {
            g.writeEndObject();
        }
    }

    /** One exception's own fields and its suppressed ones; the object is left open for its cause. */
    private void writeLevel(JsonGenerator g, ThrowableView view, int depth, Set<Object> seen, String raw)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("type", name(typeOf(view)));
        g.writeStringField("message", messageOf(view));
        g.writeStringField("language", "java");
        g.writeArrayFieldStart("stacktrace");
        StackTraceElement[] frames = framesOf(view);
        // Like printStackTrace: a cause or suppressed exception lists only the frames it does not
        // share with the exception enclosing it. Repeating them pushed ordinary cause chains past
        // maxLogSize, and the whole exception was then dropped.
        int own = ownFrames(view, frames);
        for (int i = 0; i < own && i < MAX_FRAMES; i++) {
            StackTraceElement f = frames[i];
            g.writeStartObject();
            g.writeStringField("file", f.getFileName() == null ? "Unknown Source" : name(f.getFileName()));
            g.writeStringField("function", name(f.getClassName() + "." + f.getMethodName()));
            g.writeNumberField("line", Math.max(0, f.getLineNumber()));
            g.writeEndObject();
        }
        g.writeEndArray();
        if (raw != null) {
            g.writeStringField("raw", raw);
        }
        // Every level, the root of a deep chain included, keeps its suppressed exceptions: the
        // budget of exceptions per entry bounds their number and nesting. Those left out are counted.
        List<ThrowableView> suppressed = suppressedOf(view);
        int omitted = 0;
        int n = 0;
        for (ThrowableView s : suppressed) {
            if (s == null || seen.contains(s.identity())) {
                continue; // already written in this entry
            }
            if (n == MAX_SUPPRESSED || remaining <= 0) {
                omitted++;
                continue;
            }
            if (n++ == 0) {
                g.writeArrayFieldStart("suppressed");
            }
            writeChain(g, s, depth + 1, seen, false);
        }
        if (n > 0) {
            g.writeEndArray();
        }
        if (omitted > 0) {
            g.writeNumberField("suppressed_omitted", omitted);
        }
    }

    /**
     * The exception as {@link Throwable#printStackTrace()} prints it, bounded by
     * {@code max(maxFieldSize, 32 KiB)} characters and {@value #MAX_FRAMES} frames per exception.
     * A chain deeper than {@value #MAX_CAUSE_DEPTH} prints its first levels, a line
     * {@code [N causes omitted]}, and its root; when the text is too long, its middle is cut so
     * the root cause still ends it.
     *
     * @param view the exception
     * @return the printed trace
     */
    private String printTrace(ThrowableView view) {
        int limit = Math.min(rawLimit, rawCap);
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Chain chain = chain(view, seen);
        int kept = chain.kept(MAX_CAUSE_DEPTH);
        StringBuilder head = rawHead;
        StringBuilder root = rawRoot;
        head.setLength(0);
        root.setLength(0);
        for (int i = 0; i < kept; i++) {
            ThrowableView level = chain.keptLevel(i, MAX_CAUSE_DEPTH);
            boolean last = i == kept - 1;
            StringBuilder b = last && i > 0 ? root : head;
            if (last && chain.omitted(MAX_CAUSE_DEPTH) > 0) {
                head.append('[').append(chain.omitted(MAX_CAUSE_DEPTH)).append(" causes omitted]\n");
            }
            // depth 0: each level of the chain, its root included, prints its suppressed exceptions
            print(b, level, i == 0 ? "" : "Caused by: ", "", 0, seen, false, limit);
        }
        if (chain.cycle != null) {
            (kept > 1 ? root : head).append("Caused by: [CIRCULAR REFERENCE: ").append(headline(chain.cycle)).append("]\n");
        }
        String marker = limits.truncationMarker();
        if (head.length() + root.length() > limit) {
            // Keep the top (what was thrown here) and the root (why), each at least half the room.
            int rootRoom = Math.min(root.length(), limit / 2);
            int headRoom = Math.max(0, limit - rootRoom);
            if (root.length() > rootRoom) {
                root.setLength(rootRoom);
                root.append(marker).append('\n');
            }
            if (head.length() > headRoom) {
                head.setLength(headRoom);
                head.append(marker).append('\n');
            }
        }
        String text = Text.clean(head.append(root).toString(), Integer.MAX_VALUE, "");
        for (StringBuilder b : new StringBuilder[] {head, root}) {
            if (b.capacity() > 4 * rawLimit) { // one huge message must not keep its buffer for good
                b.setLength(0);
                b.trimToSize();
            }
        }
        return text;
    }

    private void print(StringBuilder raw, ThrowableView view, String caption, String prefix, int depth,
                       Set<Object> seen, boolean followCause, int limit) {
        if (raw.length() > limit) {
            return;
        }
        if (!seen.add(view.identity())) {
            raw.append(prefix).append(caption).append("[CIRCULAR REFERENCE: ").append(headline(view)).append("]\n");
            return;
        }
        raw.append(prefix).append(caption).append(headline(view)).append('\n');
        StackTraceElement[] frames = framesOf(view);
        int shown = Math.min(ownFrames(view, frames), MAX_FRAMES);
        for (int i = 0; i < shown && raw.length() <= limit; i++) {
            raw.append(prefix).append("\tat ").append(frames[i]).append('\n');
        }
        int more = frames.length - shown;
        if (more > 0) {
            raw.append(prefix).append("\t... ").append(more).append(" more\n");
        }
        if (depth + 1 >= MAX_CAUSE_DEPTH) {
            return;
        }
        List<ThrowableView> suppressed = suppressedOf(view);
        for (int i = 0; i < suppressed.size() && i < MAX_SUPPRESSED; i++) {
            if (suppressed.get(i) != null) {
                print(raw, suppressed.get(i), "Suppressed: ", prefix + "\t", depth + 1, seen, true, limit);
            }
        }
        if (suppressed.size() > MAX_SUPPRESSED) {
            raw.append(prefix).append("\t[").append(suppressed.size() - MAX_SUPPRESSED).append(" suppressed omitted]\n");
        }
        ThrowableView cause = followCause ? view.cause() : null;
        if (cause != null) {
            print(raw, cause, "Caused by: ", prefix, depth + 1, seen, true, limit);
        }
    }

    /**
     * @param view an exception
     * @return {@code "type: message"}, or the type alone when there is no message
     */
    public static String headline(ThrowableView view) {
        String message = view.message();
        return message == null ? typeOf(view) : typeOf(view) + ": " + message;
    }

    /** The server ignores the structured form when the message is empty: fall back to the type. */
    private String messageOf(ThrowableView view) {
        String message = clean(view.message());
        return message == null || message.isEmpty() ? name(typeOf(view)) : message;
    }

    // ThrowableView is implemented by adapters over their frameworks' snapshots: tolerate sloppy ones.

    private static String typeOf(ThrowableView view) {
        String type = view.className();
        return type == null || type.isEmpty() ? UNKNOWN_TYPE : type;
    }

    private static StackTraceElement[] framesOf(ThrowableView view) {
        return nonNullFrames(view.frames());
    }

    /**
     * @param frames frames as an exception or a view gave them
     * @return the same frames without {@code null} elements; never {@code null}
     */
    public static StackTraceElement[] nonNullFrames(StackTraceElement[] frames) {
        if (frames == null) {
            return NO_FRAMES;
        }
        for (StackTraceElement f : frames) {
            if (f == null) {
                return Arrays.stream(frames).filter(Objects::nonNull).toArray(StackTraceElement[]::new);
            }
        }
        return frames;
    }

    private static int ownFrames(ThrowableView view, StackTraceElement[] frames) {
        return Math.max(0, frames.length - Math.max(0, view.commonFrames()));
    }

    private static List<ThrowableView> suppressedOf(ThrowableView view) {
        List<ThrowableView> suppressed = view.suppressed();
        return suppressed == null ? Collections.emptyList() : suppressed;
    }

    private String clean(String s) {
        return Text.clean(s, stringCap, limits.truncationMarker());
    }

    /**
     * A class, method or file name: the server groups errors by them, so a cut name would merge
     * different groups. They are exempt from {@code maxFieldSize} and from the caps of a reduced
     * entry; the JVM bounds them (65,535 bytes), and so does {@value #MAX_NAME_LENGTH} for a view
     * that makes up its own.
     */
    private String name(String s) {
        return Text.clean(s, MAX_NAME_LENGTH, limits.truncationMarker());
    }
}
