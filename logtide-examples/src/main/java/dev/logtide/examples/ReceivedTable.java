package dev.logtide.examples;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Prints what the embedded endpoint receives as a compact, aligned table: time, level, service,
 * message, trace id, and either the exception (type, top frame, root cause) or the entry's own
 * fields. Entries from the {@code quietLogger} (the demo's burst) are only counted, and
 * summarised on request, so a few thousand events do not scroll everything else away.
 */
final class ReceivedTable implements Consumer<List<JsonNode>> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** No output line is wider than this: the demo is read in an ordinary terminal. */
    static final int WIDTH = 100;
    private static final String FORMAT = "%-12s  %-5s  %-12s  %-21s  %-10s  %s";
    /** Where a last column too wide for its row continues, under the level. */
    private static final String CONTINUATION = " ".repeat(14);
    /**
     * Metadata every adapter adds, and the MDC keys the trace id column already shows: not what
     * the application said, so not shown as fields.
     */
    private static final Set<String> PLUMBING = new HashSet<>(Arrays.asList(
            "logger", "thread", "threadId", "sequence", "sourceClass", "sourceMethod", "sdk", "exception",
            "trace_id", "traceId", "span_id", "spanId"));

    private final PrintStream out;
    private final String quietLogger;
    private final Map<String, int[]> quiet = new LinkedHashMap<>();

    /**
     * @param out         where rows go
     * @param quietLogger entries whose {@code metadata.logger} is this are counted, not printed
     */
    ReceivedTable(PrintStream out, String quietLogger) {
        this.out = out;
        this.quietLogger = quietLogger;
    }

    /** Prints the header line. */
    synchronized void printHeader() {
        line("TIME (UTC)", "LEVEL", "SERVICE", "MESSAGE", "TRACE ID", "EXCEPTION / FIELDS");
    }

    @Override
    public synchronized void accept(List<JsonNode> entries) {
        for (JsonNode entry : entries) {
            if (quietLogger.equals(entry.path("metadata").path("logger").asText(null))) {
                quiet.computeIfAbsent(entry.path("service").asText(), s -> new int[1])[0]++;
            } else {
                printRow(entry);
            }
        }
        out.flush();
    }

    /**
     * Prints one line for the quiet entries of a service received so far, and forgets them.
     *
     * @param service the service
     * @param what    what those entries were, e.g. {@code "burst"}
     */
    synchronized void printSummary(String service, String what) {
        int[] count = quiet.remove(service);
        line("", "", shorten(service, 12), "(" + (count == null ? 0 : count[0]) + " " + what
                + " entries received, rows not shown)", "", "");
        out.flush();
    }

    private void printRow(JsonNode e) {
        JsonNode metadata = e.path("metadata");
        line(clock(e.path("time").asText()),
                e.path("level").asText(),
                shorten(e.path("service").asText(), 12),
                shorten(firstLine(e.path("message").asText()), 21),
                shorten(e.path("trace_id").asText(""), 10),
                metadata.has("exception") ? exception(metadata.get("exception")) : fields(metadata));
    }

    /**
     * One row; a last column that would make it wider than {@link #WIDTH} goes on the lines below,
     * indented, broken after a comma where it can, else after a space.
     */
    private void line(Object... columns) {
        String row = String.format(FORMAT, columns).stripTrailing();
        if (row.length() <= WIDTH) {
            out.println(row);
            return;
        }
        String last = String.valueOf(columns[columns.length - 1]);
        columns[columns.length - 1] = "";
        out.println(String.format(FORMAT, columns).stripTrailing());
        String rest = last;
        int room = WIDTH - CONTINUATION.length();
        while (rest.length() > room) {
            int cut = rest.lastIndexOf(", ", room - 1) + 1;
            if (cut <= 0) {
                cut = rest.lastIndexOf(' ', room);
            }
            if (cut <= 0) {
                cut = room;
            }
            out.println(CONTINUATION + rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        out.println(CONTINUATION + rest);
    }

    /** {@code IllegalStateException at Checkout.charge(Checkout.java:31), root cause SocketTimeoutException}. */
    private static String exception(JsonNode ex) {
        StringBuilder s = new StringBuilder(simpleName(ex.path("type").asText()));
        JsonNode top = ex.path("stacktrace").path(0);
        if (!top.isMissingNode()) {
            s.append(" at ").append(simpleName(top.path("function").asText(), 2))
                    .append('(').append(top.path("file").asText("?")).append(':').append(top.path("line").asText("?"))
                    .append(')');
        }
        JsonNode root = ex;
        while (root.has("cause")) {
            root = root.get("cause");
        }
        if (root != ex) {
            s.append(", root cause ").append(simpleName(root.path("type").asText()));
        }
        return s.toString();
    }

    private static String fields(JsonNode metadata) {
        StringBuilder s = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!PLUMBING.contains(field.getKey())) {
                s.append(s.length() == 0 ? "" : " ").append(field.getKey()).append('=').append(field.getValue());
            }
        }
        return s.toString();
    }

    private static String clock(String isoTime) {
        try {
            return CLOCK.format(Instant.parse(isoTime));
        } catch (DateTimeParseException e) {
            return shorten(isoTime, 12);
        }
    }

    private static String simpleName(String qualified) {
        return simpleName(qualified, 1);
    }

    /** The last {@code parts} dot-separated parts: {@code pkg.Class.method} with 2 is {@code Class.method}. */
    private static String simpleName(String qualified, int parts) {
        int cut = qualified.length();
        for (int i = 0; i < parts && cut > 0; i++) {
            cut = qualified.lastIndexOf('.', cut - 1);
        }
        return cut < 0 ? qualified : qualified.substring(cut + 1);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }
}
