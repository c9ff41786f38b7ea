package dev.logtide;

import dev.logtide.internal.entry.ExceptionSerializer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link ThrowableView} over a live {@link Throwable}. Every accessor guards against
 * exceptions whose methods throw, so a hostile exception cannot break serialisation.
 */
final class JdkThrowableView implements ThrowableView {
    private final Throwable throwable;
    /** The exception this one is the cause or a suppressed exception of, or {@code null}. */
    private final Throwable enclosing;
    /**
     * Read on first use: following a long cause chain to its root reads only causes, and a
     * {@code getStackTrace()} per level would make that walk cost a stack trace copy per level.
     */
    private StackTraceElement[] frames;
    private int commonFrames = -1;

    JdkThrowableView(Throwable throwable, Throwable enclosing) {
        this.throwable = throwable;
        this.enclosing = enclosing;
    }

    @Override
    public String className() {
        return throwable.getClass().getName();
    }

    @Override
    public String message() {
        try {
            return throwable.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "[getMessage() threw " + e.getClass().getName() + "]";
        }
    }

    @Override
    public StackTraceElement[] frames() {
        if (frames == null) {
            frames = safeFrames(throwable);
        }
        return frames;
    }

    @Override
    public int commonFrames() {
        if (commonFrames < 0) {
            commonFrames = enclosing == null ? 0 : countCommon(frames(), safeFrames(enclosing));
        }
        return commonFrames;
    }

    @Override
    public ThrowableView cause() {
        try {
            Throwable cause = throwable.getCause();
            return cause == null || cause == throwable ? null : new JdkThrowableView(cause, throwable);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public List<ThrowableView> suppressed() {
        Throwable[] suppressed;
        try {
            suppressed = throwable.getSuppressed();
        } catch (RuntimeException | LinkageError e) {
            return Collections.emptyList();
        }
        if (suppressed.length == 0) {
            return Collections.emptyList();
        }
        List<ThrowableView> views = new ArrayList<>(suppressed.length);
        for (Throwable s : suppressed) {
            if (s != null) {
                views.add(new JdkThrowableView(s, throwable));
            }
        }
        return views;
    }

    @Override
    public Object identity() {
        return throwable;
    }

    private static StackTraceElement[] safeFrames(Throwable t) {
        try {
            // an overridden getStackTrace() may return nulls, which would break countCommon
            return ExceptionSerializer.nonNullFrames(t.getStackTrace());
        } catch (RuntimeException | LinkageError e) {
            return new StackTraceElement[0];
        }
    }

    /** Same rule as {@link Throwable#printStackTrace()}: trailing frames equal to the enclosing trace's. */
    private static int countCommon(StackTraceElement[] frames, StackTraceElement[] enclosing) {
        int m = frames.length - 1;
        int n = enclosing.length - 1;
        while (m >= 0 && n >= 0 && frames[m].equals(enclosing[n])) {
            m--;
            n--;
        }
        return frames.length - 1 - m;
    }
}
