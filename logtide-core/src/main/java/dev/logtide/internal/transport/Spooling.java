package dev.logtide.internal.transport;

import dev.logtide.ClientOptions;
import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.internal.buffer.DeliveryMetrics;
import dev.logtide.internal.diagnostics.Diagnostics;
import dev.logtide.internal.spool.Spool;
import dev.logtide.internal.spool.SpoolLockedException;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sender's side of the spool ({@code spoolDir}): writes entries the server cannot take now as
 * their encoded bytes, and drains the spool, oldest first, in batches of up to 1,000 entries
 * paced under the server's 1,000 requests a minute, acknowledging only what the server settled.
 * It lives here, next to {@link EncodedBatch}, which it fills both ways. Used by the sender
 * thread, and by close once that thread has stopped.
 */
final class Spooling {
    /** The least time between two drain requests: at most 10 a second, 600 of the server's 1,000 a minute. */
    private static final long DRAIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** After a drain that could not finish, the spool waits this long at least before the next one. */
    private static final long DRAIN_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DeliveryMetrics metrics;
    private final Diagnostics diagnostics;
    private final String dir;
    /** Null when the directory could not be opened. */
    private final Spool spool;
    private final EncodedBatch writing;
    private final EncodedBatch draining;
    private final Spool.Batch read = new Spool.Batch();
    private final int maxBatchBytes;
    /** Why the spool refuses everything (it could not be opened, or a write or read failed), or null. */
    private String unavailable;
    private boolean reportedUnavailable;
    /** Set when the spool refused an entry for want of room; cleared once a drain frees some. */
    private boolean full;
    private long nextDrainNanos = System.nanoTime();

    Spooling(ClientOptions options, DeliveryMetrics metrics, Diagnostics diagnostics) {
        this.metrics = metrics;
        this.diagnostics = diagnostics;
        this.dir = options.spoolDir();
        this.maxBatchBytes = options.maxBatchBytes();
        this.writing = new EncodedBatch(options);
        this.draining = new EncodedBatch(options);
        Spool opened = null;
        try {
            opened = Spool.open(Paths.get(dir), options.maxSpoolBytes());
        } catch (SpoolLockedException e) {
            unavailable = e.getMessage();
        } catch (IOException | InvalidPathException | SecurityException e) {
            unavailable = describe(e);
        }
        this.spool = opened;
        if (spool == null) {
            reportUnavailable();
        } else {
            metrics.spoolBytes(spool.pendingBytes());
            if (spool.damagedAck() != null) {
                diagnostics.warnAlways("LogTide spoolDir " + dir + ": the read position in its ack file was damaged ("
                        + spool.damagedAck() + ", past what is spooled); every spooled entry is sent again from the "
                        + "oldest, so the server may receive some twice");
            }
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void reportUnavailable() {
        if (!reportedUnavailable) {
            reportedUnavailable = true;
            diagnostics.warnAlways("LogTide cannot use spoolDir " + dir + " (" + unavailable + "); entries wait "
                    + "in memory only: a full buffer drops new entries as BUFFER_FULL, and what a stopped delivery "
                    + "or close cannot keep is counted as SPOOL_UNAVAILABLE in getMetrics()");
        }
    }

    /** @return whether entries may be offered now: the spool works and was not found full since the last drain */
    boolean accepting() {
        return unavailable == null && !full;
    }

    /**
     * @return the reason for entries the buffer could not keep: the spool's refusal when it
     *     refuses, else {@link DropReason#RETRIES_EXHAUSTED} as without a spool
     */
    DropReason refusal() {
        return unavailable != null ? DropReason.SPOOL_UNAVAILABLE : full ? DropReason.SPOOL_FULL : DropReason.RETRIES_EXHAUSTED;
    }

    /**
     * Writes entries to the spool, oldest first, as far as it takes them; counts them as spooled.
     *
     * @param entries entries that passed {@code beforeSend}; those written are removed from the list
     */
    void spool(List<LogEntry> entries) {
        int written = 0;
        // A batch at a time: what close leaves can be the whole buffer, and is never encoded at once.
        while (written < entries.size() && unavailable == null) {
            List<LogEntry> chunk = entries.subList(written, Math.min(entries.size(), written + ClientOptions.MAX_BATCH_SIZE));
            int n = spoolChunk(chunk);
            written += n;
            if (n < chunk.size()) {
                break;
            }
        }
        if (written > 0) {
            metrics.spooled(written);
            metrics.spoolBytes(spool.pendingBytes());
            entries.subList(0, written).clear();
        }
    }

    /** @return how many of {@code chunk}, from its start, were written */
    private int spoolChunk(List<LogEntry> chunk) {
        writing.encode(chunk);
        int staged = 0;
        byte[] bytes = writing.bytes();
        for (int i = 0; i < writing.size(); i++) {
            if (!spool.add(bytes, writing.start(i), writing.end(i) - writing.start(i))) {
                break;
            }
            staged++;
        }
        int written = spool.commit();
        writing.clear();
        if (spool.unavailable() != null) {
            unavailable = spool.unavailable();
            reportUnavailable();
        } else if (staged < chunk.size()) {
            if (!full) {
                diagnostics.warn("LogTide spool " + dir + " is full (maxSpoolBytes); entries wait in memory until "
                        + "it drains: a full buffer drops new entries as BUFFER_FULL, and what a stopped delivery or "
                        + "close cannot keep is counted as SPOOL_FULL in getMetrics()", null);
            }
            full = true;
        }
        return written;
    }

    /** @return whether a drain request is due: records wait and the pacing allows one */
    boolean drainDue() {
        return spool != null && unavailable == null && spool.hasPending() && System.nanoTime() - nextDrainNanos >= 0;
    }

    /** @return nanoseconds until the next drain is due; {@link Long#MAX_VALUE} when nothing waits */
    long nanosUntilDrain() {
        if (spool == null || unavailable != null || !spool.hasPending()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, nextDrainNanos - System.nanoTime());
    }

    /**
     * Sends the oldest spooled batch (up to 1,000 entries) and moves the spool's read position
     * past what the server settled.
     *
     * @param delivery the sender's delivery
     */
    void drain(BatchDelivery delivery) {
        try {
            spool.read(read, ClientOptions.MAX_BATCH_SIZE, maxBatchBytes); // what one request body may hold
            if (read.count() == 0) {
                if (!read.isEmpty()) {
                    metrics.spoolCorrupt(spool.ack(read, 0)); // only skipped records: pass them
                }
                return;
            }
            DeliveryResult result = delivery.deliver(draining.load(read.data(), read::end, read.count()), false);
            draining.clear();
            result.countDrainedInto(metrics);
            int settled = result.settledPrefix();
            metrics.spoolCorrupt(spool.ack(read, settled));
            if (settled < read.count()) {
                // The breaker may let a probe through before the server's Retry-After: the spool waits it out.
                nextDrainNanos = System.nanoTime()
                        + Math.max(DRAIN_BACKOFF_NANOS, TimeUnit.MILLISECONDS.toNanos(result.retryAfterMs()));
                return;
            }
            full = false;
            nextDrainNanos = System.nanoTime() + DRAIN_GAP_NANOS;
        } catch (IOException e) {
            unavailable = describe(e);
            reportUnavailable();
        } finally {
            metrics.spoolBytes(spool.pendingBytes());
        }
    }

    /** Forces what was written to the device and releases the directory. */
    void close() {
        if (spool != null) {
            spool.close();
        }
    }
}
