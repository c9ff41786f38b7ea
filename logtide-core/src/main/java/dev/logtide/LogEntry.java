package dev.logtide;


import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One log event, captured on the calling thread and immutable from then on.
 *
 * <p>An entry holds references, not JSON: normalisation, payload limits and exception
 * serialisation run later on the sender thread, so building an entry is cheap. Maps passed
 * to the builder are not copied; hand over maps nobody mutates afterwards.
 *
 * <p>{@link Builder#build()} picks the trace and span ids in this order (SDK contract C26): the
 * ids set explicitly ({@link Builder#traceId}, {@link Builder#spanId}); else the span current on
 * the calling thread ({@link TraceContext.SpanSource}, e.g. OpenTelemetry's); else the logging
 * framework's context ({@link Builder#contextTraceId}, {@link Builder#contextSpanId}); else the
 * trace context of the calling thread's {@link LogTideScope}; else the calling thread's
 * {@link TraceContext}. The span id comes from the same place as the trace id, unless one was set
 * explicitly. It also takes the values of the calling thread's current {@link LogTideScope}
 * ({@link #scope()}).
 *
 * <p>The message may be deferred ({@link Builder#deferredMessage(Supplier, int)}): it is then
 * produced on the sender thread, the first time {@link #message()} is called.
 */
public final class LogEntry {
    private final long epochSecond;
    private final int nano;
    private final LogLevel level;
    private final String service;
    /** A String, {@code null}, or a {@link DeferredMessage}: one field, so other entries stay as small. */
    private final Object message;
    private final String traceId;
    private final String spanId;
    private final String logger;
    private final String thread;
    private final Map<String, ?> context;
    private final Map<String, Object> metadata;
    /** A {@link Throwable}, a {@link ThrowableView} or {@code null}: one field, as the builder takes either. */
    private final Object throwable;
    private final LogTideScope.Values scope;

    private LogEntry(Builder b) {
        this.epochSecond = b.epochSecond;
        this.nano = b.nano;
        this.level = b.level;
        this.service = b.service;
        this.message = b.deferredMessage != null
                ? new DeferredMessage(b.deferredMessage, b.estimatedMessageLength) : b.message;
        this.traceId = b.traceId;
        this.spanId = b.spanId;
        this.logger = b.logger;
        this.thread = b.thread;
        this.context = b.context;
        this.metadata = b.metadata;
        this.throwable = b.throwable;
        this.scope = b.scope;
    }

    /**
     * Starts an entry.
     *
     * @param level   the severity; {@code null} is taken as {@link LogLevel#INFO}
     * @param message the message text; an empty one is replaced before sending
     * @return a builder
     */
    public static Builder builder(LogLevel level, String message) {
        return new Builder(level, message);
    }

    /** @return the capture instant */
    public Instant time() {
        return Instant.ofEpochSecond(epochSecond, nano);
    }

    /** @return seconds of the capture instant since the epoch */
    public long epochSecond() {
        return epochSecond;
    }

    /** @return nanosecond adjustment of the capture instant */
    public int nano() {
        return nano;
    }

    /** @return the severity */
    public LogLevel level() {
        return level;
    }

    /** @return the service name, or {@code null} for the client's default */
    public String service() {
        return service;
    }

    /**
     * Returns the message. A deferred message is produced by the first call (on the sender thread,
     * when the entry is encoded) and kept; if its supplier throws, the message is
     * {@code "[message could not be formatted: <class of the throwable>]"}.
     *
     * @return the message as given, possibly {@code null} or empty
     */
    public String message() {
        Object m = message;
        return m instanceof DeferredMessage ? ((DeferredMessage) m).get() : (String) m;
    }

    /**
     * The message's length for bounding the buffer, without producing a deferred message.
     *
     * @return the message's length (0 for {@code null}), or for a deferred message the builder's estimate
     */
    public int estimatedMessageLength() {
        Object m = message;
        return m instanceof DeferredMessage ? ((DeferredMessage) m).estimatedLength
                : m == null ? 0 : ((String) m).length();
    }

    /** @return the trace id, or {@code null} */
    public String traceId() {
        return traceId;
    }

    /** @return the span id as given, or {@code null}; sent only when it is 16 hex characters */
    public String spanId() {
        return spanId;
    }

    /** @return the logger name, sent as {@code metadata.logger}, or {@code null} */
    public String logger() {
        return logger;
    }

    /** @return the thread name, sent as {@code metadata.thread}, or {@code null} */
    public String thread() {
        return thread;
    }

    /**
     * @return the diagnostic context (MDC, ThreadContext) sent as top-level metadata keys; a key
     *     that collides with a reserved one is sent under {@code metadata.mdc}. Never {@code null}.
     */
    public Map<String, ?> context() {
        return context;
    }

    /** @return structured metadata, never {@code null} */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /**
     * The exception as the log call gave it ({@link Builder#throwable(Throwable)}).
     *
     * @return the exception, or {@code null} when the entry has none or only a framework's
     *     snapshot of one (Logback's); {@link #exception()} covers both
     */
    public Throwable throwable() {
        Object t = throwable;
        return t instanceof Throwable ? (Throwable) t : null;
    }

    /**
     * The entry's exception as the serializer reads it, whichever way it was given: a view of the
     * {@link Throwable} ({@link ThrowableView#of(Throwable)}, made on each call) or the framework's
     * own view ({@link Builder#exception(ThrowableView)}).
     *
     * @return the exception's view, or {@code null} when the entry has no exception
     */
    public ThrowableView exception() {
        Object t = throwable;
        return t instanceof Throwable ? ThrowableView.of((Throwable) t) : (ThrowableView) t;
    }

    /**
     * @return the values of the {@link LogTideScope} current when the entry was built, added to it
     *     when it is encoded (its own metadata wins); {@code null} when there was none
     */
    public LogTideScope.Values scope() {
        return scope;
    }

    /**
     * A builder holding this entry's values, for a {@code beforeSend} hook that changes an entry:
     * {@code e -> e.toBuilder().put("region", "eu").build()}. Its {@code build()} keeps this
     * entry's time and trace id (an entry without one gets none from the thread that builds it).
     * A deferred message keeps being produced on the sender thread.
     *
     * @return a new builder; this entry is not changed
     */
    public Builder toBuilder() {
        Builder b = new Builder(level, null);
        if (message instanceof DeferredMessage) {
            DeferredMessage m = (DeferredMessage) message;
            b.deferredMessage(m::get, m.estimatedLength);
        } else {
            b.message = (String) message;
        }
        b.time(epochSecond, nano);
        b.service = service;
        b.traceId = traceId;
        b.traceFixed = true;
        b.spanId = spanId;
        b.logger = logger;
        b.thread = thread;
        b.context = context;
        b.metadata = metadata;
        b.throwable = throwable;
        b.scope = scope;
        b.scopeSet = true;
        return b;
    }

    /** Never produces a deferred message: this may run on any thread. */
    @Override
    public String toString() {
        return "LogEntry{" + level + " " + service + ": " + message + "}";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** A message produced on first use, once. */
    private static final class DeferredMessage {
        private final Supplier<String> supplier;
        final int estimatedLength;
        /** Set after {@link #text}, which it publishes. */
        private volatile boolean produced;
        private String text;

        DeferredMessage(Supplier<String> supplier, int estimatedLength) {
            this.supplier = supplier;
            this.estimatedLength = Math.max(0, estimatedLength);
        }

        String get() {
            if (!produced) {
                produce();
            }
            return text;
        }

        private synchronized void produce() {
            if (produced) {
                return;
            }
            String m;
            try {
                m = supplier.get();
            } catch (Throwable t) {
                // Anything may come out of a supplier (a StackOverflowError, a LinkageError): the
                // entry is sent all the same, and an Error escaping the encoder would stall the sender.
                m = "[message could not be formatted: " + t.getClass().getName() + "]";
            }
            text = m;
            produced = true;
        }

        @Override
        public String toString() {
            return produced ? text : "(deferred message)";
        }
    }

    /** Builds a {@link LogEntry}. Not thread-safe; use one builder per event. */
    public static final class Builder {
        private long epochSecond;
        private int nano;
        private boolean timeSet;
        private LogLevel level;
        private String service;
        private String message;
        private Supplier<String> deferredMessage;
        private int estimatedMessageLength;
        private String traceId;
        private String spanId;
        private String contextTraceId;
        private String contextSpanId;
        private String logger;
        private String thread;
        private Map<String, ?> context = Collections.emptyMap();
        private Map<String, Object> metadata = Collections.emptyMap();
        private boolean metadataOwned;
        private Object throwable;
        /** From {@link LogEntry#toBuilder()}: the trace id is the entry's, not the building thread's. */
        private boolean traceFixed;
        private LogTideScope.Values scope;
        /** Set explicitly or by {@link LogEntry#toBuilder()}: not taken from the building thread. */
        private boolean scopeSet;

        private Builder(LogLevel level, String message) {
            this.level = level == null ? LogLevel.INFO : level;
            this.message = message;
        }

        /**
         * Produces the message later, on the client's sender thread, instead of on the calling
         * thread: for a message that is costly to format (JUL's {@code MessageFormat}) and whose
         * inputs the caller has already copied. Replaces the message given to
         * {@link LogEntry#builder(LogLevel, String)}.
         *
         * <p>The supplier runs once, on the sender thread, when the entry is encoded. It must not
         * read anything the calling code may change after the log call (mutable parameters, thread
         * locals, the MDC): capture those before building the entry. It may return {@code null} or
         * an empty string (replaced like an empty message); if it throws, the entry is still sent,
         * with a placeholder message naming the throwable's class.
         *
         * @param message        produces the message text; {@code null} keeps the message as given
         * @param estimatedChars the expected length of the text, used to bound the buffer by bytes
         *                       without running the supplier on the calling thread
         * @return this builder
         */
        public Builder deferredMessage(Supplier<String> message, int estimatedChars) {
            this.deferredMessage = message;
            this.estimatedMessageLength = estimatedChars;
            return this;
        }

        /**
         * @param service the service name; blank means the client's default
         * @return this builder
         */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /**
         * @param time the capture instant; default: when {@link #build()} runs
         * @return this builder
         */
        public Builder time(Instant time) {
            if (time != null) {
                return time(time.getEpochSecond(), time.getNano());
            }
            return this;
        }

        /**
         * @param epochSecond seconds since the epoch
         * @param nanoOfSecond nanosecond adjustment, 0 to 999,999,999
         * @return this builder
         */
        public Builder time(long epochSecond, int nanoOfSecond) {
            this.epochSecond = epochSecond + Math.floorDiv(nanoOfSecond, 1_000_000_000);
            this.nano = Math.floorMod(nanoOfSecond, 1_000_000_000);
            this.timeSet = true;
            return this;
        }

        /**
         * @param epochMillis the capture instant in milliseconds since the epoch
         * @return this builder
         */
        public Builder timeMillis(long epochMillis) {
            return time(Math.floorDiv(epochMillis, 1000L), (int) Math.floorMod(epochMillis, 1000L) * 1_000_000);
        }

        /**
         * @param traceId the trace id; wins over an active span and the thread's trace context unless blank
         * @return this builder
         */
        public Builder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        /**
         * @param spanId the span id; wins over any other; sent only when it is 16 hex characters
         * @return this builder
         */
        public Builder spanId(String spanId) {
            this.spanId = spanId;
            return this;
        }

        /**
         * @param traceId a trace id from the logging framework's context (MDC, ThreadContext): used
         *                when none was set explicitly and no span is current; wins over the
         *                thread's {@link TraceContext} unless blank
         * @return this builder
         */
        public Builder contextTraceId(String traceId) {
            this.contextTraceId = traceId;
            return this;
        }

        /**
         * @param spanId a span id from the logging framework's context: used when none was set
         *               explicitly and the trace id comes from that context or {@link TraceContext}
         * @return this builder
         */
        public Builder contextSpanId(String spanId) {
            this.contextSpanId = spanId;
            return this;
        }

        /**
         * @param logger the logger name, sent as {@code metadata.logger}
         * @return this builder
         */
        public Builder logger(String logger) {
            this.logger = logger;
            return this;
        }

        /**
         * @param thread the thread name, sent as {@code metadata.thread}
         * @return this builder
         */
        public Builder thread(String thread) {
            this.thread = thread;
            return this;
        }

        /**
         * @param context a diagnostic context map (MDC), sent as top-level metadata keys
         * @return this builder
         */
        public Builder context(Map<String, ?> context) {
            this.context = context == null ? Collections.emptyMap() : context;
            return this;
        }

        /**
         * @param metadata structured metadata; replaces what was set before
         * @return this builder
         */
        public Builder metadata(Map<String, Object> metadata) {
            this.metadata = metadata == null ? Collections.emptyMap() : metadata;
            this.metadataOwned = false;
            return this;
        }

        /**
         * Adds one metadata key.
         *
         * @param key   the key; a {@code null} key is ignored (a log call must never throw)
         * @param value any value; see the documentation for how values are rendered
         * @return this builder
         */
        public Builder put(String key, Object value) {
            if (key == null) {
                return this;
            }
            if (!metadataOwned) {
                metadata = new LinkedHashMap<>(metadata);
                metadataOwned = true;
            }
            metadata.put(key, value);
            return this;
        }

        /**
         * @param throwable the exception, serialised in the server's structured shape
         * @return this builder
         */
        public Builder throwable(Throwable throwable) {
            this.throwable = throwable;
            return this;
        }

        /**
         * @param exception an exception view, for frameworks that do not hold a {@link Throwable}
         * @return this builder
         */
        public Builder exception(ThrowableView exception) {
            this.throwable = exception;
            return this;
        }

        /**
         * @param values scope values for this entry instead of those of the building thread's
         *               current {@link LogTideScope}; {@code null} for none (a {@code beforeSend}
         *               hook can strip them so)
         * @return this builder
         */
        public Builder scope(LogTideScope.Values values) {
            this.scope = values;
            this.scopeSet = true;
            return this;
        }

        /** @return the entry; captures the time, the scope and the trace context if they were not set */
        public LogEntry build() {
            if (!timeSet) {
                Instant now = Instant.now();
                epochSecond = now.getEpochSecond();
                nano = now.getNano();
            }
            if (!scopeSet) {
                scope = LogTideScope.forEntry();
            }
            if (!traceFixed && isBlank(traceId)) {
                String active = TraceContext.activeTraceId();
                String fromSpan = null;
                if (active != null) {
                    traceId = active;
                    fromSpan = TraceContext.activeSpanId();
                } else if (!isBlank(contextTraceId)) { // an empty MDC value must not hide the thread's id
                    traceId = contextTraceId;
                    fromSpan = contextSpanId;
                } else if (scope != null && scope.traceId() != null) {
                    traceId = scope.traceId();
                    fromSpan = scope.spanId();
                } else {
                    traceId = TraceContext.getTraceId();
                    fromSpan = contextSpanId;
                }
                if (isBlank(spanId)) {
                    spanId = fromSpan;
                }
            }
            return new LogEntry(this);
        }
    }
}
