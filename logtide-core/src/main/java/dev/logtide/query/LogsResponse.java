package dev.logtide.query;

import java.util.List;
import java.util.Optional;

/** One page of a log search: the matches, newest first, and how to get the next page. */
public final class LogsResponse {
    private final List<LogRecord> logs;
    private final long total;
    private final int limit;
    private final int offset;
    private final String nextCursor;

    /**
     * @param logs       the page's logs (kept as given, not copied)
     * @param total      the server's count of the matches (after the cursor, if one was given), or {@code -1}
     * @param limit      the page size the server applied
     * @param offset     the offset the server applied
     * @param nextCursor the cursor of the next page, or {@code null} on the last page
     */
    public LogsResponse(List<LogRecord> logs, long total, int limit, int offset, String nextCursor) {
        this.logs = logs;
        this.total = total;
        this.limit = limit;
        this.offset = offset;
        this.nextCursor = nextCursor;
    }

    /** @return the page's logs, newest first; read-only */
    public List<LogRecord> logs() { return logs; }

    /**
     * @return how many logs match, an exact count by the server; on a page read with a cursor, how
     *     many match after that cursor (LogTide 0.5.0, seen); {@code -1} when the answer carried no count
     */
    public long total() { return total; }

    /** @return the page size the server applied */
    public int limit() { return limit; }

    /** @return the offset the server applied */
    public int offset() { return offset; }

    /**
     * @return the cursor of the next page (pass it to {@link QueryOptions.Builder#cursor(String)}),
     *     or empty on the last page
     */
    public Optional<String> nextCursor() { return Optional.ofNullable(nextCursor); }

    @Override
    public String toString() {
        return "LogsResponse{logs=" + logs.size() + ", total=" + total + ", limit=" + limit + ", offset=" + offset
                + ", nextCursor=" + nextCursor + "}";
    }
}
