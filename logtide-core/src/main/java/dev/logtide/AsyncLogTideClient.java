package dev.logtide;

import dev.logtide.query.AggregatedStats;
import dev.logtide.query.AggregatedStatsOptions;
import dev.logtide.query.LiveTail;
import dev.logtide.query.LiveTailOptions;
import dev.logtide.query.LogRecord;
import dev.logtide.query.LogsResponse;
import dev.logtide.query.QueryClient;
import dev.logtide.query.QueryOptions;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The non-blocking face of a {@link LogTideClient}: reads and flushes return
 * {@link CompletableFuture}s and never block the caller.
 *
 * <ul>
 *   <li>Reads ({@link #query}, {@link #getByTraceId}, {@link #getLog}, {@link #getAggregatedStats})
 *       are sent with OkHttp's asynchronous dispatcher; their futures complete on OkHttp's
 *       dispatcher threads, so dependent stages that do real work belong on your own executor
 *       ({@code thenApplyAsync(fn, executor)}). Cancelling such a future cancels its HTTP call
 *       (cancelling a stage derived from it does not).</li>
 *   <li>Logging methods are fire-and-forget and never block: the same {@link LogMethods} as the
 *       blocking client's.</li>
 *   <li>{@link #flush()} and {@link #close()} complete when the entries buffered at the call are
 *       sent (or given up).</li>
 * </ul>
 *
 * <p>Get one with {@code new AsyncLogTideClient(options)} (it owns its client) or
 * {@link LogTideClient#async()} (a view of that client). Either way there is one client behind
 * it: closing the view closes the client.
 */
public final class AsyncLogTideClient implements LogMethods {
    private final LogTideClient client;
    private final QueryClient queries;

    /**
     * Creates a client, as {@link LogTideClient#LogTideClient(ClientOptions)} does.
     *
     * @param options validated options
     */
    public AsyncLogTideClient(ClientOptions options) {
        this(new LogTideClient(options));
    }

    AsyncLogTideClient(LogTideClient client) {
        this.client = client;
        this.queries = client.queries();
    }

    /** @return the blocking client behind this one (the same client, not a copy) */
    public LogTideClient sync() {
        return client;
    }

    /**
     * Queues an entry; never blocks.
     * @param entry the entry; {@code null} is ignored
     */
    @Override
    public void log(LogEntry entry) {
        client.log(entry);
    }

    /**
     * Queues a log; never blocks. The shorthands ({@code info(service, message)} and the others)
     * come from {@link LogMethods}, as on {@link LogTideClient}.
     *
     * @param level    severity
     * @param service  service name, {@code null} for the default
     * @param message  text
     * @param metadata fields, or {@code null}
     * @param error    exception, or {@code null}
     */
    @Override
    public void log(LogLevel level, String service, String message, Map<String, ?> metadata, Throwable error) {
        client.log(level, service, message, metadata, error);
    }

    /**
     * @param options filters and paging
     * @return one page of matches; see {@link QueryClient#query(QueryOptions)}
     */
    public CompletableFuture<LogsResponse> query(QueryOptions options) {
        return queries.queryAsync(options);
    }

    /**
     * @param traceId the trace id
     * @return the trace's logs; see {@link QueryClient#getByTraceId(String)}
     */
    public CompletableFuture<List<LogRecord>> getByTraceId(String traceId) {
        return queries.getByTraceIdAsync(traceId);
    }

    /**
     * @param logId the log's id, a UUID
     * @return the log, or empty when the server has none with that id
     */
    public CompletableFuture<Optional<LogRecord>> getLog(String logId) {
        return queries.getLogAsync(logId);
    }

    /**
     * @param options the range, bucket width and service
     * @return log counts per time bucket
     */
    public CompletableFuture<AggregatedStats> getAggregatedStats(AggregatedStatsOptions options) {
        return queries.getAggregatedStatsAsync(options);
    }

    /**
     * Starts a live tail; returns at once. See {@link LiveTail}.
     *
     * @param onLog   receives each new log once, on the tail's thread
     * @param onError receives the error that stopped the tail, at most once; {@code null} to ignore
     * @param options filters and reconnection; {@code null} for the defaults
     * @return the running tail
     */
    public LiveTail stream(Consumer<? super LogRecord> onLog, Consumer<? super Throwable> onError,
                           LiveTailOptions options) {
        return queries.stream(onLog, onError, options);
    }

    /** @return a future completed when everything buffered at the call is sent or given up */
    public CompletableFuture<Void> flush() {
        return client.flushAsync();
    }

    /**
     * Closes the client without blocking the caller: flushes (within {@code closeTimeoutMs}) and
     * stops the sender on a short-lived daemon thread. Idempotent.
     *
     * @return a future completed when the client is closed
     */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                client.close();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "logtide-close");
        closer.setDaemon(true);
        closer.start();
        return done;
    }

    /** @return a snapshot of the delivery counters */
    public ClientMetrics getMetrics() {
        return client.getMetrics();
    }

    @Override
    public String toString() {
        return "AsyncLogTideClient{" + client + "}";
    }
}
