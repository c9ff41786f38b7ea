package dev.logtide.internal.buffer;

import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideScope;
import dev.logtide.internal.buffer.DeliveryMetrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where entries wait between the log call and the sender: a FIFO ring bounded by entry count and
 * by estimated bytes.
 *
 * <p>Callers hold the lock only to copy a reference in; the sender holds it only to move
 * references out. No I/O ever happens under it. Once the buffer is 80% full, DEBUG and INFO
 * entries are refused so that an outage keeps room for warnings and errors.
 */
public final class EntryBuffer {
    private static final int INITIAL_CAPACITY = 1024;

    private final int maxEntries;
    private final long maxBytes;
    private final int shedEntries;
    private final long shedBytes;
    private final long blockWhenFullNanos;
    /** The count at which the sender is woken, and the unit of what it takes without waiting. */
    private final int batchSize;
    private final DeliveryMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    private LogEntry[] entries;
    private int[] sizes;
    private int head;
    private int count;
    private long bytes;
    private long enqueued;
    private long taken;
    private long firstArrivalNanos;
    private boolean woken;
    private volatile boolean closed;
    /** Read without the lock by {@link #refuses}; written under it whenever count or bytes change. */
    private volatile boolean refusingAll;
    private volatile boolean refusingLow;
    /** The last offered entry's context map, so a snapshot shared by consecutive entries is counted once. */
    private volatile Map<String, ?> lastContext;
    /** The last offered entry's scope values, counted once for consecutive entries of one scope. */
    private volatile LogTideScope.Values lastScope;

    /**
     * @param maxEntries      most entries held
     * @param maxBytes        most estimated bytes held
     * @param blockWhenFullMs how long a caller may wait for room; 0 drops at once
     * @param batchSize       the count at which the sender is woken to send a full batch, at least 1
     * @param metrics         where drops are counted
     */
    public EntryBuffer(int maxEntries, long maxBytes, long blockWhenFullMs, int batchSize, DeliveryMetrics metrics) {
        this.maxEntries = maxEntries;
        this.batchSize = batchSize;
        this.maxBytes = maxBytes;
        this.shedEntries = Math.max(1, (int) (maxEntries * 0.8));
        this.shedBytes = (long) (maxBytes * 0.8);
        this.blockWhenFullNanos = TimeUnit.MILLISECONDS.toNanos(blockWhenFullMs);
        this.metrics = metrics;
        int capacity = Math.min(maxEntries, INITIAL_CAPACITY);
        this.entries = new LogEntry[capacity];
        this.sizes = new int[capacity];
    }

