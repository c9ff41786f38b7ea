package dev.logtide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * The current thread's trace id, picked up by every entry built on that thread.
 *
 * <p>Unlike the Python SDK's single global id, the id is per thread, so concurrent requests
 * keep their own. Use {@link #withTraceId(String)} in a try-with-resources block to set an id
 * for a unit of work and restore the previous one afterwards.
 *
 * <p>The id is also copied, on the thread that sets it, into the logging framework's own context
 * under {@link #CONTEXT_KEY} when the Logback or Log4j2 adapter is on the class path (the SLF4J
 * MDC, Log4j2's ThreadContext). Those frameworks capture their context on the calling thread, so
 * the id reaches the LogTide appender even when an {@code AsyncAppender}, {@code <Async>} or
 * async loggers run it on another thread. Adapters provide this through {@link Mirror}.
 *
 * <p>A tracing library's active span comes before this id: an entry built without an explicit
 * trace id takes the trace and span ids of the span current on the building thread, when a
 * {@link SpanSource} is on the class path (logtide-opentelemetry provides one for OpenTelemetry),
 * and this thread's id only when no span is current.
 */
public final class TraceContext {
    /**
     * The key under which the trace id is copied into a logging framework's context: only the
     * trace id is taken from it, it is not sent as a metadata key, and a trace id key of the
     * application's own ({@code trace_id}) wins over it.
     */
    public static final String CONTEXT_KEY = "logtide.trace_id";

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private TraceContext() {
    }

    /** @return the current thread's trace id, or {@code null} */
    public static String getTraceId() {
        return CURRENT.get();
    }

    /** @param traceId the id for the current thread; {@code null} clears it */
    public static void setTraceId(String traceId) {
        if (traceId == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(traceId);
        }
        for (Mirror mirror : Mirrors.ALL) {
            try {
                mirror.traceIdChanged(traceId);
            } catch (RuntimeException | LinkageError e) {
                // A framework missing at run time (the adapter without its framework) must not
                // break the application's call; the id is still in TraceContext.
            }
        }
    }

    /**
     * Sets a trace id until the returned scope is closed.
     *
     * @param traceId the id; {@code null} clears it inside the scope
     * @return a scope that restores the previous id when closed
     */
    public static Scope withTraceId(String traceId) {
        Scope scope = new Scope(CURRENT.get());
        setTraceId(traceId);
        return scope;
    }

    /** @return a scope with a fresh random UUID as trace id */
    public static Scope withNewTraceId() {
        return withTraceId(UUID.randomUUID().toString());
    }

    /** Restores the previous trace id when closed. Close it on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final String previous;

        private Scope(String previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            setTraceId(previous);
        }
    }

    /**
     * Copies the trace id into a logging framework's per-thread context, under
     * {@link #CONTEXT_KEY}. Implementations are found with {@link ServiceLoader} (the Logback and
     * Log4j2 adapters declare theirs) and run on the thread whose id changes.
     */
    public interface Mirror {
        /**
         * @param traceId the thread's new trace id, or {@code null} when it is cleared (remove the key)
         */
        void traceIdChanged(String traceId);
    }

    /**
     * The span a tracing library holds current on the calling thread (SDK contract C26). Found with
     * {@link ServiceLoader}, like {@link Mirror}; the first provider that loads is used. Asked on the
     * thread that builds an entry without an explicit trace id: {@link #currentTraceId()} first,
     * then, when it gave an id, {@link #currentSpanId()} right after on the same thread. Both must
     * be cheap and must not log; what they throw is ignored (the entry is built without the span).
     */
    public interface SpanSource {
        /** @return the current span's trace id (32 lowercase hex characters), or {@code null} when no span is current */
        String currentTraceId();

        /** @return the current span's span id (16 lowercase hex characters), or {@code null} */
        String currentSpanId();
    }

    /**
     * The trace id of the span a tracing library holds current on this thread (the same id an
     * entry built here would take), for code that sets up a context of its own, such as the HTTP
     * filters. Never throws.
     *
     * @return the span's trace id (32 lowercase hex characters from OpenTelemetry), or {@code null}
     *     when there is no {@link SpanSource}, no current span, or the source failed
     */
    public static String activeTraceId() {
        SpanSource source = Spans.SOURCE; // null while the source loads (it may log, reaching this again)
        if (source == null) {
            return null;
        }
        try {
            String id = source.currentTraceId();
            return id == null || id.isEmpty() ? null : id;
        } catch (RuntimeException | LinkageError e) {
            return null; // a log call never fails because of the tracing library
        }
    }

    /**
     * The span id of the span current on this thread. Call it right after {@link #activeTraceId()}
     * gave an id, on the same thread (the order {@link SpanSource} is asked in). Never throws.
     *
     * @return the span's id (16 lowercase hex characters from OpenTelemetry), or {@code null} when
     *     there is none or the source failed
     */
    public static String activeSpanId() {
        SpanSource source = Spans.SOURCE;
        if (source == null) {
            return null;
        }
        try {
            return source.currentSpanId();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Loaded on the first change of a trace id, once. */
    private static final class Mirrors {
        static final List<Mirror> ALL = load(Mirror.class);
    }

    /** Loaded when the current span is first asked for (the first entry built), once. */
    private static final class Spans {
        static final SpanSource SOURCE = first(load(SpanSource.class));

        private static SpanSource first(List<SpanSource> sources) {
            return sources.isEmpty() ? null : sources.get(0);
        }
    }

    /** More than any class path holds; bounds the loop should a broken provider repeat its error. */
    private static final int MAX_PROVIDERS = 16;

    private static <T> List<T> load(Class<T> service) {
        List<T> found = new ArrayList<>();
        Iterator<T> providers = ServiceLoader.load(service, TraceContext.class.getClassLoader()).iterator();
        for (int attempts = 0; attempts < MAX_PROVIDERS; attempts++) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                found.add(providers.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // a provider whose library is absent: the iterator goes on to the next one
            }
        }
        return Collections.unmodifiableList(found);
    }
}
