package dev.logtide.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.internal.transport.FeedbackGuard;
import dev.logtide.internal.diagnostics.Diagnostics;
import dev.logtide.internal.transport.HttpClients;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A running live tail of the server's log stream ({@code GET /api/v1/logs/stream}, Server-Sent
 * Events), started by {@code stream(...)}. It hands each new log to {@code onLog} once (by id; the
 * last 40,000 ids are remembered), on a daemon thread named {@code logtide-live-tail}.
 *
 * <p>Order: logs are handed over in batches, each sorted by time, ties by id (string order). A
 * batch is the logs the stream brought since the last one (normally one poll: they are held until
 * the stream has been quiet for 100 ms, at most 1 s, 1,000 logs or 16 MiB, so a poll may come in
 * parts, and several polls make one batch when the callback falls behind), with what was read
 * behind a full page; or a catch-up read with the logs held at that moment. Batches are not
 * ordered among themselves: a log that turns up after later ones were delivered (a late log found
 * by a catch-up, stream logs stamped before a log a catch-up delivered, the older part of a poll
 * that came in parts, a log in a later poll sharing the millisecond of one already delivered) is
 * delivered when it turns up, out of time order, not dropped.
 *
 * <p>What the server does, and what the tail makes of it (LogTide 0.5.0, seen on a real server):
 * <ul>
 *   <li>The server polls its database about once a second and sends the newest page (at most 100
 *       logs) of each poll, newest first, and sends logs again on later polls. The tail holds each
 *       poll's logs until the stream has been quiet for 100 ms (at most 1 s), drops the ones it has
 *       delivered (by id), and delivers the rest in time order, ties by id.</li>
 *   <li>A poll that brings 100 logs, new or sent before, may have left older ones out: the tail
 *       first reads, through the query API, the logs stamped from where that poll began (the
 *       newest time the stream had sent, or when the connection opened; possibly before the newest
 *       log delivered) to the oldest of that page, so a burst of more than 100 logs a second is
 *       delivered whole. A log that follows one stamped earlier starts a new poll.</li>
 *   <li>When the connection drops, stays silent for {@link LiveTailOptions#idleTimeout()}, or the
 *       server answers 5xx, 408 or 429, the tail reconnects after a capped exponential backoff
 *       (honouring {@code Retry-After}); a connection that lasted less than 10 s counts as a failed
 *       attempt, so a server that keeps dropping the stream is retried ever more slowly. Once
 *       reconnected it reads the logs stamped since the last one it delivered through the query API
 *       (one catch-up per connection, however often the server says {@code connected}), and reads
 *       that gap again at growing intervals for {@link LiveTailOptions#catchUpWindow()}: logs that
 *       other clients buffered during an outage reach the server late, with their original
 *       timestamps, and the stream never sends those. Such late logs are delivered when found, so
 *       after newer ones. These recoveries, and a read cut short by
 *       {@link LiveTailOptions#maxBackfill()}, are reported to the client's diagnostics, not to
 *       {@code onError}.</li>
 *   <li>A 401, another 4xx, or an answer that is not an event stream stops the tail and is handed
 *       to {@code onError}, once.</li>
 *   <li>A callback that throws is reported to diagnostics; the tail goes on.</li>
 * </ul>
 *
 * <p>The callbacks run on the tail's thread, which LogTide marks as its own: events logged from
 * them through a LogTide appender are dropped, since they would be streamed back and logged again
 * without end. Hand records to another thread or print them. A second daemon thread per
 * connection, {@code logtide-live-tail-reader}, reads the connection.
 */
public final class LiveTail implements AutoCloseable {
    private static final String EVENT_STREAM = "text/event-stream";
    /** Longest SSE line read; one log with huge metadata fits, an endless line does not exhaust memory. */
    private static final long MAX_LINE = 16L * 1024 * 1024;
    /** Ids remembered for de-duplication: more than a catch-up can read, and than the server re-sends. */
    private static final int REMEMBERED_IDS = 4 * LiveTailOptions.MAX_BACKFILL;
    /** The most logs the server sends per poll (seen on 0.5.0): a page this full may have left some out. */
    static final int STREAM_PAGE = 100;
    /** Quiet time after which a poll's logs are taken as complete and put in order. */
    static final long SETTLE_MS = 100;
    /** Longest a log is held for its poll to complete, when the stream is never quiet. */
    private static final long MAX_HOLD_MS = 1000;
    /** A connection open at least this long was a success: the next reconnection waits the first delay again. */
    private static final long STABLE_CONNECTION_MS = 10_000;
    /** Re-reads of a reconnection gap, at 1/64, 1/32 ... 1/2 and all of the catch-up window after it. */
    private static final int LOOK_BACKS = 7;
    /** Logs one read may page through, as a multiple of maxBackfill, counting those already delivered. */
    static final int SCANNED_PER_BACKFILL = 10;
    private static final long MAX_RETRY_AFTER_MS = TimeUnit.MINUTES.toMillis(10);
    private static final long CLOSE_WAIT_MS = 5000;
    private static final int QUEUED_EVENTS = 1024;
    /**
     * A catch-up reads up to this far past the local clock: logs stamped a little ahead (clock
     * skew between services) are included, and every read has its own {@code to}, so the server's
     * answer cache (about 60 s) cannot hand back an earlier read's answer.
     */
    private static final Duration CATCH_UP_AHEAD = Duration.ofMinutes(1);
    /**
     * Characters of events queued by the reader or held for ordering, each at most: with
     * {@link #MAX_LINE} per event, the tail holds a bounded amount whatever the server sends.
     */
    private static final int MAX_BUFFERED_CHARS = 16 * 1024 * 1024;
    /** Most logs held for one poll; the server sends at most {@link #STREAM_PAGE}. */
    private static final int MAX_HELD = 10 * STREAM_PAGE;
    private static final Comparator<LogRecord> TIME_ORDER =
            Comparator.comparing(LogRecord::time).thenComparing(LogRecord::id);

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
    private final AtomicLong catchUpReads = new AtomicLong();
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
    /** New logs, by id, waiting to be put in order. */
    private final Map<String, LogRecord> held = new LinkedHashMap<>();
    /** The newest time the stream sent on this connection, or when it opened: where the server's next poll starts. */
    private Instant streamNewest;
    /** Where the server's window began for the poll being received. */
    private Instant pollFrom;
    /** The oldest time of the poll being received (a poll comes newest first, so its last log's). */
    private Instant pollOldest;
    /** Logs the poll being received brought, new or sent before. */
    private int pollCount;
    private long heldChars;
    private long firstHeldNanos;
    private long lastHeldNanos;
    /** When the first connection opened (server time): catch-ups never read logs older than that. */
    private Instant firstConnectedAt;
    /** The newest time delivered from the stream or a catch-up. */
    private Instant newestDelivered;
    /** The gap being read again for late logs, or {@code null}. */
    private Instant catchUpFrom;
    private long catchUpStartNanos;
    private int lookBacksDone;
    private long retryAfterMs;

    LiveTail(QueryClient client, Consumer<? super LogRecord> onLog, Consumer<? super Throwable> onError,
             LiveTailOptions options) {
        this.client = client;
        this.onLog = onLog;
        this.onError = onError;
        this.options = options;
        this.diagnostics = client.diagnostics();
        // The stream never ends by itself: no call timeout, and silence beyond idleTimeout means a dead connection.
        this.http = HttpClients.builder(client.http()).callTimeout(Duration.ZERO).readTimeout(options.idleTimeout()).build();
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
     * Stops the tail: cancels the open connection and any catch-up query, so the thread ends
     * promptly, and waits for the thread up to 5 seconds (a callback still running may hold it
     * longer). Idempotent; may be called from a callback.
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

    /** @return how many times the tail has tried to reconnect so far, refused attempts included */
    public long reconnects() {
        return reconnects.get();
    }

    /**
     * @return how many query requests the tail has made so far to fill gaps (after a reconnection,
     *     re-reading a gap for late logs, or behind a full page of the stream)
     */
    public long catchUpQueries() {
        return catchUpReads.get();
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
            while (!closed.get()) {
                long started = System.nanoTime();
                boolean[] connected = new boolean[1];
                if (!connectOnce(connected) || closed.get()) {
                    return;
                }
                boolean stable = connected[0] && elapsedMs(started) >= STABLE_CONNECTION_MS;
                failures = stable ? 1 : failures + 1;
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

    /**
     * One connection, from request to end.
     *
     * @param connected set when the server said {@code connected}
     * @return whether to reconnect
     */
    private boolean connectOnce(boolean[] connected) throws InterruptedException {
        retryAfterMs = 0;
        streamNewest = null;
        pollCount = 0;
        Call call = http.newCall(client.request(url, EVENT_STREAM));
        streamCall = call;
        if (closed.get()) {
            call.cancel();
            return false;
        }
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            reportDrop(e);
            return true;
        }
        int status = response.code();
        String type = response.header("Content-Type", "none");
        if (!response.isSuccessful() || !type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)) {
            try (Response closing = response) {
                return refused(closing, status, type);
            }
        }
        Connection connection = new Connection();
        Thread reader = new Thread(() -> read(response, connection), "logtide-live-tail-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            return consume(connection, reader, connected);
        } finally {
            connection.done.set(true);
            call.cancel();
            reader.join(CLOSE_WAIT_MS);
        }
    }

    /** @return whether to reconnect after an answer that is not a stream */
    private boolean refused(Response response, int status, String type) {
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
        fail(new LogTideQueryException("GET " + url + " answered " + status + " with Content-Type " + type
                + ", not an event stream; check that apiUrl points at the LogTide API", url.toString(), null));
        return false;
    }

    private void reportDrop(IOException e) {
        if (!closed.get()) {
            diagnostics.warn("live tail: " + client.networkError(url, e).getMessage() + "; reconnecting", null);
        }
    }

    /**
     * Handles one connection's events on the tail's thread until the connection ends.
     *
     * @return whether to reconnect
     */
    private boolean consume(Connection connection, Thread reader, boolean[] connected) throws InterruptedException {
        while (!closed.get()) {
            Event event = connection.take(nextWakeMs());
            if (event == null) {
                if (!reader.isAlive() && connection.events.isEmpty()) {
                    // The reader died of an Error (it queues an end for anything else).
                    flushHeld(Collections.emptyList());
                    diagnostics.warn("live tail: reading the stream failed; reconnecting", null);
                    return true;
                }
                // Otherwise nothing arrived: a poll's logs may be complete, or a look-back due.
            } else if (event.kind == Event.CONNECTED) {
                if (connected[0]) {
                    diagnostics.debug("live tail: ignored a repeated connected event on the same connection");
                } else {
                    connected[0] = true;
                    onConnected(event.time);
                }
            } else if (event.kind == Event.LOG) {
                hold(event.record, event.chars);
            } else {
                flushHeld(Collections.emptyList());
                if (event.error != null) {
                    reportDrop(event.error);
                } else if (!closed.get()) {
                    diagnostics.info("live tail: the server ended the stream; reconnecting");
                }
                return true;
            }
            if (!held.isEmpty() && (elapsedMs(lastHeldNanos) >= SETTLE_MS || elapsedMs(firstHeldNanos) >= MAX_HOLD_MS
                    || held.size() >= MAX_HELD || heldChars >= MAX_BUFFERED_CHARS)) {
                flushHeld(Collections.emptyList());
            }
            if (lookBackDue()) {
                lookBack();
            }
        }
        return false;
    }

    /** @return how long to wait for the next event: until held logs settle, a look-back is due, or at most 1 s */
    private long nextWakeMs() {
        long wait = 1000;
        if (!held.isEmpty()) {
            wait = Math.min(SETTLE_MS - elapsedMs(lastHeldNanos), MAX_HOLD_MS - elapsedMs(firstHeldNanos));
        }
        if (catchUpFrom != null) {
            wait = Math.min(wait, nextLookBackMs() - elapsedMs(catchUpStartNanos));
        }
        return Math.max(1, wait);
    }

    private void hold(LogRecord record, int chars) {
        countPolled(record.time());
        if (seenIds.contains(record.id()) || held.containsKey(record.id())) {
            return; // the server sends logs again on later polls
        }
        keep(record, chars);
    }

    private void keep(LogRecord record, int chars) {
        long now = System.nanoTime();
        if (held.isEmpty()) {
            firstHeldNanos = now;
        }
        lastHeldNanos = now;
        heldChars += chars;
        held.put(record.id(), record);
    }

    /**
     * Counts a log the stream sent, new or sent before. The server sends each poll newest first, so
     * a log stamped after the one before it starts the next poll.
     */
    private void countPolled(Instant time) {
        if (pollCount > 0 && time.isAfter(pollOldest)) {
            endPoll();
        }
        if (pollCount == 0) {
            pollFrom = streamNewest;
        }
        pollCount++;
        pollOldest = time;
        if (streamNewest == null || time.isAfter(streamNewest)) {
            streamNewest = time;
        }
    }

    /**
     * Ends the poll being received. A full page may have left out older logs stamped since the
     * server's window began, which may be before the newest log delivered: they are read and held.
     */
    private void endPoll() {
        boolean full = pollCount >= STREAM_PAGE;
        pollCount = 0;
        if (!full) {
            return;
        }
        if (options.maxBackfill() == 0) {
            diagnostics.warn("live tail: a poll brought a full page of " + STREAM_PAGE + " logs, so the server may have left"
                    + " older ones out, and maxBackfill is 0 (catching up is off): query() reads them", null);
            return;
        }
        Instant from = pollFrom != null && pollFrom.isBefore(pollOldest) ? pollFrom : pollOldest;
        for (LogRecord record : read(from, pollOldest, "behind a full page of the stream")) {
            if (!held.containsKey(record.id())) {
                keep(record, 0);
            }
        }
    }

    /** Delivers the held logs, with {@code more} found by a query, in time order. */
    private void flushHeld(List<LogRecord> more) {
        if (pollCount >= STREAM_PAGE) {
            endPoll(); // the server sends no more than a page per poll
        }
        List<LogRecord> batch = new ArrayList<>(held.values());
        held.clear();
        heldChars = 0;
        batch.addAll(more);
        batch.sort(TIME_ORDER);
        for (LogRecord record : batch) {
            deliver(record);
        }
    }

    private void onConnected(Instant serverNow) {
        streamNewest = serverNow; // the server's first poll reads from when the connection opened
        if (firstConnectedAt == null) {
            firstConnectedAt = serverNow; // the tail starts here: nothing to catch up
            return;
        }
        if (options.maxBackfill() == 0) {
            diagnostics.warn("live tail: reconnected; logs stamped since " + resumeFrom()
                    + " that the stream did not send are not read (maxBackfill is 0); query() reads them", null);
            return;
        }
        Instant from = resumeFrom();
        // A gap still being re-read keeps its start: the earlier drop's late logs are still due.
        catchUpFrom = catchUpFrom == null || from.isBefore(catchUpFrom) ? from : catchUpFrom;
        catchUpStartNanos = System.nanoTime();
        lookBacksDone = 0;
        flushHeld(read(catchUpFrom, catchUpTo(catchUpFrom), "after reconnecting"));
        if (options.catchUpWindow().isZero()) {
            catchUpFrom = null;
        }
    }

    /** @return the start of a gap: the newest log delivered, or when the tail started */
    private Instant resumeFrom() {
        if (newestDelivered == null || (firstConnectedAt != null && newestDelivered.isBefore(firstConnectedAt))) {
            return firstConnectedAt;
        }
        return newestDelivered;
    }

    private long nextLookBackMs() {
        return options.catchUpWindow().toMillis() >> (LOOK_BACKS - 1 - lookBacksDone);
    }

    private boolean lookBackDue() {
        return catchUpFrom != null && elapsedMs(catchUpStartNanos) >= nextLookBackMs();
    }

    /** Reads the reconnection gap again for logs that reached the server late. */
    private void lookBack() {
        lookBacksDone++;
        Instant from = catchUpFrom;
        if (lookBacksDone >= LOOK_BACKS) {
            catchUpFrom = null;
        }
        flushHeld(read(from, catchUpTo(from), "re-reading the gap for late logs"));
    }

    /** @return a minute past now, or past {@code from} when the logs' clocks run further ahead than that */
    private static Instant catchUpTo(Instant from) {
        Instant ahead = Instant.now().plus(CATCH_UP_AHEAD);
        return ahead.isAfter(from) ? ahead : from.plus(CATCH_UP_AHEAD);
    }

    /**
     * Reads, newest first, the logs stamped from {@code from} to {@code to} that were not delivered
     * yet, up to {@link LiveTailOptions#maxBackfill()} of them. Logs already delivered (the stream's
     * traffic since a reconnection) do not count toward that bound, or a busy stream would use it
     * up before a re-read reached the late logs, which are the oldest of the window; reading past
     * them is bounded by {@link #SCANNED_PER_BACKFILL} times the bound.
     *
     * @return those not yet delivered
     */
    private List<LogRecord> read(Instant from, Instant to, String why) {
        QueryOptions.Builder b = QueryOptions.builder().from(from).to(to)
                .limit(Math.min(QueryOptions.MAX_LIMIT, options.maxBackfill()));
        if (options.service() != null) {
            b.service(options.service());
        }
        if (options.level() != null) {
            b.level(options.level());
        }
        QueryOptions page = b.build();
        List<LogRecord> found = new ArrayList<>();
        long scanLimit = (long) SCANNED_PER_BACKFILL * options.maxBackfill();
        long scanned = 0;
        try {
            while (page != null && found.size() < options.maxBackfill() && scanned < scanLimit && !closed.get()) {
                catchUpReads.incrementAndGet();
                LogsResponse answer = client.execute(client.logsUrl(page), Answers::logsResponse, null,
                        call -> backfillCall = call);
                scanned += answer.logs().size();
                for (LogRecord record : answer.logs()) {
                    if (!seenIds.contains(record.id())) {
                        found.add(record);
                    }
                }
                String cursor = answer.nextCursor().orElse(null);
                page = cursor == null || answer.logs().isEmpty() ? null : page.atCursor(cursor);
            }
        } catch (LogTideQueryException e) {
            if (!closed.get()) {
                diagnostics.warn("live tail: could not read the logs " + why + ": " + e.getMessage(), null);
            }
        } finally {
            backfillCall = null;
        }
        if (page != null && !closed.get()) {
            diagnostics.warn(found.size() >= options.maxBackfill()
                    ? "live tail: more than " + options.maxBackfill() + " logs not delivered yet were stamped since "
                            + from + " (" + why + "); only the newest were read, so older ones may be missing; query() reads them"
                    : "live tail: read the newest " + scanned + " logs stamped since " + from + " (" + why + "), "
                            + found.size() + " of them not delivered yet, without reaching back to " + from
                            + "; older ones may be missing; query() reads them", null);
        }
        return found;
    }

    private void deliver(LogRecord record) {
        if (closed.get() || !seenIds.add(record.id())) {
            return;
        }
        if (newestDelivered == null || record.time().isAfter(newestDelivered)) {
            newestDelivered = record.time();
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

    private static long elapsedMs(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    // ---- the reader thread: parses the connection's events and queues them for the tail's thread ----

    /** One thing the connection said. */
    private static final class Event {
        static final int CONNECTED = 0;
        static final int LOG = 1;
        static final int END = 2;

        final int kind;
        final Instant time;
        final LogRecord record;
        final IOException error;
        /** The event's size as sent, counted against {@link #MAX_BUFFERED_CHARS} (at least 1). */
        final int chars;

        private Event(int kind, Instant time, LogRecord record, IOException error, int chars) {
            this.kind = kind;
            this.time = time;
            this.record = record;
            this.error = error;
            this.chars = Math.max(1, Math.min(chars, MAX_BUFFERED_CHARS));
        }
    }

    /** What the reader and the tail's thread share for one connection: a queue bounded by count and size. */
    private static final class Connection {
        final BlockingQueue<Event> events = new ArrayBlockingQueue<>(QUEUED_EVENTS);
        final Semaphore room = new Semaphore(MAX_BUFFERED_CHARS);
        final AtomicBoolean done = new AtomicBoolean();

        /** Queues an event, waiting while the tail's thread is busy; gives up once the connection is done. */
        void put(Event event) {
            try {
                while (!done.get()) {
                    if (room.tryAcquire(event.chars, 100, TimeUnit.MILLISECONDS)) {
                        while (!done.get()) {
                            if (events.offer(event, 100, TimeUnit.MILLISECONDS)) {
                                return;
                            }
                        }
                        room.release(event.chars);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Event take(long waitMs) throws InterruptedException {
            Event event = events.poll(waitMs, TimeUnit.MILLISECONDS);
            if (event != null) {
                room.release(event.chars);
            }
            return event;
        }
    }

    private void read(Response response, Connection connection) {
        FeedbackGuard.markCurrentThreadInternal();
        Event last = new Event(Event.END, null, null, null, 1);
        try (Response closing = response) {
            readEvents(closing.body().source(), connection);
        } catch (IOException e) {
            last = new Event(Event.END, null, null, e, 1);
        } catch (RuntimeException e) {
            last = new Event(Event.END, null, null, new IOException("reading the stream failed: " + e, e), 1);
        }
        connection.put(last);
    }

    private void readEvents(BufferedSource source, Connection connection) throws IOException {
        StringBuilder data = null;
        while (!connection.done.get() && !source.exhausted()) {
            String line = source.readUtf8LineStrict(MAX_LINE);
            if (line.isEmpty()) {
                if (data != null) {
                    Event event = parse(data.toString());
                    if (event != null) {
                        connection.put(event);
                    }
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

    /** @return the event, or {@code null} for one the tail has no use for */
    private Event parse(String json) {
        JsonNode event;
        try {
            event = Answers.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            diagnostics.warn("live tail: skipped an event that is not JSON: " + client.redact(e.getOriginalMessage()), null);
            return null;
        }
        String type = event.path("type").asText("");
        if (type.equals("connected")) {
            Instant serverNow;
            try {
                serverNow = Answers.instant(event.get("timestamp"), "timestamp");
            } catch (Answers.MalformedAnswer e) {
                serverNow = Instant.now();
            }
            return new Event(Event.CONNECTED, serverNow, null, null, json.length());
        }
        if (type.equals("log")) {
            try {
                return new Event(Event.LOG, null, Answers.record(event.get("data"), "data"), null, json.length());
            } catch (Answers.MalformedAnswer e) {
                diagnostics.warn("live tail: skipped a log event of an unexpected shape: " + client.redact(e.getMessage()), null);
                return null;
            }
        }
        diagnostics.debug("live tail: skipped an event of type \"" + client.redact(type) + "\"");
        return null;
    }
}
