package dev.logtide;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** A point-in-time snapshot of a client's delivery counters. */
public final class ClientMetrics {
    private final long logsSent;
    private final Map<DropReason, Long> dropped;
    private final long logsDropped;
    private final long logsTruncated;
    private final long errors;
    private final long retries;
    private final double avgLatencyMs;
    private final long circuitBreakerTrips;
    private final int bufferedEntries;
    private final long bufferedBytes;
    private final long beforeSendErrors;
    private final long logsSpooled;
    private final long logsDrained;
    private final long spoolCorruptRecords;
    private final long spoolPendingBytes;

    /**
     * @param logsSent            entries the server acknowledged
     * @param dropped             entries dropped, per reason
     * @param logsTruncated       entries whose metadata was replaced for exceeding {@code maxLogSize}
     * @param errors              failed requests
     * @param retries             retried requests
     * @param avgLatencyMs        mean request latency over the last 100 requests
     * @param circuitBreakerTrips times the breaker opened
     * @param bufferedEntries     entries waiting now
     * @param bufferedBytes       estimated bytes waiting now
     * @param beforeSendErrors    entries whose {@code beforeSend} hook threw (each was kept as logged)
     * @param logsSpooled         entries this client wrote to the spool ({@code spoolDir})
     * @param logsDrained         entries this client read back from the spool and sent or dropped
     *                            (counted in {@code logsSent} or {@code logsDropped} too)
     * @param spoolCorruptRecords torn or corrupt spool records skipped while draining
     * @param spoolPendingBytes   bytes in the spool the server has not accepted yet
     */
    public ClientMetrics(long logsSent, Map<DropReason, Long> dropped, long logsTruncated, long errors,
                         long retries, double avgLatencyMs, long circuitBreakerTrips,
                         int bufferedEntries, long bufferedBytes, long beforeSendErrors,
                         long logsSpooled, long logsDrained, long spoolCorruptRecords, long spoolPendingBytes) {
        this.logsSent = logsSent;
        EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
        long total = 0;
        for (DropReason r : DropReason.values()) {
            long n = dropped.getOrDefault(r, 0L);
            copy.put(r, n);
            total += n;
        }
        this.dropped = Collections.unmodifiableMap(copy);
        this.logsDropped = total;
        this.logsTruncated = logsTruncated;
        this.errors = errors;
        this.retries = retries;
        this.avgLatencyMs = avgLatencyMs;
        this.circuitBreakerTrips = circuitBreakerTrips;
        this.bufferedEntries = bufferedEntries;
        this.bufferedBytes = bufferedBytes;
        this.beforeSendErrors = beforeSendErrors;
        this.logsSpooled = logsSpooled;
        this.logsDrained = logsDrained;
        this.spoolCorruptRecords = spoolCorruptRecords;
        this.spoolPendingBytes = spoolPendingBytes;
    }

    /** @return entries the server acknowledged */
    public long logsSent() { return logsSent; }
    /** @return entries dropped for any reason */
    public long logsDropped() { return logsDropped; }
    /**
     * @param reason a reason
     * @return entries dropped for that reason
     */
    public long logsDropped(DropReason reason) { return dropped.get(reason); }
    /** @return drops per reason, every reason present */
    public Map<DropReason, Long> droppedByReason() { return dropped; }
    /** @return entries sent with their metadata replaced for exceeding {@code maxLogSize} */
    public long logsTruncated() { return logsTruncated; }
    /** @return failed requests (I/O errors and non-2xx answers) */
    public long errors() { return errors; }
    /** @return requests retried after a transient failure */
    public long retries() { return retries; }
    /** @return mean latency of the last 100 requests, in milliseconds */
    public double avgLatencyMs() { return avgLatencyMs; }
    /** @return how often the circuit breaker opened */
    public long circuitBreakerTrips() { return circuitBreakerTrips; }
    /** @return entries buffered now */
    public int bufferedEntries() { return bufferedEntries; }
    /** @return estimated bytes buffered now */
    public long bufferedBytes() { return bufferedBytes; }
    /** @return entries whose {@code beforeSend} hook threw; each was kept as logged */
    public long beforeSendErrors() { return beforeSendErrors; }
    /**
     * Entries this client took from its buffer and wrote to the spool ({@code spoolDir}) instead
     * of dropping them. For the entries logged through one client, whenever the sender holds no
     * batch (after {@code flush()} or {@code close()}; a batch being retried is in no figure):
     * {@code logged = logsSent + logsDropped - logsDrained + bufferedEntries + logsSpooled}.
     *
     * @return entries written to the spool; 0 without a spool
     */
    public long logsSpooled() { return logsSpooled; }
    /**
     * @return entries this client read back from the spool (written by it or by an earlier process)
     *     and sent or dropped; each is also counted in {@link #logsSent()} or {@link #logsDropped()}
     */
    public long logsDrained() { return logsDrained; }
    /**
     * @return spool records skipped while draining because they were torn (the process writing
     *     them died mid-write) or failed their checksum
     */
    public long spoolCorruptRecords() { return spoolCorruptRecords; }
    /** @return bytes in the spool, records and framing, the server has not accepted yet */
    public long spoolPendingBytes() { return spoolPendingBytes; }

    @Override
    public String toString() {
        return String.format("ClientMetrics{sent=%d, dropped=%d %s, truncated=%d, errors=%d, retries=%d, "
                        + "avgLatencyMs=%.1f, breakerTrips=%d, buffered=%d, beforeSendErrors=%d, spooled=%d, drained=%d, "
                        + "spoolCorrupt=%d, spoolPendingBytes=%d}",
                logsSent, logsDropped, dropped, logsTruncated, errors, retries, avgLatencyMs,
                circuitBreakerTrips, bufferedEntries, beforeSendErrors, logsSpooled, logsDrained,
                spoolCorruptRecords, spoolPendingBytes);
    }
}
