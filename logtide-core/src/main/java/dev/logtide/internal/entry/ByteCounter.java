package dev.logtide.internal.entry;

import java.io.OutputStream;

/** Counts the bytes written to it and keeps none: measures an entry too large to write out. */
final class ByteCounter extends OutputStream {
    private long count;

    @Override
    public void write(int b) {
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        count += len;
    }

    long count() {
        return count;
    }

    void reset() {
        count = 0;
    }
}
