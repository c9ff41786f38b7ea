package dev.logtide;

/** Why an entry was not delivered. Every entry that is not sent is counted under exactly one reason. */
public enum DropReason {
    /** The buffer had no room (by count or bytes), or was past 80% full for a DEBUG/INFO entry. */
    BUFFER_FULL,
    /** A batch used up its retries on a transient failure and the buffer had no room to keep it. */
    RETRIES_EXHAUSTED,
    /**
     * The entry itself was unusable: the server rejected it (a 400, or a 5xx isolated to this one
     * entry), or the log call's arguments could not be captured.
     */
    INVALID,
    /** Logged after {@link LogTideClient#close()}. */
    AFTER_CLOSE,
    /** The server refused the entry as too large (413) even when it was sent alone. */
    OVERSIZE,
    /** Still buffered or in flight when {@link LogTideClient#close()} ran out of time. */
    UNSENT_AT_CLOSE,
    /** The {@link ClientOptions.Builder#beforeSend beforeSend} hook returned {@code null} for it. */
    BEFORE_SEND,
    /** Left out by sampling ({@link ClientOptions#sampleRate()} below 1), when it was logged. */
    SAMPLED,
    /**
     * The server could not take the entry, the spool ({@code spoolDir}) was at {@code maxSpoolBytes},
     * and the buffer had no room to put it back, or close left it. An entry logged while the buffer
     * is full is {@link #BUFFER_FULL}, spool or not.
     */
    SPOOL_FULL,
    /**
     * The server could not take the entry, the spool ({@code spoolDir}) could not be used (the
     * directory is not writable, vanished, failed a write, or is in use by another process), and
     * the buffer had no room to put it back, or close left it.
     */
    SPOOL_UNAVAILABLE
}
