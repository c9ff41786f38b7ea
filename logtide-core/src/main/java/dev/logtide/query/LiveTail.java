package dev.logtide.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.FeedbackGuard;
import dev.logtide.diagnostics.Diagnostics;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okio.BufferedSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A running live tail of the server's log stream ({@code GET /api/v1/logs/stream}, Server-Sent
 * Events), started by {@code stream(...)}. A daemon thread named {@code logtide-live-tail} reads
 * the stream and hands each new log to {@code onLog}, once.
 *
 * <ul>
 *   <li>The {@code connected} event and heartbeat comments are consumed, not delivered.</li>
 *   <li>Logs are de-duplicated by id: the server sends its newest log again on every poll.</li>
 *   <li>When the connection drops, goes silent for {@link LiveTailOptions#idleTimeout()}, or the
 *       server answers 5xx, 408 or 429, the tail reconnects after a capped exponential backoff
 *       (honouring {@code Retry-After}), then fetches the logs stamped between the last one it
 *       delivered and the new connection through the query API (at most
 *       {@link LiveTailOptions#maxBackfill()}), so nothing is delivered twice and a short gap
 *       loses nothing. These recoveries are reported to the client's diagnostics, not to
 *       {@code onError}.</li>
 *   <li>A 401 or 403 (key rejected, or a write-only key), another 4xx, or an answer that is not
 *       an event stream stops the tail and is handed to {@code onError}, once.</li>
 *   <li>A callback that throws is reported to diagnostics; the tail goes on.</li>
 * </ul>
 *
 * <p>The callbacks run on the tail's thread, which LogTide marks as its own: events logged from
 * them through a LogTide appender are dropped, since they would be streamed back and logged again
 * without end. Hand records to another thread or print them. Logs stamped before the connection,
 * or in the future, are never streamed by the server.
 */
public final class LiveTail implements AutoCloseable {
    private static final String EVENT_STREAM = "text/event-stream";
    /** Longest SSE line read; one log with huge metadata fits, an endless line does not exhaust memory. */
    private static final long MAX_LINE = 16L * 1024 * 1024;
    /** Ids remembered for de-duplication; the server only re-sends logs of its last poll. */
    private static final int REMEMBERED_IDS = 10_000;
    private static final long MAX_RETRY_AFTER_MS = TimeUnit.MINUTES.toMillis(10);
    private static final long CLOSE_WAIT_MS = 5000;

    private final QueryClient client;
    private final OkHttpClient http;
    private final HttpUrl url;
    private final Consumer<? super LogRecord> onLog;
    private final Consumer<? super Throwable> onError;
    private final LiveTailOptions options;
    private final Diagnostics diagnostics;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong reconnects = new AtomicLong();
    private volatile Call streamCall;
    private volatile Call backfillCall;

    // Owned by the tail's thread.
    private final Set<String> seenIds = Collections.newSetFromMap(new LinkedHashMap<String, Boolean>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    });
    private Instant resumeFrom;
    private boolean connectedThisAttempt;
    private long retryAfterMs;

    LiveTail(QueryClient client, Consumer<? super LogRecord> onLog, Consumer<? super Throwable> onError,
             LiveTailOptions options) {
        this.client = client;
        this.onLog = onLog;
        this.onError = onError;
        this.options = options;
        this.diagnostics = client.diagnostics();
        // The stream never ends by itself: no call timeout, and silence beyond idleTimeout means a dead connection.
        this.http = client.http().newBuilder().callTimeout(Duration.ZERO).readTimeout(options.idleTimeout()).build();
        HttpUrl.Builder u = client.route("api/v1/logs/stream");
        if (options.service() != null) {
            u.addQueryParameter("service", options.service());
        }
        if (options.level() != null) {
            u.addQueryParameter("level", options.level().wireName());
        }
        this.url = u.build();
        this.thread = new Thread(this::run, "logtide-live-tail");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Stops the tail: cancels the open connection, so the thread ends promptly, and waits for the
     * thread up to 5 seconds (a callback still running may hold it longer). Idempotent; may be
     * called from a callback.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closing.countDown();
            cancel(streamCall);
            cancel(backfillCall);
        }
        if (Thread.currentThread() != thread) {
            awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** @return whether the tail's thread is still running (false once closed or stopped by an error) */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Waits for the tail's thread to end (after {@link #close()} or a stopping error).
     *
     * @param timeout the longest wait
     * @param unit    its unit
     * @return whether the thread has ended
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        try {
            thread.join(Math.max(1, unit.toMillis(timeout)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** @return how many times the tail has reconnected so far */
    public long reconnects() {
        return reconnects.get();
    }

    @Override
    public String toString() {
        return "LiveTail{" + url + (isRunning() ? ", running" : ", stopped") + "}";
    }

    private static void cancel(Call call) {
        if (call != null) {
            call.cancel();
        }
    }

    private void run() {
        FeedbackGuard.markCurrentThreadInternal();
        int failures = 0;
        try {
            while (connectOnce() && !closed.get()) {
                failures = connectedThisAttempt ? 1 : failures + 1;
                if (closing.await(reconnectDelayMs(failures), TimeUnit.MILLISECONDS)) {
                    return;
                }
                reconnects.incrementAndGet();
            }
        } catch (InterruptedException e) {
            diagnostics.warn("live tail: its thread was interrupted; the tail stopped", null);
        } catch (RuntimeException e) {
            fail(new LogTideQueryException("live tail on " + url + " stopped: " + e, url.toString(), e));
        }
    }

    /** @return whether to reconnect */
    private boolean connectOnce() {
        connectedThisAttempt = false;
        retryAfterMs = 0;
        Call call = http.newCall(client.request(url, EVENT_STREAM));
        streamCall = call;
        if (closed.get()) {
            call.cancel();
            return false;
        }
        try (Response response = call.execute()) {
            int status = response.code();
            if (!response.isSuccessful()) {
                LogTideApiException error = client.apiError(url, response);
                if (status >= 500 || status == 408 || status == 429) {
                    retryAfterMs = retryAfterMs(response);
                    diagnostics.warn("live tail: " + error.getMessage() + "; reconnecting", null);
                    return true;
                }
                fail(error);
                return false;
            }
            String type = response.header("Content-Type", "none");
            if (!type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)) {
                fail(new LogTideQueryException("GET " + url + " answered " + status + " with Content-Type " + type
                        + ", not an event stream; check that apiUrl points at the LogTide API", url.toString(), null));
                return false;
            }
            readEvents(response.body().source());
            if (!closed.get()) {
                diagnostics.info("live tail: the server ended the stream; reconnecting");
            }
            return true;
        } catch (IOException e) {
            if (!closed.get()) {
                diagnostics.warn("live tail: " + client.networkError(url, e).getMessage() + "; reconnecting", null);
            }
            return true;
        }
    }

    private void readEvents(BufferedSource source) throws IOException {
        StringBuilder data = null;
        while (!closed.get() && !source.exhausted()) {
            String line = source.readUtf8LineStrict(MAX_LINE);
            if (line.isEmpty()) {
                if (data != null) {
                    dispatch(data.toString());
                    data = null;
                }
                continue;
            }
            if (line.charAt(0) == ':') {
                continue; // a comment: the server's heartbeat
            }
            if (!line.startsWith("data:") && !line.equals("data")) {
                continue; // event:, id:, retry: and unknown fields carry nothing the tail uses
            }
            int start = line.startsWith("data: ") ? 6 : Math.min(5, line.length());
            data = data == null ? new StringBuilder() : data.append('\n');
            data.append(line, start, line.length());
            if (data.length() > MAX_LINE) {
                throw new IOException("an event longer than " + MAX_LINE + " characters");
            }
        }
    }

    private void dispatch(String json) {
        JsonNode event;
        try {
            event = Answers.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            diagnostics.warn("live tail: skipped an event that is not JSON: " + e.getOriginalMessage(), null);
            return;
        }
        String type = event.path("type").asText("");
        if (type.equals("connected")) {
            onConnected(event.get("timestamp"));
        } else if (type.equals("log")) {
            LogRecord record;
            try {
                record = Answers.record(event.get("data"), "data");
            } catch (Answers.MalformedAnswer e) {
                diagnostics.warn("live tail: skipped a log event of an unexpected shape: " + e.getMessage(), null);
                return;
            }
            deliver(record);
        } else {
            diagnostics.debug("live tail: skipped an event of type \"" + type + "\"");
        }
    }

    private void onConnected(JsonNode timestamp) {
        connectedThisAttempt = true;
        Instant serverNow;
        try {
            serverNow = Answers.instant(timestamp, "timestamp");
        } catch (Answers.MalformedAnswer e) {
            serverNow = Instant.now();
        }
        if (resumeFrom != null && resumeFrom.isBefore(serverNow) && options.maxBackfill() > 0) {
            backfill(resumeFrom, serverNow);
        }
        if (resumeFrom == null || serverNow.isAfter(resumeFrom)) {
            resumeFrom = serverNow;
        }
    }

    /** Delivers, oldest first, what was logged between the last delivered log and this connection. */
    private void backfill(Instant from, Instant to) {
        QueryOptions.Builder gap = QueryOptions.builder().from(from).to(to).limit(options.maxBackfill());
        if (options.service() != null) {
            gap.service(options.service());
        }
        if (options.level() != null) {
            gap.level(options.level());
        }
        LogsResponse page;
        try {
            page = client.execute(client.logsUrl(gap.build()), Answers::logsResponse, null, call -> backfillCall = call);
        } catch (LogTideQueryException e) {
            if (!closed.get()) {
                diagnostics.warn("live tail: could not fetch the logs sent while disconnected: " + e.getMessage(), null);
            }
            return;
        } finally {
            backfillCall = null;
        }
        List<LogRecord> oldestFirst = new ArrayList<>(page.logs());
        Collections.reverse(oldestFirst);
        for (LogRecord record : oldestFirst) {
            deliver(record);
        }
        if (page.nextCursor().isPresent()) {
            diagnostics.warn("live tail: more than " + options.maxBackfill() + " logs were stamped while it was"
                    + " disconnected (" + from + " to " + to + "); only the newest were delivered, query() reads the rest", null);
        }
    }

    private void deliver(LogRecord record) {
        if (closed.get() || !seenIds.add(record.id())) {
            return;
        }
        if (resumeFrom == null || record.time().isAfter(resumeFrom)) {
            resumeFrom = record.time();
        }
        try {
            onLog.accept(record);
        } catch (RuntimeException | LinkageError e) {
            diagnostics.warn("live tail: the onLog callback threw " + e.getClass().getName() + "; the tail goes on", e);
        }
    }

    private void fail(Throwable error) {
        if (closed.get()) {
            return; // stopped by close(): nothing to report
        }
        if (onError == null) {
            diagnostics.error("live tail stopped: " + error.getMessage(), error);
            return;
        }
        try {
            onError.accept(error);
        } catch (RuntimeException | LinkageError e) {
            diagnostics.warn("live tail: the onError callback threw " + e.getClass().getName(), e);
        }
    }

    private long reconnectDelayMs(int failures) {
        long cap = options.maxReconnectDelay().toMillis();
        long delay = Math.max(1, options.reconnectDelay().toMillis());
        for (int i = 1; i < failures && delay < cap; i++) {
            delay *= 2;
        }
        // Up to a quarter more, so clients dropped together do not reconnect in step.
        delay += ThreadLocalRandom.current().nextLong(delay / 4 + 1);
        return Math.max(Math.min(delay, cap), Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
    }

    private static long retryAfterMs(Response response) {
        String value = response.header("Retry-After");
        if (value != null) {
            try {
                return TimeUnit.SECONDS.toMillis(Long.parseLong(value.trim()));
            } catch (NumberFormatException ignored) {
                // An HTTP-date: the backoff alone decides.
            }
        }
        return 0;
    }
}
