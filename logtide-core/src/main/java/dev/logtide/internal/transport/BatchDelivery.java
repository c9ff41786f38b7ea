package dev.logtide.internal.transport;

import dev.logtide.CircuitState;
import dev.logtide.ClientOptions;
import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.internal.buffer.DeliveryMetrics;
import dev.logtide.internal.diagnostics.Diagnostics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers one encoded batch and says what became of each entry ({@link DeliveryResult}): cuts
 * it into request bodies of at most {@code maxBatchBytes} and sends each with retries, backoff,
 * {@code Retry-After}, the circuit breaker, and splitting to isolate entries the server rejects
 * (400, 413, or a 5xx that only some entries cause). During close, transient failures are retried
 * until the close deadline instead of {@code maxRetries} times. It counts requests (latency,
 * errors, retries); the entries' outcomes are counted by whoever applies the result. One instance
 * per thread, each with its own transport: the sender's, and one per extra request sent at the
 * same time during close.
 */
final class BatchDelivery {
    /** The longest Retry-After honoured in one wait; longer ones wait again on the next attempt. */
    private static final long MAX_RETRY_AFTER_MS = 5 * 60_000L;
    /** A server-requested pause at least this long is reported: delivery visibly stops meanwhile. */
    private static final long REPORTED_RETRY_AFTER_MS = 1_000L;
    private static final int DROP_REASONS = DropReason.values().length;

    private final ClientOptions options;
    private final HttpTransport transport;
    private final CircuitBreaker breaker;
    private final DeliveryMetrics metrics;
    private final Diagnostics diagnostics;
    private final CloseState close;

    /**
     * @param transport this thread's transport
     * @param close     the sender's close state: backoffs sleep there, and close changes the retry policy
     */
    BatchDelivery(ClientOptions options, HttpTransport transport, CircuitBreaker breaker,
                  DeliveryMetrics metrics, Diagnostics diagnostics, CloseState close) {
        this.options = options;
        this.transport = transport;
        this.breaker = breaker;
        this.metrics = metrics;
        this.diagnostics = diagnostics;
        this.close = close;
    }

    /**
     * Sends a batch, request after request, on the calling thread.
     *
     * @param batch  the entries, encoded
     * @param forced make one attempt even if the breaker is open (flush, close)
     * @return what became of each entry
     */
    DeliveryResult deliver(EncodedBatch batch, boolean forced) {
        return new Run(batch, forced).finish();
    }

    /**
     * Starts a batch: its first request is posted on OkHttp's dispatcher and this returns at
     * once, so the caller can work while it is in flight; {@link Run#finish()} goes on from its
     * answer. The batch must not change until then.
     *
     * @param batch  the entries, encoded
     * @param forced make one attempt even if the breaker is open
     * @return the delivery under way
     */
    Run start(EncodedBatch batch, boolean forced) {
        Run run = new Run(batch, forced);
        run.postFirst();
        return run;
    }

    /** One batch's delivery: what it has sent, dropped and given back so far. */
    final class Run {
        private final EncodedBatch batch;
        /** One attempt per delivery may pass an open breaker. */
        private boolean force;
        private int sent;
        private int truncated;
        private final int[] dropped = new int[DROP_REASONS];
        private final List<LogEntry> unsent = new ArrayList<>();
        private int firstUnsent = Integer.MAX_VALUE;
        /** The Retry-After of the transient failure that stopped the delivery, -1 when none. */
        private long retryAfterMs = -1;
        /** The first request's answer when it was posted ahead, else null. */
        private CompletableFuture<HttpTransport.Answer> first;
        /** Set when the breaker refused the first request: nothing of the batch is sent now. */
        private boolean refused;

        private Run(EncodedBatch batch, boolean forced) {
            this.batch = batch;
            this.force = forced;
        }

        private void postFirst() {
            if (!breaker.allowRequest(force)) {
                refused = true;
                return;
            }
            force = false;
            first = transport.postAsync(batch, 0, requestEnd(0));
        }

        /** @return whether the first request is in flight (false: the breaker refused it) */
        boolean posted() {
            return first != null;
        }

        /**
         * Waits for the answer to the request posted ahead.
         *
         * @param ms the longest wait
         * @return whether the answer is in (or nothing was posted)
         */
        boolean awaitFirst(long ms) {
            if (first == null) {
                return true;
            }
            try {
                first.get(ms, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                first.join();
                return true;
            } catch (ExecutionException e) {
                return true; // never: the future is completed with an answer, not an error
            }
        }

        /**
         * Sends the rest of the batch, waiting for the first answer if it was posted ahead.
         *
         * @return what became of each entry
         */
        DeliveryResult finish() {
            int n = batch.size();
            int from = 0;
            while (from < n) {
                int to = requestEnd(from);
                boolean delivered;
                if (from == 0 && refused) {
                    defer(0, to);
                    delivered = false;
                } else if (from == 0 && first != null) {
                    delivered = send(0, to, options.maxRetries(), record(first.join(), 0, to));
                } else {
                    delivered = send(from, to, options.maxRetries(), null);
                }
                if (!delivered) {
                    defer(to, n);
                    break;
                }
                from = to;
            }
            return new DeliveryResult(sent, truncated, dropped, unsent, Math.min(firstUnsent, n), retryAfterMs);
        }

        /** @return the end of the request that starts at {@code from}: as many entries as fit {@code maxBatchBytes}, at least one */
        private int requestEnd(int from) {
            int to = from + 1;
            while (to < batch.size() && batch.bodyLength(from, to + 1) <= options.maxBatchBytes()) {
                to++;
            }
            return to;
        }

        /**
         * Sends {@code [from, to)} with up to {@code retries} retries.
         *
         * @param first the answer to the first attempt when it was already made, else null
         * @return false when delivery must stop for now (outage, breaker open, credentials rejected):
         *     the range's unsent entries are already given back
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
                retryAfterMs = answer.retryAfterMs;
                defer(from, to);
                return false;
            }
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

        /** Counts an answer to {@code [from, to)}: the request in the metrics, sent entries in the result; tells the breaker. */
        private HttpTransport.Answer record(HttpTransport.Answer answer, int from, int to) {
            metrics.latency(answer.latencyMicros);
            if (answer.ok()) {
                breaker.onSuccess();
                sent += to - from;
                truncated += batch.truncatedIn(from, to); // counted once, when sent: retries re-encode
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
                dropped[reason.ordinal()]++;
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
                dropped[DropReason.INVALID.ordinal()]++;
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

        /** Gives {@code [from, to)} back: delivery stopped for now. */
        private void defer(int from, int to) {
            if (from < to) {
                firstUnsent = Math.min(firstUnsent, from);
            }
            for (int i = from; i < to; i++) {
                unsent.add(batch.entry(i));
            }
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

    private static String describe(HttpTransport.Answer answer) {
        String what = answer.status == -1 ? "I/O error" : "HTTP " + answer.status;
        return answer.detail == null || answer.detail.isEmpty() ? what : what + ": " + answer.detail;
    }
}
