package dev.logtide;

import dev.logtide.internal.buffer.DeliveryMetrics;
import dev.logtide.internal.buffer.EntryBuffer;
import dev.logtide.internal.diagnostics.Diagnostics;
import dev.logtide.internal.transport.ClassPathCheck;
import dev.logtide.internal.transport.FeedbackGuard;
import dev.logtide.internal.transport.HttpClients;
import dev.logtide.internal.transport.Sender;
import dev.logtide.query.AggregatedStats;
import dev.logtide.query.AggregatedStatsOptions;
import dev.logtide.query.LiveTail;
import dev.logtide.query.LiveTailOptions;
import dev.logtide.query.LogRecord;
import dev.logtide.query.LogsResponse;
import dev.logtide.query.QueryClient;
import dev.logtide.query.QueryOptions;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Ships log entries to a LogTide server.
 *
 * <p>Every logging method returns at once: it takes a snapshot of the event and puts it in a
 * bounded buffer. It does no I/O, never sleeps (unless {@code blockWhenFullMs} is set), holds no
 * lock across I/O and never throws. A background daemon thread named {@code logtide-sender}
 * batches, serialises and sends entries, with retries, a circuit breaker and batch splitting.
 * When the buffer is full, new entries are dropped and counted in {@link #getMetrics()}.
 *
 * <p>Create one client per application and {@link #close()} it on shutdown; a JVM shutdown hook
 * closes it too unless {@link ClientOptions#registerShutdownHook()} is off.
 *
 * <pre>{@code
 * try (LogTideClient client = new LogTideClient(ClientOptions.builder()
 *         .apiUrl("http://localhost:8080").apiKey("lp_...").build())) {
 *     client.info("api", "Server started", Map.of("port", 3000));
 * }
 * }</pre>
 */
public final class LogTideClient implements AutoCloseable, LogMethods {
    private final ClientOptions options;
    private final Diagnostics diagnostics;
    private final DeliveryMetrics metrics;
    private final EntryBuffer buffer;
    private final Sender sender;
    private final QueryClient queries;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean reportedAfterClose = new AtomicBoolean();
    private final Thread shutdownHook;
    private final double sampleRate;

    /**
     * Creates a client and starts its sender thread. The OkHttp, Okio, Kotlin stdlib and Jackson on
     * the class path are checked first (docs/compatibility.md): versions that work but are not the
     * ones the SDK is built for get one warning through the diagnostics.
     *
     * @param options validated options
     * @throws IllegalStateException when OkHttp cannot run on the Okio or Kotlin stdlib found; the
     *                               message names the versions and jars found and what to declare
     *                               (the adapters report it and leave the application running)
     */
    public LogTideClient(ClientOptions options) {
        this.options = options;
        this.sampleRate = options.sampleRate();
        this.diagnostics = new Diagnostics(options.debug(), options.diagnosticListener());
        ClassPathCheck.verify(diagnostics);
        this.metrics = new DeliveryMetrics();
        this.buffer = new EntryBuffer(options.maxBufferSize(), options.maxBufferBytes(),
                options.blockWhenFullMs(), options.batchSize(), metrics);
        OkHttpClient httpClient = HttpClients.forOptions(options);
        this.sender = new Sender(options, buffer, metrics, diagnostics, httpClient);
        this.queries = new QueryClient(httpClient, options.apiUrl(), options.apiKey(), diagnostics);
        this.sender.start();
        if (options.registerShutdownHook()) {
            shutdownHook = new Thread(this::closeFromHook, "logtide-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
        warnIfKeyTravelsInClear(options.apiUrl());
        diagnostics.debug("client started for " + options.apiUrl());
    }

    /** @return the options this client runs with */
    public ClientOptions options() {
        return options;
    }

    /**
     * Logs with every part given.
     *
     * @param level    severity
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, copied at the call (one level deep), or {@code null}
     * @param error    exception, or {@code null}
     */
    @Override
    public void log(LogLevel level, String service, String message, Map<String, ?> metadata, Throwable error) {
        try {
            LogEntry.Builder b = LogEntry.builder(level, message).service(service).throwable(error);
            if (metadata != null && !metadata.isEmpty()) {
                b.metadata(Snapshot.of(metadata));
            }
            log(b.build());
        } catch (RuntimeException e) {
            // A hostile map (a concurrent modification, a throwing iterator) must not reach the caller.
            metrics.dropped(DropReason.INVALID, 1);
            diagnostics.warn("could not capture a log call: " + e.getClass().getName(), e);
        }
    }

    /**
     * Queues an entry. Never blocks (unless {@code blockWhenFullMs} is set) and never throws.
     * With a {@link ClientOptions#sampleRate()} below 1, the entry is first kept or left out
     * (counted as {@link DropReason#SAMPLED}) by a fresh draw.
     *
     * @param entry the entry; {@code null} is ignored
     */
    @Override
    public void log(LogEntry entry) {
        if (entry == null) {
            return;
        }
        if (closed.get()) {
            droppedAfterClose();
            return;
        }
        if (!sampledOut()) {
            enqueue(entry);
        }
    }

    private void enqueue(LogEntry entry) {
        try {
            buffer.offer(entry);
        } catch (RuntimeException e) {
            // Sizing walks the caller's maps; one mutated concurrently throws here.
            metrics.dropped(DropReason.INVALID, 1);
            diagnostics.warn("could not queue a log entry: " + e.getClass().getName(), e);
        }
    }

    /**
     * The logging adapters' one entry call, in the order that keeps a log call cheap and safe:
     * <ol>
     * <li>guard: an event logged by the delivery itself ({@link FeedbackGuard}: LogTide's own
     *     threads, OkHttp's background threads) is ignored, so it is never queued again;</li>
     * <li>early refusal: when the client would drop an entry of this level anyway (closed, or the
     *     buffer full or past its shedding mark, where only WARN and above get in), the drop is
     *     counted ({@link DropReason#AFTER_CLOSE} or {@link DropReason#BUFFER_FULL}) and
     *     {@code mapper} is never called, so an overloaded buffer costs the application almost
     *     nothing per call;</li>
     * <li>sample: with a {@link ClientOptions#sampleRate()} below 1, an event left out by the draw
     *     is counted ({@link DropReason#SAMPLED}) and {@code mapper} is never called either;</li>
     * <li>map: {@code mapper} turns the event into an entry, once, on the calling thread (the
     *     framework's event may be reused once the call returns);</li>
     * <li>enqueue, as {@link #log(LogEntry)} (without a second draw).</li>
     * </ol>
     * Adapters call only this, so none can leave a step out. The event and a mapper the adapter
     * keeps are passed apart, rather than one lambda capturing the event, so that a call costs no
     * allocation when the entry is refused.
     *
     * @param <E>             the framework's event type
     * @param loggerName      the event's logger name, or {@code null}
     * @param eventThreadName the name of the thread that logged the event when the framework may
     *                        append on another one (async appenders and loggers), else {@code null}
     * @param level           the level the entry will have; {@code null} is taken as INFO
     * @param event           the framework's event, handed to {@code mapper}
     * @param mapper          builds the entry from the event; a {@code null} result queues nothing
     * @throws RuntimeException what {@code mapper} threw (also {@link LinkageError} and
     *     {@link StackOverflowError}), after counting the entry as dropped,
     *     {@link DropReason#INVALID}: the adapter reports it through its framework's own channel
     */
    public <E> void append(String loggerName, String eventThreadName, LogLevel level, E event,
                           Function<? super E, LogEntry> mapper) {
        if (FeedbackGuard.isInternal(loggerName, eventThreadName) || dropIfRefused(level) || sampledOut()) {
            return;
        }
        LogEntry built;
        try {
            built = mapper.apply(event);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            metrics.dropped(DropReason.INVALID, 1);
            throw e;
        }
        if (built != null) {
            enqueue(built);
        }
    }

    /** Counts and reports true when an entry of this level would be dropped anyway (closed, buffer full or shedding). */
    private boolean dropIfRefused(LogLevel level) {
        if (closed.get()) {
            droppedAfterClose();
            return true;
        }
        if (buffer.refuses(level == null ? LogLevel.INFO : level)) {
            metrics.dropped(DropReason.BUFFER_FULL, 1);
            return true;
        }
        return false;
    }

    /**
     * Sends everything buffered at the call and waits until it is sent or given up (the server
     * is unreachable: then entries stay buffered for a later attempt).
     */
    public void flush() {
        try {
            flushAsync().join();
        } catch (RuntimeException e) {
            diagnostics.warn("flush failed: " + e, e);
        }
    }

    /**
     * Like {@link #flush()}, waiting at most the given time.
     *
     * @param timeout how long to wait
     * @param unit    its unit
     * @return whether the flush finished in time
     */
    public boolean flush(long timeout, TimeUnit unit) {
        try {
            flushAsync().get(timeout, unit);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** @return a future completed when everything buffered at the call is sent or given up */
    public CompletableFuture<Void> flushAsync() {
        if (closed.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return sender.requestFlush();
    }

    /**
     * Delivers what is buffered within the configured {@code closeTimeoutMs} (transient failures
     * retried until then, what waits sent in parallel requests), stops the sender thread, and
     * counts and reports in one warning what could not be confirmed. Idempotent; later log calls
     * are dropped, counted as {@link DropReason#AFTER_CLOSE}, with one warning per client the
     * first time.
     */
    @Override
    public void close() {
        close(options.closeTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Like {@link #close()} with an explicit time budget.
     *
     * @param timeout the most time to spend flushing
     * @param unit    its unit
     */
    public void close(long timeout, TimeUnit unit) {
        if (!closed.compareAndSet(false, true)) {
            sender.awaitStopped(unit.toMillis(timeout));
            return;
        }
        removeShutdownHook();
        sender.shutdown(unit.toMillis(timeout));
        diagnostics.debug("client closed: " + getMetrics());
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Removes the JVM shutdown hook, for containers that manage the client's lifecycle
     * themselves. Safe to call more than once.
     */
    public void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // The JVM is already shutting down, or the hook was removed before.
            }
        }
    }

    /**
     * Draws whether an entry is left out by sampling (contract C23), and counts it if so. Before
     * the buffer, so a sampled-out entry never takes room from one that is kept.
     */
    private boolean sampledOut() {
        if (sampleRate < 1 && !(ThreadLocalRandom.current().nextDouble() < sampleRate)) {
            metrics.dropped(DropReason.SAMPLED, 1);
            return true;
        }
        return false;
    }

    /**
     * Counts an entry logged after close, and says so once: at JVM exit that is how lines logged
     * by a thread or hook still running after the client closed are lost, and loss is never silent.
     */
    private void droppedAfterClose() {
        metrics.dropped(DropReason.AFTER_CLOSE, 1);
        if (reportedAfterClose.compareAndSet(false, true)) {
            diagnostics.warnAlways("LogTide client is closed: entries logged after close are dropped and counted as "
                    + "AFTER_CLOSE in getMetrics() (said once per client)");
        }
    }

    /** Plain http:// is fine on this machine; anywhere else the key crosses the network readable. */
    private void warnIfKeyTravelsInClear(String apiUrl) {
        HttpUrl url = HttpUrl.parse(apiUrl);
        if (url == null || url.isHttps()) {
            return;
        }
        String host = url.host();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("[::1]") || host.equals("0:0:0:0:0:0:0:1");
        if (!loopback) {
            diagnostics.warn("apiUrl uses http:// to " + host + ": the API key and every entry travel unencrypted; "
                    + "use https://", null);
        }
    }

    private void closeFromHook() {
        // A framework that stops its appenders from its own hook is still logging: let it close us.
        ExitOrder.awaitFrameworks(closed::get);
        // The application's own hooks may still be logging their last lines.
        ExitOrder.awaitQuiet(buffer::enqueued, closed::get);
        close();
    }

    /** @return a snapshot of the delivery counters */
    public ClientMetrics getMetrics() {
        return metrics.snapshot(buffer.size(), buffer.bytes());
    }

    /** Zeroes the counters (not the buffer). */
    public void resetMetrics() {
        metrics.reset();
    }

    /** @return the circuit breaker's state */
    public CircuitState getCircuitBreakerState() {
        return sender.circuitState();
    }

    /** @param traceId the current thread's trace id; {@code null} clears it. See {@link TraceContext}. */
    public void setTraceId(String traceId) {
        TraceContext.setTraceId(traceId);
    }

    /** @return the current thread's trace id, or {@code null} */
    public String getTraceId() {
        return TraceContext.getTraceId();
    }

    /**
     * @param traceId the id for the scope
     * @return a scope that restores the previous id when closed
     */
    public TraceContext.Scope withTraceId(String traceId) {
        return TraceContext.withTraceId(traceId);
    }

    /** @return a scope with a fresh UUID trace id */
    public TraceContext.Scope withNewTraceId() {
        return TraceContext.withNewTraceId();
    }

    /** The read side, shared with {@link AsyncLogTideClient}. */
    QueryClient queries() {
        return queries;
    }


    // Reading logs back (docs/query.md): straight to the server, outside the delivery buffer and breaker.

    /**
     * Searches logs ({@code GET /api/v1/logs}): one page, newest first.
     *
     * @param options filters and paging
     * @return the page
     * @throws dev.logtide.query.LogTideApiException   on an HTTP error answer (401: key rejected)
     * @throws dev.logtide.query.LogTideQueryException when the server is unreachable, its answer is malformed, or a
     *     limit of the call (time, answer size) is hit
     */
    public LogsResponse query(QueryOptions options) {
        return queries.query(options);
    }

    /**
     * Every matching log, fetched lazily page by page by following {@code nextCursor}.
     *
     * @param options filters; {@code limit} is the page size
     * @return the matches, newest first
     */
    public Stream<LogRecord> queryAll(QueryOptions options) {
        return queries.queryAll(options);
    }

    /**
     * @param traceId a trace id (URL-encoded as one path segment)
     * @return the trace's logs, oldest first
     */
    public List<LogRecord> getByTraceId(String traceId) {
        return queries.getByTraceId(traceId);
    }

    /**
     * @param logId a log's id, a UUID
     * @return the log, or empty when the server has none with that id
     */
    public Optional<LogRecord> getLog(String logId) {
        return queries.getLog(logId);
    }

    /**
     * @param options the range, bucket width and service
     * @return log counts per time bucket
     */
    public AggregatedStats getAggregatedStats(AggregatedStatsOptions options) {
        return queries.getAggregatedStats(options);
    }

    /**
     * Starts a live tail of new logs and returns at once; see {@link LiveTail}.
     *
     * @param onLog   receives each new log once, on the tail's thread
     * @param onError receives the error that stopped the tail, at most once; {@code null} to ignore
     * @param options filters and reconnection; {@code null} for the defaults
     * @return the running tail; close it to stop
     */
    public LiveTail stream(Consumer<? super LogRecord> onLog,
                                            Consumer<? super Throwable> onError,
                                            LiveTailOptions options) {
        return queries.stream(onLog, onError, options);
    }

    /** @return a non-blocking view of this client (the same client: closing the view closes it) */
    public AsyncLogTideClient async() {
        return new AsyncLogTideClient(this);
    }

    @Override
    public String toString() {
        return "LogTideClient{" + options.apiUrl() + (closed.get() ? ", closed" : "") + "}";
    }
}
