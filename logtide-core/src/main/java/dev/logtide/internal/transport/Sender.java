package dev.logtide.internal.transport;

import dev.logtide.CircuitState;
import dev.logtide.ClientOptions;
import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.internal.buffer.DeliveryMetrics;
import dev.logtide.internal.buffer.EntryBuffer;
import dev.logtide.internal.diagnostics.Diagnostics;
import okhttp3.OkHttpClient;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The background thread ({@code logtide-sender}) that takes batches from the buffer and
 * delivers them: when {@code batchSize} entries wait, when the oldest has waited
 * {@code flushIntervalMs}, on a flush request, or at close. When several batches are waiting
 * (a burst, or a slow server) they leave together, up to the server's 1,000 entries per request:
 * the server allows 1,000 requests a minute per client address. It survives any exception: an
 * unexpected error is reported and the loop goes on. At close, what waits leaves in requests of
 * up to 1,000 entries sent at the same time, each retried until the close deadline.
 *
 * <p>It owns the loop and the overlap: when whole batches wait as a batch's first request
 * leaves, it takes them as the next batch and encodes it while that request is in flight. Each
 * delivery's {@link DeliveryResult} is applied here, in one place: sent and dropped entries are
 * counted, and what could not be sent goes back to the front of the buffer, with the next batch
 * behind it, or, with {@code spoolDir}, to the disk spool ({@link Spooling}), which it drains
 * between live batches once the server accepts again.
 */
public final class Sender {
    /** Part of the close budget kept for the thread to finish after cancelling a hung request. */
    private static final long STOP_GRACE_MS = 200;
    /** The most requests in flight at once during close (the sender's own included). */
    private static final int MAX_CLOSE_REQUESTS = 8;

    private final ClientOptions options;
    private final EntryBuffer buffer;
    private final DeliveryMetrics metrics;
    private final Diagnostics diagnostics;
    private final HttpTransport transport;
    private final CircuitBreaker breaker;
    private final BatchDelivery delivery;
    private final BeforeSend beforeSend;
    /** The disk spool, or null without {@code spoolDir}. */
    private final Spooling spooling;
    private final Thread thread;
    private final long intervalNanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CloseState close = new CloseState();
    private final OkHttpClient http;
    /** Threads sending at the same time as the sender during close, with their transports. */
    private final List<Thread> closeWorkers = new ArrayList<>();
    private final List<HttpTransport> closeTransports = new ArrayList<>();

    private final List<FlushWaiter> flushes = new ArrayList<>();
    /** The next batch, taken as the previous request left and encoded while it was in flight; sender thread only. */
    private final List<LogEntry> next = new ArrayList<>(ClientOptions.MAX_BATCH_SIZE);
    /** The batch being sent, and the next batch encoded; swapped when the next batch goes. Sender thread only. */
    private EncodedBatch encoded;
    private EncodedBatch nextEncoded;
    /** Set when a delivery during close could not finish (deadline, rejection): no more attempts. */
    private volatile boolean gaveUp;
    /** Buffer-full drops already reported; callers only count, the sender tells. */
    private long reportedFullDrops;

    /**
     * @param options     the client's options
     * @param buffer      where entries wait
     * @param metrics     counters
     * @param diagnostics the diagnostic channel
     * @param http        the HTTP client
     */
    public Sender(ClientOptions options, EntryBuffer buffer, DeliveryMetrics metrics, Diagnostics diagnostics,
                  OkHttpClient http) {
        this.options = options;
        this.buffer = buffer;
        this.metrics = metrics;
        this.diagnostics = diagnostics;
        this.http = http;
        this.transport = new HttpTransport(options, http);
        this.breaker = new CircuitBreaker(options.circuitBreakerThreshold(), options.circuitBreakerResetMs(), metrics);
        this.delivery = delivery(transport);
        this.beforeSend = new BeforeSend(options.beforeSend(), metrics, diagnostics);
        this.spooling = options.spoolDir() == null ? null : new Spooling(options, metrics, diagnostics);
        if (spooling != null) {
            // While a failing batch waits for its retry, what piles up behind it goes to disk
            // before the buffer fills, instead of being refused to the callers.
            close.whilePaused(this::spoolWhileRetrying);
        }
        this.encoded = new EncodedBatch(options);
        this.nextEncoded = new EncodedBatch(options);
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(options.flushIntervalMs());
        this.thread = new Thread(this::run, "logtide-sender");
        this.thread.setDaemon(true);
    }

