package dev.logtide.internal.entry;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that JSON is generated into. Entries are written back to back; the
 * sender slices it into request bodies without copying or re-serialising.
 */
public final class JsonBuffer extends OutputStream {
    private byte[] bytes = new byte[64 * 1024];
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
     * @param extra bytes about to be written; at most {@code Integer.MAX_VALUE - 8} are reserved
     */
    public void reserve(long extra) {
        ensure((int) Math.min(extra, Integer.MAX_VALUE - 8 - size));
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

    /** @param newSize drop everything written after this position */
    public void truncate(int newSize) {
        size = newSize;
    }

    /** @return the backing array; valid up to {@link #size()} until the next write */
    public byte[] array() {
        return bytes;
    }
}
