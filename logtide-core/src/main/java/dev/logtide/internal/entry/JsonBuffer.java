package dev.logtide.internal.entry;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that JSON is generated into. Entries are written back to back; the
 * sender slices it into request bodies without copying or re-serialising.
 */
public final class JsonBuffer extends OutputStream {
    private static final int INITIAL_BYTES = 64 * 1024;

    private byte[] bytes = new byte[INITIAL_BYTES];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    /**
     * Makes room for {@code extra} more bytes at once, instead of growing step by step.
     *
     * @param extra bytes about to be written
     */
    public void reserve(int extra) {
        ensure(extra);
    }

    private void ensure(int extra) {
        if (size + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
        }
    }

    /** @return bytes written */
    public int size() {
        return size;
    }

    /**
     * Empties the buffer, and lets go of its array when it has grown past {@code keepBytes}
     * (a batch of large entries), so that it is not held until the client closes.
     *
     * @param keepBytes the largest array kept for the next use
     */
    public void clear(int keepBytes) {
        size = 0;
        if (bytes.length > keepBytes) {
            bytes = new byte[INITIAL_BYTES];
        }
    }

    /** @param newSize drop everything written after this position */
    public void truncate(int newSize) {
        size = newSize;
    }

    /** @return the backing array; valid up to {@link #size()} until the next write */
    public byte[] array() {
        return bytes;
    }
}
