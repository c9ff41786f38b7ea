package dev.logtide.internal.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A directory of append-only segment files holding encoded entries while the server cannot take
 * them, and a durable read position ({@code ack}) that moves only once the server accepted what
 * was read. Format (docs/architecture.md, "Durable delivery"):
 * <ul>
 *   <li>{@code lock}: held with {@link FileChannel#tryLock()} while a client uses the directory;</li>
 *   <li>{@code NNNNNNNNNNNNNNNNNNNN.seg}: records {@code [length:int32][crc32c:int32][payload]},
 *       big-endian, the payload being one entry's JSON; a new segment at each open and every
 *       {@link #SEGMENT_BYTES}, so a torn tail left by a crash is never followed by new records in
 *       the same file;</li>
 *   <li>{@code ack}: 16 bytes, the segment number and offset of the first record not yet
 *       accepted by the server. Segments wholly before it are deleted.</li>
 * </ul>
 * Nothing is forced to the device per record: a record handed to the OS survives the process
 * being killed; only a power loss or OS crash can lose what the OS had not written back, and the
 * checksums then skip what was torn. {@link #close()} forces what was written.
 *
 * <p>Not thread-safe by design, but guarded: every method takes the spool's lock, held only for
 * file operations, never while a request is in flight.
 */
public final class Spool implements Closeable {
    /** A segment is closed and a new one started once it reaches this size. */
    public static final long SEGMENT_BYTES = 4L * 1024 * 1024;
    /** Record header: length and checksum. */
    public static final int HEADER = 8;
    /** A length field above this cannot be an entry (maxLogSize is far below): the rest of the file is unreadable. */
    private static final int MAX_RECORD = 64 * 1024 * 1024;
    private static final String SUFFIX = ".seg";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** The spool holds log entries: files and a directory it creates are this user's only (umask aside). */
    private static final FileAttribute<?>[] OWNER_ONLY_FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] OWNER_ONLY_DIR = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];

    private final Path dir;
    private final long maxBytes;
    private final FileChannel lockChannel;
    private final FileChannel ackChannel;
    /** Segments on disk, oldest first: number and size. */
    private final ArrayDeque<long[]> segments = new ArrayDeque<>();
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer ackBytes = ByteBuffer.allocate(16);
    private final ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
    /** Records added and not yet committed. */
    private ByteBuffer staged = ByteBuffer.allocate(256 * 1024);
    private int stagedRecords;
    private long nextSegment;
    /** The segment this spool appends to, null until the first append or after a failure. */
    private FileChannel writer;
    private long writerSegment = -1;
    private long ackSegment;
    private long ackOffset;
    /** Set by {@link #load} when the ack file held an impossible position. */
    private String damagedAck;
    /** Bytes of all segments on disk. */
    private long diskBytes;
    /** Bytes on disk not yet accepted by the server; read without the lock for metrics. */
    private volatile long pendingBytes;
    /** Why the spool cannot be used, or null while it can. */
    private volatile String unavailable;
    private FileChannel reader;
    private long readerSegment = -1;

    /** @param lockChannel holds the directory's lock until it is closed */
    private Spool(Path dir, long maxBytes, FileChannel lockChannel, FileChannel ackChannel) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.lockChannel = lockChannel;
        this.ackChannel = ackChannel;
    }

    /**
     * Opens a spool directory, creating it when missing, and takes its lock.
     *
     * @param dir      the directory
     * @param maxBytes most bytes of segment files
     * @return the spool
     * @throws IOException when the directory cannot be used: not creatable, not writable, or
     *     locked by another process or client ({@link SpoolLockedException})
     */
    public static Spool open(Path dir, long maxBytes) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, OWNER_ONLY_DIR);
        }
        FileChannel lockChannel = create(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another client in this JVM
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new SpoolLockedException();
        }
        FileChannel ackChannel = null;
        try {
            ackChannel = create(dir.resolve("ack"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            Spool spool = new Spool(dir, maxBytes, lockChannel, ackChannel);
            spool.load();
            return spool;
        } catch (IOException | RuntimeException e) {
            if (ackChannel != null) {
                ackChannel.close();
            }
            lockChannel.close(); // releases the lock
            throw e;
        }
    }

    /** Reads the ack position and the segments; deletes those wholly acknowledged. */
    private void load() throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    numbers.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
                } catch (NumberFormatException e) {
                    // not ours: left alone
                }
            }
        }
        numbers.sort(null);
        ByteBuffer b = ByteBuffer.allocate(16);
        if (ackChannel.read(b, 0) == 16) {
            b.flip();
            ackSegment = b.getLong();
            ackOffset = b.getLong();
        }
        if (!numbers.isEmpty() && !ackFits(numbers)) {
            // A damaged ack would delete segments nobody read, or skip records silently: read
            // everything again from the oldest segment instead; the server may get some twice.
            damagedAck = "segment " + ackSegment + ", offset " + ackOffset;
            ackSegment = numbers.get(0);
            ackOffset = 0;
        }
        for (long n : numbers) {
            if (n < ackSegment) {
                Files.deleteIfExists(segment(n));
                continue;
            }
            long size = Files.size(segment(n));
            segments.add(new long[] {n, size});
            diskBytes += size;
        }
        if (segments.isEmpty() || segments.peekFirst()[0] != ackSegment) {
            ackOffset = 0; // the acknowledged segment is gone: start at the oldest one left
            ackSegment = segments.isEmpty() ? 0 : segments.peekFirst()[0];
        }
        nextSegment = numbers.isEmpty() ? 0 : numbers.get(numbers.size() - 1) + 1;
        updatePending();
    }

    /**
     * @param numbers the segments on disk, in order
     * @return whether the ack position can be one this class wrote: at most one past the newest
     *     segment (everything acknowledged), and inside its segment when that one exists
     */
    private boolean ackFits(List<Long> numbers) throws IOException {
        if (ackSegment < 0 || ackOffset < 0 || ackSegment > numbers.get(numbers.size() - 1) + 1) {
            return false;
        }
        return !numbers.contains(ackSegment) || ackOffset <= Files.size(segment(ackSegment));
    }

    /**
     * @return what the ack file held when it could not be a position this spool wrote (then every
     *     spooled record is read again from the oldest segment), or {@code null}
     */
    public String damagedAck() {
        return damagedAck;
    }

    /** Opens a file, created readable and writable by this user only where the file system has POSIX permissions. */
    private static FileChannel create(Path file, StandardOpenOption... options) throws IOException {
        return FileChannel.open(file, new HashSet<>(Arrays.asList(options)), OWNER_ONLY_FILE);
    }

    private Path segment(long n) {
        return dir.resolve(String.format("%020d", n) + SUFFIX);
    }

    /** @return why appends are refused (an I/O failure), or null */
    public String unavailable() {
        return unavailable;
    }

    /** @return bytes on disk the server has not accepted yet */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** @return whether records wait to be read */
    public synchronized boolean hasPending() {
        return pendingBytes > 0;
    }

    /**
     * Stages one record for the next {@link #commit()}.
     *
     * @param data the bytes
     * @param off  start of the payload
     * @param len  payload length
     * @return false when it does not fit in {@code maxBytes} (nothing staged) or the spool is unavailable
     */
    public synchronized boolean add(byte[] data, int off, int len) {
        if (unavailable != null || diskBytes + staged.position() + HEADER + len > maxBytes) {
            return false;
        }
        if (staged.remaining() < HEADER + len) {
            staged = ByteBuffer.wrap(Arrays.copyOf(staged.array(),
                    Math.max(staged.capacity() * 2, staged.position() + HEADER + len))).position(staged.position());
        }
        crc.reset();
        crc.update(data, off, len);
        staged.putInt(len).putInt((int) crc.getValue()).put(data, off, len);
        stagedRecords++;
        return true;
    }

    /**
     * Writes the staged records in one append.
     *
     * @return how many records were written: all staged, or 0 when the write failed (the spool is
     *     then unavailable and {@link #unavailable()} says why)
     */
    public synchronized int commit() {
        int n = stagedRecords;
        stagedRecords = 0;
        staged.flip();
        try {
            if (n == 0) {
                return 0;
            }
            if (unavailable != null) {
                return 0;
            }
            if (writer == null || segments.peekLast()[1] >= SEGMENT_BYTES) {
                roll();
            } else if (!Files.exists(segment(writerSegment))) {
                // An open file whose directory was removed takes writes that no process will ever read.
                throw new NoSuchFileException(segment(writerSegment).toString(), null, "the spool directory or its file vanished");
            }
            long[] last = segments.peekLast();
            long start = last[1];
            try {
                while (staged.hasRemaining()) {
                    writer.write(staged, last[1] + (staged.position()));
                }
            } catch (IOException | RuntimeException e) {
                fail(e, start);
                return 0;
            }
            long written = staged.limit();
            last[1] += written;
            diskBytes += written;
            updatePending();
            return n;
        } catch (IOException e) {
            fail(e, -1);
            return 0;
        } finally {
            staged.clear();
        }
    }

    /** Starts a new segment. */
    private void roll() throws IOException {
        closeWriter();
        long n = nextSegment++;
        writer = create(segment(n), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        writerSegment = n;
        segments.add(new long[] {n, 0});
        if (segments.size() == 1) {
            ackSegment = n;
            ackOffset = 0;
        }
    }

    private void closeWriter() {
        closeQuietly(writer);
        writer = null;
    }

    /** Closes a file at the end of its use: what it wrote is written, and nothing else can be done on failure. */
    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // see above
            }
        }
    }

    /** A write failed: cut the file back so no torn record stays, and refuse appends from now on. */
    private void fail(Exception e, long truncateTo) {
        if (writer != null && truncateTo >= 0) {
            try {
                writer.truncate(truncateTo);
            } catch (IOException | RuntimeException ignored) {
                // the reader skips a torn tail by its checksum
            }
        }
        closeWriter();
        unavailable = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Reads records from the acknowledged position, oldest first, skipping and counting torn or
     * corrupt ones; does not move the acknowledged position ({@link #ack}).
     *
     * @param into       receives the records; cleared first
     * @param maxRecords most records
     * @param maxBytes   most payload bytes (at least one record is read)
     * @throws IOException when a segment cannot be read
     */
    public synchronized void read(Batch into, int maxRecords, long maxBytes) throws IOException {
        into.clear();
        long seg = ackSegment;
        long pos = ackOffset;
        into.startSegment = seg;
        into.startOffset = pos;
        while (into.count < maxRecords && (into.count == 0 || into.size < maxBytes)) {
            long[] s = find(seg);
            if (s == null) {
                break;
            }
            long size = s[1];
            if (pos >= size) {
                if (seg == writerSegment || s == segments.peekLast()) {
                    break; // the segment still being written: nothing more yet
                }
                seg = next(seg);
                pos = 0;
                continue;
            }
            FileChannel ch = reader(seg);
            if (size - pos < HEADER) {
                into.corrupt++; // a torn header at the end of the file
                pos = size;
                continue;
            }
            header.clear();
            readFully(ch, header, pos);
            header.flip();
            int len = header.getInt();
            int sum = header.getInt();
            if (len <= 0 || len > MAX_RECORD || pos + HEADER + len > size) {
                into.corrupt++; // a torn record, or a length that cannot be trusted: the rest of the file is lost
                pos = size;
                continue;
            }
            int at = into.reserve(len);
            readFully(ch, ByteBuffer.wrap(into.data, at, len), pos + HEADER);
            crc.reset();
            crc.update(into.data, at, len);
            pos += HEADER + len;
            if ((int) crc.getValue() != sum) {
                into.corrupt++;
                continue;
            }
            into.commit(at + len, seg, pos);
        }
        into.endSegment = seg;
        into.endOffset = pos;
    }

    private long next(long seg) {
        for (long[] s : segments) {
            if (s[0] > seg) {
                return s[0];
            }
        }
        return seg;
    }

    private long[] find(long seg) {
        for (long[] s : segments) {
            if (s[0] == seg) {
                return s;
            }
        }
        return null;
    }

    private FileChannel reader(long seg) throws IOException {
        if (readerSegment != seg) {
            closeReader();
            reader = FileChannel.open(segment(seg), StandardOpenOption.READ);
            readerSegment = seg;
        }
        return reader;
    }

    private void closeReader() {
        closeQuietly(reader);
        reader = null;
        readerSegment = -1;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("segment shorter than its size");
            }
            pos += n;
        }
    }

    /**
     * Moves the acknowledged position past the first {@code records} records of {@code batch}
     * (the server accepted or refused them), or past all it read, skipped records included, when
     * that is all of them. Segments wholly behind the position are deleted, the last one of an
     * earlier process too once it is read to its end.
     *
     * @param batch   a batch read by {@link #read}
     * @param records how many of its records are settled, from its start
     * @return the torn or corrupt records the position moved past
     * @throws IOException when the position cannot be written
     */
    public synchronized int ack(Batch batch, int records) throws IOException {
        int corrupt;
        if (records >= batch.count) {
            ackSegment = batch.endSegment;
            ackOffset = batch.endOffset;
            corrupt = batch.corrupt;
        } else if (records > 0) {
            ackSegment = batch.recordSegment[records - 1];
            ackOffset = batch.recordEnd[records - 1];
            corrupt = batch.corruptBefore[records - 1];
        } else {
            return 0;
        }
        long[] at = find(ackSegment);
        if (at != null && ackOffset >= at[1]) {
            // The end of a segment: past it, so it is deleted below rather than left behind. When it
            // is the one being written (everything spooled is acknowledged), the next write starts a
            // new segment: its bytes no longer count against maxBytes, however small that is.
            if (ackSegment == writerSegment) {
                closeWriter();
            }
            long following = next(ackSegment);
            ackSegment = following != ackSegment ? following : nextSegment;
            ackOffset = 0;
        }
        ackBytes.clear();
        ackBytes.putLong(ackSegment).putLong(ackOffset).flip();
        while (ackBytes.hasRemaining()) {
            ackChannel.write(ackBytes, ackBytes.position());
        }
        while (!segments.isEmpty() && segments.peekFirst()[0] < ackSegment) {
            long[] gone = segments.removeFirst();
            if (gone[0] == readerSegment) {
                closeReader();
            }
            Files.deleteIfExists(segment(gone[0]));
            diskBytes -= gone[1];
        }
        updatePending();
        return corrupt;
    }

    private void updatePending() {
        long pending = 0;
        for (long[] s : segments) {
            if (s[0] == ackSegment) {
                pending += s[1] - ackOffset;
            } else if (s[0] > ackSegment) {
                pending += s[1];
            }
        }
        pendingBytes = pending;
    }

    /** Forces what was written to the device and releases the directory. */
    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.force(false);
                ackChannel.force(false);
            } catch (IOException ignored) {
                // nothing more can be done at close
            }
        }
        closeWriter();
        closeReader();
        closeQuietly(ackChannel);
        closeQuietly(lockChannel); // releases the lock
    }

    /** Records read from the spool: payloads back to back, with where each ends. */
    public static final class Batch {
        private byte[] data = new byte[256 * 1024];
        private int[] ends = new int[1024];
        /** Where each record ends on disk, and the skipped records before it, for a partial {@link #ack}. */
        private long[] recordSegment = new long[1024];
        private long[] recordEnd = new long[1024];
        private int[] corruptBefore = new int[1024];
        private int count;
        private int size;
        private int corrupt;
        private long startSegment;
        private long startOffset;
        private long endSegment;
        private long endOffset;

        /** @return the payloads, back to back */
        public byte[] data() {
            return data;
        }

        /**
         * @param i a record
         * @return where record {@code i} ends in {@link #data()}; it starts where {@code i - 1} ends
         */
        public int end(int i) {
            return ends[i];
        }

        /** @return records read */
        public int count() {
            return count;
        }

        /** @return torn or corrupt records skipped */
        public int corrupt() {
            return corrupt;
        }

        /** @return whether the read moved past nothing: no record, no skipped bytes, no finished segment */
        public boolean isEmpty() {
            return endSegment == startSegment && endOffset == startOffset;
        }

        void clear() {
            count = 0;
            size = 0;
            corrupt = 0;
        }

        private int reserve(int len) {
            if (size + len > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + len));
            }
            return size;
        }

        private void commit(int end, long segment, long diskEnd) {
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
                recordSegment = Arrays.copyOf(recordSegment, count * 2);
                recordEnd = Arrays.copyOf(recordEnd, count * 2);
                corruptBefore = Arrays.copyOf(corruptBefore, count * 2);
            }
            recordSegment[count] = segment;
            recordEnd[count] = diskEnd;
            corruptBefore[count] = corrupt;
            ends[count++] = end;
            size = end;
        }
    }
}
