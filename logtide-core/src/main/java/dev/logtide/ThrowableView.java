package dev.logtide;

import java.util.List;

/**
 * What the exception serializer reads from an exception. {@link #of(Throwable)} adapts a
 * {@link Throwable}; frameworks that keep their own snapshot of an exception (Logback's
 * {@code IThrowableProxy}) implement this interface over it.
 *
 * <p>Views are read on the sender thread, after the log call has returned: implementations must
 * not depend on the calling thread's state.
 */
public interface ThrowableView {
    /** @return the fully qualified class name */
    String className();

    /** @return the message, possibly {@code null}; must not throw */
    String message();

    /** @return the frames, innermost first; never {@code null} */
    StackTraceElement[] frames();

    /**
     * @return how many trailing frames this exception shares with the one that encloses it
     *     (printed as {@code ... N more}); 0 when unknown
     */
    int commonFrames();

    /** @return the cause, or {@code null} */
    ThrowableView cause();

    /** @return suppressed exceptions, never {@code null} */
    List<ThrowableView> suppressed();

    /**
     * @return the object that identifies the underlying exception, used to detect cause cycles
     *     when views are created afresh on each call (default: the view itself)
     */
    default Object identity() {
        return this;
    }

    /**
     * @param throwable an exception
     * @return a view of it, or {@code null} for {@code null}
     */
    static ThrowableView of(Throwable throwable) {
        return throwable == null ? null : new JdkThrowableView(throwable, null);
    }
}
