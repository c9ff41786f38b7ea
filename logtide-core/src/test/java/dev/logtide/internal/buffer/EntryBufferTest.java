package dev.logtide.internal.buffer;

import dev.logtide.DropReason;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.internal.buffer.DeliveryMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the sender takes from the buffer and what it puts back: whole batches of the
 * {@code batchSize} the buffer was built with, a partial batch once it has waited, requeue at the
 * front in order, and close handing over the rest.
 */
class EntryBufferTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final DeliveryMetrics metrics = new DeliveryMetrics();

    private EntryBuffer buffer(int maxEntries, int batchSize) {
        return new EntryBuffer(maxEntries, 1 << 30, 0, batchSize, metrics);
    }

    private static List<LogEntry> offer(EntryBuffer buffer, String prefix, int n) {
        List<LogEntry> offered = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogEntry e = LogEntry.builder(LogLevel.WARN, prefix + i).build();
            assertTrue(buffer.offer(e));
            offered.add(e);
        }
        return offered;
    }

    @Test
    void aWaitingBacklogLeavesAsWholeBatchesAndThePartialOneStays() throws Exception {
        EntryBuffer buffer = buffer(10_000, 100);
        List<LogEntry> offered = offer(buffer, "n", 350);
        List<LogEntry> taken = new ArrayList<>();
        buffer.awaitBatch(taken, 1000, MINUTE, MINUTE); // 3 whole batches wait: no wait at all
        assertEquals(offered.subList(0, 300), taken);
        assertEquals(50, buffer.size());
        assertEquals(300, buffer.taken());
    }

    @Test
    void oneTakeIsAtMostTheLargestMultipleOfBatchSizeWithinMax() throws Exception {
        EntryBuffer buffer = buffer(10_000, 300);
        offer(buffer, "n", 1500);
        List<LogEntry> taken = new ArrayList<>();
        buffer.awaitBatch(taken, 1000, MINUTE, MINUTE);
        assertEquals(900, taken.size(), "1000 rounded down to whole batches of 300");
        taken.clear();
        buffer.takeWholeBatches(taken, 1000);
        assertEquals(600, taken.size(), "what is left: two whole batches");
    }

    @Test
    void aPartialBatchLeavesOnceTheOldestHasWaitedTheInterval() throws Exception {
        EntryBuffer buffer = buffer(10_000, 100);
        List<LogEntry> offered = offer(buffer, "p", 3);
        List<LogEntry> taken = new ArrayList<>();
        buffer.awaitBatch(taken, 1000, TimeUnit.MILLISECONDS.toNanos(1), MINUTE);
        assertEquals(offered, taken);
    }

    @Test
    void wakeEndsTheWaitWithWhatThereIs() throws Exception {
        EntryBuffer buffer = buffer(10_000, 100);
        List<LogEntry> offered = offer(buffer, "w", 7);
        buffer.wake();
        List<LogEntry> taken = new ArrayList<>();
        buffer.awaitBatch(taken, 1000, MINUTE, MINUTE);
        assertEquals(offered, taken);
    }

    @Test
    void takingWholeBatchesNeverTakesAPartialOne() {
        EntryBuffer buffer = buffer(10_000, 100);
        offer(buffer, "n", 99);
        List<LogEntry> taken = new ArrayList<>();
        buffer.takeWholeBatches(taken, 1000);
        assertTrue(taken.isEmpty());
        offer(buffer, "m", 150);
        buffer.takeWholeBatches(taken, 1000);
        assertEquals(200, taken.size());
        assertEquals(49, buffer.size());
    }

    @Test
    void requeuedEntriesGoBackToTheFrontInOrder() {
        EntryBuffer buffer = buffer(10_000, 10);
        List<LogEntry> first = offer(buffer, "a", 10);
        List<LogEntry> taken = new ArrayList<>();
        buffer.drain(taken, 1000);
        List<LogEntry> later = offer(buffer, "b", 5);
        assertEquals(10, buffer.requeue(new ArrayList<>(taken)));
        assertEquals(0, buffer.taken(), "requeued entries are no longer taken");
        List<LogEntry> all = new ArrayList<>();
        buffer.drain(all, 1000);
        List<LogEntry> expected = new ArrayList<>(first);
        expected.addAll(later);
        assertEquals(expected, all);
    }

    @Test
    void aRequeueWithoutRoomForAllKeepsTheOldest() {
        EntryBuffer buffer = buffer(10, 10);
        List<LogEntry> first = offer(buffer, "a", 10);
        List<LogEntry> taken = new ArrayList<>();
        buffer.drain(taken, 1000);
        offer(buffer, "b", 6); // only 4 places left
        assertEquals(4, buffer.requeue(taken), "the caller counts the other 6 as dropped");
        List<LogEntry> all = new ArrayList<>();
        buffer.drain(all, 1000);
        assertEquals(first.subList(0, 4), all.subList(0, 4));
        assertEquals(10, all.size());
    }

    @Test
    void closeHandsOverTheRestAndRefusesLaterOffersAndRequeues() {
        EntryBuffer buffer = buffer(10_000, 100);
        List<LogEntry> offered = offer(buffer, "c", 3);
        List<LogEntry> taken = new ArrayList<>();
        buffer.drain(taken, 1);
        List<LogEntry> rest = new ArrayList<>();
        buffer.close(rest);
        assertEquals(offered.subList(1, 3), rest);
        assertTrue(buffer.isClosed());
        assertEquals(3, buffer.taken(), "what close hands over counts as taken: its owner accounts for it");
        assertFalse(buffer.offer(LogEntry.builder(LogLevel.ERROR, "late").build()));
        assertEquals(1, metrics.droppedCount(DropReason.AFTER_CLOSE));
        assertEquals(0, buffer.requeue(taken));
        assertTrue(buffer.refuses(LogLevel.CRITICAL));
    }
}