    /**
     * Adds an entry, or drops it (counted) when there is no room.
     *
     * @param entry the entry
     * @return whether it was queued
     */
    public boolean offer(LogEntry entry) {
        Map<String, ?> context = entry.context();
        LogTideScope.Values scope = entry.scope();
        int size = EntrySizes.estimate(entry, lastContext, lastScope);
        if (context != lastContext) {
            lastContext = context;
        }
        if (scope != lastScope) {
            lastScope = scope;
        }
        boolean lowLevel = entry.level().compareTo(LogLevel.INFO) <= 0;
        lock.lock();
        try {
            if (closed) {
                metrics.dropped(DropReason.AFTER_CLOSE, 1);
                return false;
            }
            if (!hasRoom(size, lowLevel) && !awaitRoom(size, lowLevel)) {
                metrics.dropped(DropReason.BUFFER_FULL, 1);
                // Near the byte bound an entry can be refused before bytes reach maxBytes: let the
                // early check refuse too until the sender makes room.
                refusingAll = true;
                refusingLow = true;
                return false;
            }
            push(entry, size);
            enqueued++;
            if (count == 1) {
                firstArrivalNanos = System.nanoTime();
                notEmpty.signal();
            } else if (count == batchSize) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean hasRoom(int size, boolean lowLevel) {
        if (count >= maxEntries || bytes + size > maxBytes) {
            return count == 0; // an empty buffer takes any one entry, however large
        }
        return !lowLevel || (count < shedEntries && bytes < shedBytes);
    }

    private boolean awaitRoom(int size, boolean lowLevel) {
        if (blockWhenFullNanos <= 0) {
            return false;
        }
        long remaining = blockWhenFullNanos;
        try {
            while (remaining > 0 && !closed) {
                remaining = notFull.awaitNanos(remaining);
                if (!closed && hasRoom(size, lowLevel)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void push(LogEntry entry, int size) {
        if (count == entries.length) {
            grow();
        }
        int tail = (head + count) % entries.length;
        entries[tail] = entry;
        sizes[tail] = size;
        count++;
        bytes += size;
        updateRefusal();
    }

    private void updateRefusal() {
        boolean all = count >= maxEntries || bytes >= maxBytes;
        boolean low = all || count >= shedEntries || bytes >= shedBytes;
        if (all != refusingAll) {
            refusingAll = all;
        }
        if (low != refusingLow) {
            refusingLow = low;
        }
    }

    /**
     * A lock-free early answer for callers that want to skip building an entry the buffer would
     * refuse anyway. It may be a moment stale; {@link #offer} decides for real.
     *
     * @param level the entry's level
     * @return whether an entry of that level would be dropped now
     */
    public boolean refuses(LogLevel level) {
        if (blockWhenFullNanos > 0) {
            return false; // the caller prefers to wait for room
        }
        return closed || (level.compareTo(LogLevel.INFO) <= 0 ? refusingLow : refusingAll);
    }

    private void grow() {
        int capacity = (int) Math.min(maxEntries, Math.max(entries.length * 2L, 16));
        if (capacity <= entries.length) {
            capacity = entries.length + 1; // a requeue after an oversized single entry
        }
        LogEntry[] e = new LogEntry[capacity];
        int[] s = new int[capacity];
        for (int i = 0; i < count; i++) {
            int from = (head + i) % entries.length;
            e[i] = entries[from];
            s[i] = sizes[from];
        }
        entries = e;
        sizes = s;
        head = 0;
    }

    /**
     * The sender's wait: returns when a batch ({@code batchSize} entries) is waiting, the oldest
     * has waited {@code intervalNanos}, {@link #wake()} was called, or {@code maxWaitNanos}
     * passed; then moves entries into {@code into}: as many whole batches as are waiting, up to
     * {@code max} entries (a backlog leaves in few large requests, not many small ones), or a
     * partial batch when that is all there is.
     *
     * @param into          receives the entries, oldest first
     * @param max           most entries to take
     * @param intervalNanos how long the oldest entry may wait for a full batch
     * @param maxWaitNanos  the longest this call waits
     * @throws InterruptedException when the sender thread is interrupted
     */
    public void awaitBatch(List<LogEntry> into, int max, long intervalNanos, long maxWaitNanos)
            throws InterruptedException {
        lock.lock();
        try {
            long now = System.nanoTime();
            long giveUp = now + maxWaitNanos;
            while (!woken && count < batchSize) {
                long wait = giveUp - now;
                if (count > 0) {
                    wait = Math.min(wait, firstArrivalNanos + intervalNanos - now);
                }
                if (wait <= 0) {
                    break;
                }
                notEmpty.awaitNanos(wait);
                now = System.nanoTime();
            }
            woken = false;
            drainLocked(into, count < batchSize ? count : wholeBatches(max));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves as many whole batches as are waiting, up to {@code max} entries, into {@code into}
     * without waiting; nothing when less than a batch waits.
     *
     * @param into receives the entries, oldest first
     * @param max  most entries to take
     */
    public void takeWholeBatches(List<LogEntry> into, int max) {
        lock.lock();
        try {
            drainLocked(into, wholeBatches(max));
        } finally {
            lock.unlock();
        }
    }

    /** @return the entries in the whole batches waiting, at most {@code max} rounded down to whole batches */
    private int wholeBatches(int max) {
        return Math.min(count - count % batchSize, Math.max(batchSize, max - max % batchSize));
    }

    /**
     * Moves up to {@code max} entries into {@code into} without waiting.
     *
     * @param into receives the entries, oldest first
     * @param max  most entries to take
     */
    public void drain(List<LogEntry> into, int max) {
        lock.lock();
        try {
            drainLocked(into, max);
        } finally {
            lock.unlock();
        }
    }

    private void drainLocked(List<LogEntry> into, int max) {
        int n = Math.min(max, count);
        // The ring holds the run in at most two contiguous pieces; moving them without a modulo
        // per entry keeps the lock short while callers wait to offer.
        int first = Math.min(n, entries.length - head);
        moveOut(into, head, head + first);
        moveOut(into, 0, n - first);
        head = (head + n) % entries.length;
        count -= n;
        taken += n;
        updateRefusal();
        if (count > 0) {
            firstArrivalNanos = System.nanoTime();
        }
        if (n > 0) {
            notFull.signalAll();
        }
    }

    private void moveOut(List<LogEntry> into, int from, int to) {
        for (int i = from; i < to; i++) {
            into.add(entries[i]);
            bytes -= sizes[i];
        }
        Arrays.fill(entries, from, to, null);
    }

    /**
     * Puts entries that could not be sent back at the front, order intact, as far as there is
     * room; the oldest are kept.
     *
     * @param batch entries taken earlier, oldest first
     * @return how many of them (from the start of the list) were put back
     */
    public int requeue(List<LogEntry> batch) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            int fit = 0;
            long fitBytes = 0;
            int[] batchSizes = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                int size = EntrySizes.estimate(batch.get(i));
                if (count + fit + 1 > maxEntries || bytes + fitBytes + size > maxBytes) {
                    break;
                }
                batchSizes[i] = size;
                fit++;
                fitBytes += size;
            }
            while (entries.length < count + fit) {
                grow();
            }
            for (int i = fit - 1; i >= 0; i--) {
                head = (head - 1 + entries.length) % entries.length;
                entries[head] = batch.get(i);
                sizes[head] = batchSizes[i];
            }
            count += fit;
            bytes += fitBytes;
            taken -= fit;
            updateRefusal();
            return fit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@link #wake()} is called or the time passes, whatever the buffer holds (the
     * sender's wait while the circuit breaker is open).
     *
     * @param nanos the longest wait
     * @throws InterruptedException when the sender thread is interrupted
     */
    public void awaitWake(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (!woken && remaining > 0) {
                remaining = notEmpty.awaitNanos(remaining);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses every later offer and requeue, wakes blocked callers, and hands over what is left.
     *
     * @param into receives the remaining entries
     */
    public void close(List<LogEntry> into) {
        lock.lock();
        try {
            closed = true;
            drainLocked(into, Integer.MAX_VALUE);
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return whether {@link #close} was called */
    public boolean isClosed() {
        return closed;
    }

    /** Makes a waiting {@link #awaitBatch} return now (flush, close, breaker probe). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** @return entries added since creation; a flush waits until {@link #taken()} reaches it */
    public long enqueued() {
        lock.lock();
        try {
            return enqueued;
        } finally {
            lock.unlock();
        }
    }

    /** @return entries taken out for sending (and not put back) since creation */
    public long taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** @return entries waiting */
    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** @return estimated bytes waiting */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
