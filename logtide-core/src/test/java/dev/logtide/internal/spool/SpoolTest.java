package dev.logtide.internal.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The spool's file format on real files: framing, checksums, the acknowledged position, the lock. */
class SpoolTest {
    private static final long MAX = 1024 * 1024;

    @TempDir
    Path dir;

    private static void append(Spool spool, String... records) {
        for (String r : records) {
            byte[] b = r.getBytes(StandardCharsets.UTF_8);
            assertTrue(spool.add(b, 0, b.length), r);
        }
        assertEquals(records.length, spool.commit());
    }

    private static List<String> records(Spool.Batch batch) {
        List<String> out = new ArrayList<>();
        for (int i = 0, start = 0; i < batch.count(); i++) {
            out.add(new String(batch.data(), start, batch.end(i) - start, StandardCharsets.UTF_8));
            start = batch.end(i);
        }
        return out;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".seg")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void recordsComeBackOldestFirstAcrossReopeningAndAcknowledgedOnesDoNot() throws IOException {
        Spool.Batch batch = new Spool.Batch();
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "{\"a\":1}", "{\"a\":2}", "{\"a\":3}");
            spool.read(batch, 2, Long.MAX_VALUE);
            assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), records(batch));
            spool.ack(batch, 2);
        }
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "{\"a\":4}");
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(List.of("{\"a\":3}", "{\"a\":4}"), records(batch));
            assertEquals(0, batch.corrupt());
            spool.ack(batch, batch.count());
            assertFalse(spool.hasPending());
            assertEquals(0, spool.pendingBytes());
            assertEquals(0, segments().size(), "acknowledged to its end, even the segment being written goes; the next write starts one");
        }
        try (Spool spool = Spool.open(dir, MAX)) {
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(0, batch.count(), "acknowledged records never come back");
            spool.ack(batch, 0);
            assertEquals(List.of(), segments(), "an earlier process's segment, read to its end, is deleted");
        }
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "{\"a\":5}");
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(List.of("{\"a\":5}"), records(batch));
        }
    }

    /** A damaged ack must not delete or skip what was never read: everything comes back, and it is said. */
    @ParameterizedTest
    @CsvSource({"9999, 0", "0, 1000000", "-1, 0", "0, -5"})
    void aDamagedAckPositionReadsEverythingAgainInsteadOfLosingIt(long segment, long offset) throws IOException {
        Spool.Batch batch = new Spool.Batch();
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "r1", "r2", "r3");
            spool.read(batch, 1, Long.MAX_VALUE);
            spool.ack(batch, 1);
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("ack").toFile(), "rw")) {
            f.writeLong(segment);
            f.writeLong(offset);
        }
        try (Spool spool = Spool.open(dir, MAX)) {
            assertEquals("segment " + segment + ", offset " + offset, spool.damagedAck());
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(List.of("r1", "r2", "r3"), records(batch), "read again from the oldest, none deleted or skipped");
            spool.ack(batch, batch.count());
        }
        try (Spool spool = Spool.open(dir, MAX)) {
            assertNull(spool.damagedAck(), "the ack written since is sound");
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(0, batch.count());
        }
    }

    @Test
    void aPartialAcknowledgementKeepsTheRestForTheNextRead() throws IOException {
        Spool.Batch batch = new Spool.Batch();
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "r1", "r2", "r3");
            spool.read(batch, 1000, Long.MAX_VALUE);
            spool.ack(batch, 1); // the server took the first only
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(List.of("r2", "r3"), records(batch));
        }
    }

    @Test
    void aTornLastRecordIsSkippedAndCountedAndEverythingBeforeAndAfterItIsRead() throws IOException {
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "first", "second", "torn-record");
        }
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 4); // the process died in the middle of the last write
        }
        Spool.Batch batch = new Spool.Batch();
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "after");
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(List.of("first", "second", "after"), records(batch));
            assertEquals(1, batch.corrupt());
            assertEquals(1, spool.ack(batch, batch.count()), "the skipped record is counted once, when passed");
            assertEquals(0, segments().size(), "every segment acknowledged to its end is deleted, the one being written too");
        }
    }

    @Test
    void aRecordFailingItsChecksumIsSkippedAndTheRecordsAfterItAreRead() throws IOException {
        try (Spool spool = Spool.open(dir, MAX)) {
            append(spool, "one", "two", "three");
        }
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            long second = Spool.HEADER + 3 + Spool.HEADER; // payload of "two"
            f.seek(second);
            f.write('X');
        }
        Spool.Batch batch = new Spool.Batch();
        try (Spool spool = Spool.open(dir, MAX)) {
            spool.read(batch, 1000, Long.MAX_VALUE);
            assertEquals(List.of("one", "three"), records(batch));
            assertEquals(1, batch.corrupt());
        }
    }

    @Test
    void aFullSpoolRefusesWhatWouldPassMaxBytesAndTakesMoreOnceDrained() throws IOException {
        try (Spool spool = Spool.open(dir, 64)) {
            byte[] record = new byte[20]; // 28 bytes framed
            assertTrue(spool.add(record, 0, 20));
            assertTrue(spool.add(record, 0, 20));
            assertFalse(spool.add(record, 0, 20), "a third would make 84 bytes > 64");
            assertEquals(2, spool.commit());
            assertFalse(spool.add(record, 0, 20));
            Spool.Batch batch = new Spool.Batch();
            spool.read(batch, 1000, Long.MAX_VALUE);
            spool.ack(batch, batch.count());
            assertEquals(0, spool.pendingBytes());
            // Drained: the room is free again, though no segment was ever full enough to roll.
            for (int round = 0; round < 3; round++) {
                assertTrue(spool.add(record, 0, 20), "round " + round);
                assertTrue(spool.add(record, 0, 20), "round " + round);
                assertEquals(2, spool.commit());
                Spool.Batch again = new Spool.Batch();
                spool.read(again, 1000, Long.MAX_VALUE);
                assertEquals(2, again.count(), "round " + round);
                spool.ack(again, again.count());
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith(".seg")).count(),
                    "a segment acknowledged to its end is deleted");
        }
    }

    @Test
    void aVanishedDirectoryMakesTheSpoolUnavailableInsteadOfWritingWhereNothingIsRead() throws IOException {
        Path spoolDir = dir.resolve("spool");
        try (Spool spool = Spool.open(spoolDir, MAX)) {
            append(spool, "kept");
            try (Stream<Path> files = Files.walk(spoolDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            byte[] b = "lost".getBytes(StandardCharsets.UTF_8);
            assertTrue(spool.add(b, 0, b.length));
            assertEquals(0, spool.commit());
            assertTrue(spool.unavailable().contains("vanished"), spool.unavailable());
            assertFalse(spool.add(b, 0, b.length), "refused from now on");
        }
    }

    @Test
    void theFilesAndTheDirectoryItCreatesAreItsUsersOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path spoolDir = dir.resolve("created");
        try (Spool spool = Spool.open(spoolDir, MAX)) {
            append(spool, "secret");
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spoolDir)));
        try (Stream<Path> files = Files.list(spoolDir)) {
            for (Path f : files.collect(Collectors.toList())) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void aSecondOpeningOfTheSameDirectoryIsRefusedWhileTheFirstHoldsIt() throws IOException {
        try (Spool first = Spool.open(dir, MAX)) {
            assertThrows(SpoolLockedException.class, () -> Spool.open(dir, MAX));
        }
        Spool.open(dir, MAX).close(); // released with the first
    }

    @Test
    void segmentsRollAtTheirSizeAndAreDeletedOnceAcknowledged() throws IOException {
        byte[] record = new byte[512 * 1024];
        Spool.Batch batch = new Spool.Batch();
        try (Spool spool = Spool.open(dir, 64L * 1024 * 1024)) {
            for (int i = 0; i < 20; i++) {
                assertTrue(spool.add(record, 0, record.length));
                assertEquals(1, spool.commit());
            }
            assertTrue(segments().size() >= 2, segments().toString());
            int read = 0;
            while (spool.hasPending()) {
                spool.read(batch, 3, Long.MAX_VALUE);
                read += batch.count();
                spool.ack(batch, batch.count());
            }
            assertEquals(20, read);
            assertEquals(0, segments().size(), "all acknowledged: no segment is left");
        }
    }
}