    /** @return a delivery through {@code transport}, sharing this sender's breaker, counters and close state */
    private BatchDelivery delivery(HttpTransport transport) {
        return new BatchDelivery(options, transport, breaker, metrics, diagnostics, close);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    /** @return the breaker's state */
    public CircuitState circuitState() {
        return breaker.state();
    }

    /**
     * @return a future completed once every entry buffered now has been sent, dropped, or given
     *     up for the moment (the server is unreachable)
     */
    public CompletableFuture<Void> requestFlush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (flushes) {
            flushes.add(new FlushWaiter(done, buffer.enqueued()));
        }
        buffer.wake();
        return done;
    }

    /**
     * Delivers what is buffered within {@code timeoutMs}, then stops the thread and counts what is
     * left as {@link DropReason#UNSENT_AT_CLOSE}. Transient failures are retried until the
     * deadline; what waits leaves in requests of up to 1,000 entries sent at the same time. Any
     * loss is reported in one warning with the count and the reason.
     *
     * @param timeoutMs the time budget for delivering
     */
    public void shutdown(long timeoutMs) {
        // Frameworks stop appenders from interrupted threads (Logback's AsyncAppender interrupts its
        // worker first): the flush still gets its time budget, and the interrupt is restored after.
        boolean interrupted = Thread.interrupted();
        // The stop grace comes out of the budget, so close() returns within timeoutMs.
        long grace = Math.min(STOP_GRACE_MS, timeoutMs / 4);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs - grace);
        long unsentBefore = metrics.droppedCount(DropReason.UNSENT_AT_CLOSE);
        // Registered before closing starts: the attempt that gives up at close must find it.
        CompletableFuture<Void> flushed = requestFlush();
        close.beginClose(deadline); // a backoff in progress ends now
        startCloseWorkers();
        boolean timedOut = false;
        while (!flushed.isDone() || anyAlive(closeWorkers)) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                timedOut = true;
                break;
            }
            try {
                if (!flushed.isDone()) {
                    flushed.get(remaining, TimeUnit.NANOSECONDS);
                } else {
                    joinFirstAlive(closeWorkers, remaining);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TimeoutException | ExecutionException e) {
                // loop: the deadline check decides
            }
        }
        // Deliveries that ran into the deadline end just before it: that is a timeout too.
        timedOut |= System.nanoTime() >= deadline;
        String failure = close.lastFailure();
        close.stop();
        buffer.wake();
        transport.cancel();
        synchronized (closeWorkers) {
            closeTransports.forEach(HttpTransport::cancel);
        }
        long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace);
        interrupted |= joinUntil(thread, graceEnd);
        for (Thread worker : closeWorkers) {
            interrupted |= joinUntil(worker, graceEnd);
        }
        List<LogEntry> rest = new ArrayList<>();
        buffer.close(rest);
        DropReason unsent = DropReason.UNSENT_AT_CLOSE;
        if (spooling != null) {
            // What the network could not take before the deadline goes to disk, for the next process.
            beforeSend.apply(rest);
            spooling.spool(rest);
            if (!rest.isEmpty()) {
                unsent = spooling.refusal(); // left because the spool is full or unusable
            }
            spooling.close();
        }
        if (!rest.isEmpty()) {
            metrics.droppedTaken(unsent, rest.size());
        }
        completeFlushes(true);
        // A delivery that did not stop in time (a hung value, a starved thread) still holds entries.
        long held = metrics.seal(buffer.taken());
        long lost = metrics.droppedCount(DropReason.UNSENT_AT_CLOSE) - unsentBefore;
        if (lost > 0) {
            String why = timedOut ? "close timed out after " + timeoutMs + " ms (closeTimeoutMs)"
                    + (failure == null ? "" : "; last failure: " + failure)
                    : failure == null ? "delivery stopped" : failure;
            if (held > 0) {
                why += "; " + held + " of them held by a delivery that did not stop in time";
            }
            // "Confirm": a request cut off while the server was still answering may have been stored.
            diagnostics.warnAlways("LogTide could not confirm delivery of " + lost + " entries before close (" + why
                    + "); counted as UNSENT_AT_CLOSE in getMetrics()");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts threads that send at the same time as the sender thread, so what waits at close
     * leaves in parallel requests of up to 1,000 entries rather than one after another.
     */
    private void startCloseWorkers() {
        int requests = (buffer.size() + ClientOptions.MAX_BATCH_SIZE - 1) / ClientOptions.MAX_BATCH_SIZE;
        // The sender thread may still be busy with a request, and the batch it took behind that
        // request comes back to the buffer: every share gets a worker, plus one for that batch;
        // an idle sender thread drains alongside them, and a worker with nothing to take ends.
        int extra = Math.min(MAX_CLOSE_REQUESTS - 1, requests + 1);
        synchronized (closeWorkers) {
            for (int i = 0; i < extra; i++) {
                HttpTransport t = new HttpTransport(options, http);
                BatchDelivery d = delivery(t);
                Thread worker = new Thread(() -> closeWork(d), "logtide-close-" + (i + 1));
                worker.setDaemon(true);
                closeTransports.add(t);
                closeWorkers.add(worker);
                worker.start();
            }
        }
    }

    /** A close worker: takes up to 1,000 entries at a time until the buffer is empty or close gives up. */
    private void closeWork(BatchDelivery d) {
        FeedbackGuard.markCurrentThreadInternal();
        EncodedBatch encoded = new EncodedBatch(options);
        List<LogEntry> batch = new ArrayList<>(ClientOptions.MAX_BATCH_SIZE);
        List<LogEntry> deferred = new ArrayList<>();
        int idle = 0;
        while (!close.stopped() && !gaveUp) {
            buffer.drain(batch, ClientOptions.MAX_BATCH_SIZE);
            boolean took = !batch.isEmpty();
            beforeSend.apply(batch);
            if (batch.isEmpty()) {
                if (took) {
                    continue; // the hook dropped them all
                }
                // The sender hands back the batch it took behind its request within ~20 ms of close.
                if (++idle > 3 || !close.pause(30)) {
                    return;
                }
                continue;
            }
            try {
                DeliveryResult result = d.deliver(encoded.encode(batch), true);
                result.countInto(metrics);
                deferred.addAll(result.unsent());
            } catch (RuntimeException | Error e) {
                diagnostics.error("LogTide close hit an unexpected error", e);
                deferred.clear();
                deferred.addAll(batch);
            }
            batch.clear();
            if (!deferred.isEmpty()) {
                gaveUp = true;
            }
            requeue(deferred);
        }
    }

    private static boolean anyAlive(List<Thread> threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static void joinFirstAlive(List<Thread> threads, long nanos) throws InterruptedException {
        for (Thread t : threads) {
            if (t.isAlive()) {
                TimeUnit.NANOSECONDS.timedJoin(t, nanos);
                return;
            }
        }
    }

    /** @return whether the wait was interrupted */
    private static boolean joinUntil(Thread t, long endNanos) {
        boolean interrupted = false;
        while (t.isAlive() && System.nanoTime() < endNanos) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, endNanos - System.nanoTime()));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /**
     * Waits for a shutdown started elsewhere to finish.
     *
     * @param timeoutMs the most time to wait
     */
    public void awaitStopped(long timeoutMs) {
        try {
            stopped.await(timeoutMs + STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        FeedbackGuard.markCurrentThreadInternal();
        List<LogEntry> batch = new ArrayList<>(ClientOptions.MAX_BATCH_SIZE);
        List<LogEntry> deferred = new ArrayList<>();
        int failedCycles = 0;
        try {
            while (!close.stopped()) {
                try {
                    cycle(batch, deferred);
                    failedCycles = 0;
                } catch (InterruptedException e) {
                    // only close interrupts us; the loop condition decides
                } catch (Throwable t) {
                    failedCycles++;
                    diagnostics.error("LogTide sender hit an unexpected error; delivery continues", t);
                    close.pause(100);
                } finally {
                    settle(batch, deferred, failedCycles);
                }
            }
        } finally {
            // A next batch taken before close stopped the loop is still owed an outcome.
            handBackNext(deferred);
            requeue(deferred);
            stopped.countDown();
        }
    }

    private void cycle(List<LogEntry> batch, List<LogEntry> deferred) throws InterruptedException {
        reportBufferFull();
        boolean closing = close.closing();
        boolean urgent = closing || hasFlushes();
        if (closing && gaveUp) {
            completeFlushes(true); // close's own flush may arrive after the attempt that gave up
            buffer.awaitWake(TimeUnit.MILLISECONDS.toNanos(50));
            return;
        }
        if (spooling != null && !urgent && next.isEmpty() && breaker.nanosUntilProbe() == 0 && spooling.drainDue()) {
            spooling.drain(delivery); // spooled entries, oldest first, between live batches
            return;
        }
        boolean preEncoded = !next.isEmpty();
        if (preEncoded) {
            batch.addAll(next); // taken and encoded while the previous batch was in flight: it goes first
            next.clear();
            EncodedBatch done = encoded;
            encoded = nextEncoded;
            nextEncoded = done;
        } else if (!urgent) {
            long probeWait = breaker.nanosUntilProbe();
            if (probeWait > 0 && spooling != null && spooling.accepting()) {
                // Breaker open: what waits goes to disk before the buffer fills, until the probe time.
                buffer.awaitBatch(batch, ClientOptions.MAX_BATCH_SIZE, intervalNanos, Math.min(probeWait, intervalNanos));
                beforeSend.apply(batch);
                spoolOrRequeue(batch);
                return;
            }
            if (probeWait > 0) {
                // Breaker open: entries stay buffered; wait for the probe time, a flush or close.
                buffer.awaitWake(probeWait);
                return;
            }
            // While the spool drains, live entries do not wait a whole interval between its batches.
            long maxWait = spooling == null ? intervalNanos : Math.min(intervalNanos, spooling.nanosUntilDrain());
            buffer.awaitBatch(batch, ClientOptions.MAX_BATCH_SIZE, intervalNanos, maxWait);
        } else {
            buffer.drain(batch, ClientOptions.MAX_BATCH_SIZE);
        }
        if (!preEncoded) {
            beforeSend.apply(batch); // the next batch passed it when taken
        }
        if (batch.isEmpty()) {
            completeFlushes(false);
            return;
        }
        if (!preEncoded) {
            encoded.encode(batch);
        }
        nextEncoded.clear();
        if (!urgent && !close.closing() && !hasFlushes()) {
            // The next batch, taken as the first request leaves: whole batches only, never waiting.
            buffer.takeWholeBatches(next, ClientOptions.MAX_BATCH_SIZE);
            beforeSend.apply(next); // now, not while the request is out: every entry given back has passed
        }
        // With nothing to overlap, the request is made here, not handed to another thread and back.
        DeliveryResult result = next.isEmpty() ? delivery.deliver(encoded, urgent) : deliverOverlapped(deferred);
        batch.clear();
        result.countInto(metrics);
        deferred.addAll(result.unsent());
        encoded.clear(); // settled: its entries and their JSON are not kept past the buffer's bound
        boolean outage = result.stopped();
        if (outage) {
            handBackNext(deferred); // behind this batch: order is kept
            if (close.closing()) { // read again: close may have begun during the delivery
                gaveUp = true;
            } else {
                spoolOrRequeue(deferred);
            }
        }
        requeue(deferred);
        completeFlushes(outage);
    }

    /**
     * Delivers the batch in hand while encoding the next one: the first request is posted on
     * OkHttp's dispatcher, the next batch is encoded meanwhile, and the rest of the batch (retries,
     * more requests) follows on this thread.
     */
    private DeliveryResult deliverOverlapped(List<LogEntry> deferred) {
        BatchDelivery.Run run = delivery.start(encoded, false);
        if (run.posted()) {
            try {
                nextEncoded.encode(next);
            } finally {
                awaitFirstAnswer(run, deferred); // even on an error: OkHttp is still reading the batch
            }
        }
        return run.finish();
    }

    /**
     * Waits for the request in flight. When close begins meanwhile, the next batch goes back to
     * the buffer, where close's parallel requests take it, instead of waiting its turn.
     */
    private void awaitFirstAnswer(BatchDelivery.Run run, List<LogEntry> deferred) {
        while (!run.awaitFirst(20)) {
            if (close.closing() && !next.isEmpty()) {
                handBackNext(deferred);
                requeue(deferred);
            }
        }
    }

    /** Gives up the next batch: it joins {@code into}, behind what is there, to be requeued with it. */
    private void handBackNext(List<LogEntry> into) {
        into.addAll(next);
        next.clear();
        nextEncoded.clear();
    }

    private void reportBufferFull() {
        long drops = metrics.droppedCount(DropReason.BUFFER_FULL);
        if (drops > reportedFullDrops) {
            diagnostics.warn("LogTide buffer is full (maxBufferSize=" + options.maxBufferSize() + ", maxBufferBytes="
                    + options.maxBufferBytes() + "): new entries are being dropped; see getMetrics()", null);
        }
        reportedFullDrops = drops; // also follows resetMetrics()
    }

    /**
     * Whatever a cycle left unaccounted (an unexpected error mid-delivery) goes back to the buffer
     * once; if the next cycle fails too, the batch is what breaks the sender and is dropped, so one
     * entry can never stop delivery for good.
     */
    private void settle(List<LogEntry> batch, List<LogEntry> deferred, int failedCycles) {
        if (!batch.isEmpty()) {
            if (failedCycles >= 2) {
                metrics.droppedTaken(DropReason.INVALID, batch.size());
            } else {
                deferred.addAll(0, batch);
            }
            batch.clear();
        }
        if (failedCycles > 0) {
            handBackNext(deferred); // taken during the cycle that failed; back behind its batch
        }
        requeue(deferred);
    }

    /**
     * During a retry backoff on the sender thread: while the buffer is more than half full (by
     * entries or bytes) and the spool takes entries, moves them there a batch at a time, oldest
     * first.
     */
    private void spoolWhileRetrying() {
        if (Thread.currentThread() != thread) {
            return; // close's parallel deliveries: only the sender writes to the spool
        }
        List<LogEntry> taken = new ArrayList<>();
        while (spooling.accepting() && !close.closing()
                && (buffer.size() > options.maxBufferSize() / 2 || buffer.bytes() > options.maxBufferBytes() / 2)) {
            buffer.drain(taken, ClientOptions.MAX_BATCH_SIZE);
            if (taken.isEmpty()) {
                return;
            }
            beforeSend.apply(taken);
            spoolOrRequeue(taken);
            taken.clear();
        }
    }

    /**
     * Entries the server cannot take now go to the spool when there is one and it takes them;
     * the rest go back to the buffer.
     */
    private void spoolOrRequeue(List<LogEntry> entries) {
        if (spooling != null && spooling.accepting()) {
            spooling.spool(entries);
        }
        requeue(entries);
    }

    private void requeue(List<LogEntry> deferred) {
        if (deferred.isEmpty()) {
            return;
        }
        beforeSend.putBack(deferred); // first: a close worker may take them back at once
        int kept = buffer.requeue(deferred);
        beforeSend.notPutBack(deferred.subList(kept, deferred.size()));
        int lost = deferred.size() - kept;
        if (lost > 0) {
            metrics.droppedTaken(buffer.isClosed() ? DropReason.UNSENT_AT_CLOSE
                    : spooling != null ? spooling.refusal() : DropReason.RETRIES_EXHAUSTED, lost);
        }
        deferred.clear();
    }

    private boolean hasFlushes() {
        synchronized (flushes) {
            return !flushes.isEmpty();
        }
    }

    /** @param all complete every waiter (delivery stopped for now), not only those whose entries are taken */
    private void completeFlushes(boolean all) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        // The next batch is taken but not yet sent. (Only the sender thread reads next; close's
        // completion of every waiter does not need the count.)
        long taken = all ? Long.MAX_VALUE : buffer.taken() - next.size();
        synchronized (flushes) {
            for (Iterator<FlushWaiter> it = flushes.iterator(); it.hasNext(); ) {
                FlushWaiter w = it.next();
                if (all || taken >= w.target) {
                    done.add(w.future);
                    it.remove();
                }
            }
        }
        done.forEach(f -> f.complete(null)); // outside the lock: completion may run caller code
    }

    private static final class FlushWaiter {
        final CompletableFuture<Void> future;
        final long target;

        FlushWaiter(CompletableFuture<Void> future, long target) {
            this.future = future;
            this.target = target;
        }
    }
}
