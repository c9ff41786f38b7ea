package dev.logtide.logback;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.logtide.ThrowableView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ThrowableView} over Logback's {@link IThrowableProxy}. Logback builds the proxy on the
 * calling thread when the event is created and never changes it afterwards, so reading it later
 * on the sender thread is safe. Using the proxy rather than the live {@link Throwable} also works
 * for events that carry no throwable object (deserialised or remote events), and keeps Logback's
 * own {@code ... N common frames} count.
 */
final class LogbackThrowableView implements ThrowableView {
    private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];

    private final IThrowableProxy proxy;
    /** The view this one is the cause or a suppressed exception of, or {@code null}. */
    private final LogbackThrowableView enclosing;
    /** Computed on first use, on the sender thread; a racing second computation yields an equal array. */
    private StackTraceElement[] frames;

    LogbackThrowableView(IThrowableProxy proxy) {
        this(proxy, null);
    }

    private LogbackThrowableView(IThrowableProxy proxy, LogbackThrowableView enclosing) {
        this.proxy = proxy;
        this.enclosing = enclosing;
    }

    @Override
    public String className() {
        return proxy.getClassName();
    }

    @Override
    public String message() {
        return proxy.getMessage();
    }

    @Override
    public StackTraceElement[] frames() {
        StackTraceElement[] result = frames;
        if (result == null) {
            result = toFrames(proxy.getStackTraceElementProxyArray());
            frames = result;
        }
        return result;
    }

    @Override
    public int commonFrames() {
        return proxy.getCommonFrames();
    }

    @Override
    public ThrowableView cause() {
        IThrowableProxy cause = proxy.getCause();
        return cause == null ? null : new LogbackThrowableView(cause, this);
    }

    @Override
    public List<ThrowableView> suppressed() {
        IThrowableProxy[] suppressed = proxy.getSuppressed();
        if (suppressed == null || suppressed.length == 0) {
            return Collections.emptyList();
        }
        List<ThrowableView> views = new ArrayList<>(suppressed.length);
        for (IThrowableProxy s : suppressed) {
            if (s != null) {
                views.add(new LogbackThrowableView(s, this));
            }
        }
        return views;
    }

    /**
     * Views are created afresh on every {@link #cause()} call, so cycles are detected on what the
     * proxy stands for. Logback ends a cause cycle with a new proxy marked cyclic, which has no
     * cause of its own: its identity is the exception it repeats (the live one when Logback kept it,
     * else the enclosing proxy of the same class and message), so the serializer marks the cycle
     * {@code [CIRCULAR REFERENCE: ...]} as it does for a {@link Throwable} and Log4j2's events.
     */
    @Override
    public Object identity() {
        if (proxy instanceof ThrowableProxy && ((ThrowableProxy) proxy).getThrowable() != null) {
            return ((ThrowableProxy) proxy).getThrowable();
        }
        if (proxy.isCyclic()) {
            for (LogbackThrowableView v = enclosing; v != null; v = v.enclosing) {
                if (!v.proxy.isCyclic() && Objects.equals(v.proxy.getClassName(), proxy.getClassName())
                        && Objects.equals(v.proxy.getMessage(), proxy.getMessage())) {
                    return v.identity();
                }
            }
        }
        return proxy;
    }

    private static StackTraceElement[] toFrames(StackTraceElementProxy[] proxies) {
        if (proxies == null || proxies.length == 0) {
            return NO_FRAMES;
        }
        List<StackTraceElement> out = new ArrayList<>(proxies.length);
        for (StackTraceElementProxy p : proxies) {
            if (p != null && p.getStackTraceElement() != null) {
                out.add(p.getStackTraceElement());
            }
        }
        return out.toArray(NO_FRAMES);
    }
}
