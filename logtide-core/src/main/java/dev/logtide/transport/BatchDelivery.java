package dev.logtide.transport;

import dev.logtide.CircuitState;
import dev.logtide.ClientOptions;
import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.diagnostics.Diagnostics;
import dev.logtide.entry.EntryEncoder;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Delivers one batch: serialises it once, cuts it into request bodies under the byte budget,
 * and sends each with retries, backoff, {@code Retry-After}, the circuit breaker, and splitting
 * to isolate entries the server rejects (400, 413, or a 5xx that only some entries cause).
 * Entries it could not deliver for a transient reason are handed back to the caller to requeue.
 * When a next batch is already waiting, it is taken as the first request leaves and encoded into
 * a second buffer while that request is in flight, so encoding overlaps the network and the
 * server's work. During close, transient failures are retried until the close deadline instead
 * of {@code maxRetries} times. One instance per thread: the sender's, and one per extra request
 * sent at the same time during close.
 */
final class BatchDelivery {
    /** The longest Retry-After honoured in one wait; longer ones wait again on the next attempt. */
    private static final long MAX_RETRY_AFTER_MS = 5 * 60_000L;
    /** A server-requested pause at least this long is reported: delivery visibly stops meanwhile. */
    private static final long REPORTED_RETRY_AFTER_MS = 1_000L;

    private final ClientOptions options;
    private final HttpTransport transport;
    private final CircuitBreaker breaker;
    private final DeliveryMetrics metrics;
    private final Diagnostics diagnostics;
    private final CloseState close;
    /** Puts entries back at the front of the buffer (and counts what does not fit). */
    private final Consumer<List<LogEntry>> requeue;
    /** Two buffers: one being sent, one the next batch is encoded into meanwhile. */
    private final EncodedBatch[] buffers = {new EncodedBatch(), new EncodedBatch()};
    private final EntryEncoder[] encoders = new EntryEncoder[2];
    /** The buffer being sent. */
    private EncodedBatch batch = buffers[0];
    private int current;

    /** Entries to put back in the buffer, collected during one {@link #deliver} call. */
    private List<LogEntry> deferred;
    private boolean force;

    /**
     * @param close   the sender's close state: backoffs sleep there, and close changes the retry policy
     * @param requeue puts entries back at the front of the buffer; empties the list it is given
     */
    BatchDelivery(ClientOptions options, HttpTransport transport, CircuitBreaker breaker,
                  DeliveryMetrics metrics, Diagnostics diagnostics, CloseState close,
                  Consumer<List<LogEntry>> requeue) {
        this.options = options;
        this.transport = transport;
        this.breaker = breaker;
        this.metrics = metrics;
        this.diagnostics = diagnostics;
        this.close = close;
        this.requeue = requeue;
        for (int i = 0; i < 2; i++) {
            encoders[i] = new EntryEncoder(options, buffers[i].json());
        }
    }

    /**
     * Sends entries; what cannot be delivered now is added to {@code deferred}, in order.
     *
     * @param entries  the batch, oldest first
     * @param forced   make one attempt even if the breaker is open (flush, close)
     * @param deferred receives entries to requeue
     * @param next     when not null, filled (without waiting) with the next batch as the first
     *                 request leaves, and encoded while it is in flight; deferred too if this batch
     *                 must wait
     * @param takeNext takes the next batch into the list it is given; used when {@code next} is not null
     */
    void deliver(List<LogEntry> entries, boolean forced, List<LogEntry> deferred, List<LogEntry> next,
                 Consumer<List<LogEntry>> takeNext) {
        this.deferred = deferred;
        this.force = forced;
        EncodedBatch other = buffers[1 - current];
        if (other.size() == entries.size() && other.size() > 0 && other.entry(0) == entries.get(0)) {
            current = 1 - current; // encoded while the previous batch was in flight
            batch = other;
        } else {
            encode(current, entries);
        }
        buffers[1 - current].clear();
        int from = 0;
        int n = batch.size();
        while (from < n) {
            int to = from + 1;
            while (to < n && batch.bodyLength(from, to + 1) <= options.maxBatchBytes()) {
                to++;
            }
            boolean sent = from == 0 && next != null ? sendOverlapped(to, next, takeNext)
                    : send(from, to, options.maxRetries(), null);
            if (!sent) {
                defer(to, n);
                if (next != null) {
                    deferred.addAll(next); // after this batch: order is kept
                    next.clear();
                    buffers[1 - current].clear();
                }
                return;
            }
            from = to;
        }
    }

    private void encode(int slot, List<LogEntry> entries) {
        EncodedBatch into = buffers[slot];
        EntryEncoder encoder = encoders[slot];
        into.clear();
        for (LogEntry e : entries) {
            into.added(e, encoder.encode(e) == EntryEncoder.Result.TRUNCATED);
        }
    }

