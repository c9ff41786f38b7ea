package dev.logtide.internal.spool;

import java.io.IOException;

/** The spool directory's lock is held by another process, or by another client in this JVM. */
public final class SpoolLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public SpoolLockedException() {
        super("the directory is in use by another process or client (its lock file is held)");
    }
}
