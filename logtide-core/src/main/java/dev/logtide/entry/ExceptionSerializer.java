package dev.logtide.entry;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.logtide.PayloadLimits;

import java.io.IOException;
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
    private static final int MAX_SUPPRESSED = 10;
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

    private final PayloadLimits limits;
    private final int rawLimit;
    private final StringBuilder raw = new StringBuilder(4096);
    private int remaining;

    /** @param limits bounds the {@code raw} text and every string */
    public ExceptionSerializer(PayloadLimits limits) {
        this.limits = limits;
        this.rawLimit = Math.max(limits.maxFieldSize(), MIN_RAW_LENGTH);
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
        writeObject(g, view, 0, seen, true);
    }

    private void writeObject(JsonGenerator g, ThrowableView view, int depth, Set<Object> seen, boolean withRaw)
            throws IOException {
        seen.add(view.identity());
        remaining--;
        String type = typeOf(view);
        g.writeStartObject();
        g.writeStringField("type", clean(type));
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
            g.writeStringField("file", f.getFileName() == null ? "Unknown Source" : clean(f.getFileName()));
            g.writeStringField("function", clean(f.getClassName() + "." + f.getMethodName()));
            g.writeNumberField("line", Math.max(0, f.getLineNumber()));
            g.writeEndObject();
        }
        g.writeEndArray();
        if (withRaw) {
            g.writeStringField("raw", Text.clean(printTrace(view), rawLimit, limits.truncationMarker()));
        }
        ThrowableView cause = view.cause();
        if (cause != null && depth + 1 < MAX_CAUSE_DEPTH && remaining > 0 && !seen.contains(cause.identity())) {
            g.writeFieldName("cause");
            writeObject(g, cause, depth + 1, seen, false);
        }
        List<ThrowableView> suppressed = suppressedOf(view);
        if (!suppressed.isEmpty() && depth + 1 < MAX_CAUSE_DEPTH) {
            g.writeArrayFieldStart("suppressed");
            int n = 0;
            for (ThrowableView s : suppressed) {
                if (n++ == MAX_SUPPRESSED || remaining <= 0) {
                    break;
                }
                if (s != null && !seen.contains(s.identity())) {
                    writeObject(g, s, depth + 1, seen, false);
                }
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /**
     * The exception as {@link Throwable#printStackTrace()} prints it, bounded by
     * {@code max(maxFieldSize, 32 KiB)} characters and {@value #MAX_FRAMES} frames per exception.
     *
     * @param view the exception
     * @return the printed trace
     */
    public String printTrace(ThrowableView view) {
        raw.setLength(0);
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        print(view, "", "", 0, seen);
        return raw.toString();
    }

    private void print(ThrowableView view, String caption, String prefix, int depth, Set<Object> seen) {
        if (raw.length() > rawLimit) {
            return;
        }
        if (!seen.add(view.identity())) {
            raw.append(prefix).append(caption).append("[CIRCULAR REFERENCE: ").append(headline(view)).append("]\n");
            return;
        }
        raw.append(prefix).append(caption).append(headline(view)).append('\n');
        StackTraceElement[] frames = framesOf(view);
        int shown = Math.min(ownFrames(view, frames), MAX_FRAMES);
        for (int i = 0; i < shown && raw.length() <= rawLimit; i++) {
            raw.append(prefix).append("\tat ").append(frames[i]).append('\n');
        }
        int more = frames.length - shown;
        if (more > 0) {
            raw.append(prefix).append("\t... ").append(more).append(" more\n");
        }
        if (depth + 1 >= MAX_CAUSE_DEPTH) {
            return;
        }
        int n = 0;
        for (ThrowableView s : suppressedOf(view)) {
            if (n++ == MAX_SUPPRESSED) {
                break;
            }
            print(s, "Suppressed: ", prefix + "\t", depth + 1, seen);
        }
        ThrowableView cause = view.cause();
        if (cause != null) {
            print(cause, "Caused by: ", prefix, depth + 1, seen);
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
        return message == null || message.isEmpty() ? clean(typeOf(view)) : message;
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
    static StackTraceElement[] nonNullFrames(StackTraceElement[] frames) {
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
        return Text.clean(s, limits.maxFieldSize(), limits.truncationMarker());
    }
}