    /**
     * The first request of a batch, with the next batch taken and encoded while it is in flight.
     * When no whole batch is waiting there is nothing to overlap: the request is then made on the
     * sender thread, without handing it to another thread and back.
     */
    private boolean sendOverlapped(int to, List<LogEntry> next, Consumer<List<LogEntry>> takeNext) {
        takeNext.accept(next);
        if (next.isEmpty()) {
            return send(0, to, options.maxRetries(), null);
        }
        if (!breaker.allowRequest(force)) {
            defer(0, to);
            return false;
        }
        force = false;
        CompletableFuture<HttpTransport.Answer> inFlight = transport.postAsync(batch, 0, to);
        HttpTransport.Answer answer;
        try {
            encode(1 - current, next);
        } finally {
            answer = awaitAnswer(inFlight, next); // even on an error: OkHttp is still reading this buffer
        }
        return send(0, to, options.maxRetries(), record(answer, 0, to));
    }

    /**
     * Waits for the request in flight. When close begins meanwhile, the batch taken behind it goes
     * back to the buffer, where close's parallel requests take it, instead of waiting its turn.
     */
    private HttpTransport.Answer awaitAnswer(CompletableFuture<HttpTransport.Answer> inFlight, List<LogEntry> next) {
        while (true) {
            try {
                return inFlight.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (close.closing() && !next.isEmpty()) {
                    requeue.accept(next);
                    buffers[1 - current].clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return inFlight.join();
            } catch (ExecutionException e) {
                return inFlight.join(); // never: the future is completed with an answer, not an error
            }
        }
    }

    /**
     * Sends {@code [from, to)} with up to {@code retries} retries.
     *
     * @param first the answer to the first attempt when it was already made, else null
     * @return false when delivery must stop for now (outage, breaker open, credentials rejected):
     *     the range's unsent entries are already deferred
     */
    private boolean send(int from, int to, int retries, HttpTransport.Answer first) {
        for (int attempt = 0; ; attempt++) {
            HttpTransport.Answer answer = attempt == 0 && first != null ? first : attempt(from, to);
            if (answer == null) {
                defer(from, to);
                return false;
            }
            if (answer.ok()) {
                return true;
            }
            if (answer.status == 400) {
                return isolate(from, to, DropReason.INVALID, answer);
            }
            if (answer.status == 413) {
                return isolate(from, to, DropReason.OVERSIZE, answer);
            }
            if (!answer.transientFailure()) {
                rejected(answer);
                defer(from, to);
                return false;
            }
            if (close.closing()) {
                if (retryDuringClose(answer, attempt)) {
                    continue;
                }
                defer(from, to);
                return false;
            }
            boolean breakerOpen = breaker.state() == CircuitState.OPEN;
            if (attempt < retries && !breakerOpen) {
                long delay = retryDelay(attempt, answer);
                if (answer.retryAfterMs >= REPORTED_RETRY_AFTER_MS) {
                    diagnostics.warn("LogTide asked to wait (" + describe(answer) + ", Retry-After " + delay
                            + " ms): delivery resumes at " + Instant.now().plusMillis(delay)
                            + "; entries stay buffered", null);
                }
                if (close.pause(delay)) { // close beginning ends the pause early: retry now, on close's terms
                    metrics.retry();
                    continue;
                }
            } else if (answer.status >= 500 && to - from > 1 && !breakerOpen) {
                return hunt(from, to, false);
            }
            if (!close.closing()) {
                diagnostics.warn("LogTide is unreachable or failing (" + describe(answer) + "); "
                        + "entries stay buffered and are retried", null);
            }
            defer(from, to);
            return false;
        }
    }

    /**
     * Close spends its whole budget delivering: a transient failure is retried until the
     * deadline, with the backoff capped by the time left, and a {@code Retry-After} is waited out
     * when it fits in that time.
     *
     * @return true when the next attempt may be made
     */
    private boolean retryDuringClose(HttpTransport.Answer answer, int attempt) {
        long left = close.millisLeft();
        if (answer.retryAfterMs >= left) {
            close.failed(describe(answer) + ", Retry-After " + answer.retryAfterMs + " ms is past the close deadline");
            return false;
        }
        close.failed(describe(answer));
        if (close.pause(Math.min(retryDelay(attempt, answer), left))) {
            metrics.retry();
            return true;
        }
        return false;
    }

    /** One request, with the breaker's permission; null when the breaker refuses. */
    private HttpTransport.Answer attempt(int from, int to) {
        // During close the breaker never refuses: close's deadline bounds the attempts instead.
        if (!breaker.allowRequest(force || close.closing())) {
            return null;
        }
        force = false; // one forced attempt per delivery
        return record(transport.post(batch, from, to), from, to);
    }

    /** Counts an answer to {@code [from, to)} and tells the breaker. */
    private HttpTransport.Answer record(HttpTransport.Answer answer, int from, int to) {
        metrics.latency(answer.latencyMicros);
        if (answer.ok()) {
            breaker.onSuccess();
            metrics.sent(to - from);
            metrics.truncated(batch.truncatedIn(from, to)); // counted once, when sent: retries re-encode
            if (diagnostics.isDebug()) {
                diagnostics.debug("sent " + (to - from) + " entries in " + answer.latencyMicros / 1000 + " ms");
            }
        } else {
            metrics.error();
            if (answer.transientFailure()) {
                breaker.onFailure();
            } else {
                breaker.onSuccess(); // the server answered: it is up, whatever it thinks of us
            }
        }
        return answer;
    }

    /**
     * The server rejects the whole batch for one bad entry (400) or refuses its size (413): split
     * until the offending entries are alone, deliver the rest, drop only those.
     */
    private boolean isolate(int from, int to, DropReason reason, HttpTransport.Answer answer) {
        if (to - from == 1) {
            metrics.droppedTaken(reason, 1);
            diagnostics.warn("LogTide rejected an entry (" + describe(answer) + "); it was dropped", null);
            return true;
        }
        int mid = (from + to) >>> 1;
        if (!send(from, mid, options.maxRetries(), null)) {
            defer(mid, to);
            return false;
        }
        return send(mid, to, options.maxRetries(), null);
    }

    /**
     * A 5xx that survived the retries: an outage, or an entry the server's database cannot take
     * (it answers 500 for the whole batch). Halves are tried once each; an entry that keeps
     * failing while others succeed is dropped as invalid.
     */
    private boolean hunt(int from, int to, boolean othersSucceeded) {
        if (to - from == 1) {
            if (!othersSucceeded) {
                defer(from, to);
                return false;
            }
            metrics.droppedTaken(DropReason.INVALID, 1);
            diagnostics.warn("LogTide failed on one entry repeatedly while others were accepted; it was dropped", null);
            return true;
        }
        int mid = (from + to) >>> 1;
        HttpTransport.Answer left = attempt(from, mid);
        if (left == null || !(left.ok() || left.status >= 500)) {
            return stopHunt(left, from, to);
        }
        HttpTransport.Answer right = attempt(mid, to);
        if (right == null || !(right.ok() || right.status >= 500)) {
            if (!left.ok()) {
                defer(from, mid);
            }
            return stopHunt(right, mid, to);
        }
        if (left.ok() && right.ok()) {
            return true;
        }
        if (left.ok()) {
            return hunt(mid, to, true);
        }
        if (right.ok()) {
            return hunt(from, mid, true);
        }
        if (!othersSucceeded) {
            defer(from, to); // every part fails: an outage, not a bad entry
            return false;
        }
        return hunt(from, mid, true) && hunt(mid, to, true);
    }

    private boolean stopHunt(HttpTransport.Answer answer, int from, int to) {
        if (answer != null && !answer.transientFailure()) {
            if (answer.status == 400 || answer.status == 413) {
                return isolate(from, to, answer.status == 400 ? DropReason.INVALID : DropReason.OVERSIZE, answer);
            }
            rejected(answer);
        }
        defer(from, to);
        return false;
    }

    private void rejected(HttpTransport.Answer answer) {
        breaker.forceOpen();
        close.failed(describe(answer));
        String hint;
        if (answer.status == 401 || answer.status == 403) {
            hint = "LogTide rejected the API key (HTTP " + answer.status + "): check apiKey; ";
        } else if (answer.status >= 300 && answer.status < 400) {
            hint = "LogTide answered with a redirect (HTTP " + answer.status + "): set apiUrl to the final address; ";
        } else if (answer.status == 404) {
            hint = "LogTide answered 404 for " + transport.ingestUrl() + ": check apiUrl; ";
        } else {
            hint = "LogTide refused the request (" + describe(answer) + "); ";
        }
        diagnostics.error(hint + "entries stay buffered and are retried every "
                + options.circuitBreakerResetMs() + " ms", null);
    }

    private long retryDelay(int attempt, HttpTransport.Answer answer) {
        if (answer.retryAfterMs >= 0) {
            return Math.min(answer.retryAfterMs, MAX_RETRY_AFTER_MS);
        }
        long base = options.retryDelayMs() << Math.min(attempt, 20);
        long capped = Math.min(base, options.maxRetryDelayMs());
        // Equal jitter: half fixed, half random, so many clients do not retry in lockstep.
        return capped / 2 + (capped > 1 ? ThreadLocalRandom.current().nextLong(capped / 2 + 1) : capped);
    }

    private void defer(int from, int to) {
        for (int i = from; i < to; i++) {
            deferred.add(batch.entry(i));
        }
    }

    private static String describe(HttpTransport.Answer answer) {
        String what = answer.status == -1 ? "I/O error" : "HTTP " + answer.status;
        return answer.detail == null || answer.detail.isEmpty() ? what : what + ": " + answer.detail;
    }
}
