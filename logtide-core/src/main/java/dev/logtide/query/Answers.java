package dev.logtide.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logtide.LogLevel;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the server's JSON answers into typed values. Every shape check names the field it
 * failed on, so a malformed answer gives a clear error instead of a null somewhere later.
 */
final class Answers {
    /** Thread-safe once configured; shared because building one is costly. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Millisecond precision: the server stores milliseconds, and its date-time check wants a plain UTC form. */
    private static final DateTimeFormatter WIRE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Answers() {
    }

    /** An answer that is JSON but not of the promised shape. */
    static final class MalformedAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedAnswer(String message) {
            super(message, null, false, false);
        }
    }

    /** @return the instant as the server's query parameters take it */
    static String formatInstant(Instant instant) {
        return WIRE_TIME.format(instant);
    }

    /** {@code {"logs":[...],"total":N,"limit":L,"offset":O,"nextCursor":"..."}} */
    static LogsResponse logsResponse(JsonNode root) {
        requireObject(root, "the answer");
        List<LogRecord> logs = records(root.get("logs"), "logs");
        long total = root.hasNonNull("total") ? count(root.get("total"), "total") : -1;
        int limit = root.hasNonNull("limit") ? (int) count(root.get("limit"), "limit") : logs.size();
        int offset = root.hasNonNull("offset") ? (int) count(root.get("offset"), "offset") : 0;
        String nextCursor = optionalText(root, "nextCursor", "nextCursor");
        return new LogsResponse(logs, total, limit, offset, nextCursor);
    }

    /** {@code {"logs":[...]}}, the trace route's answer. */
    static List<LogRecord> logList(JsonNode root) {
        requireObject(root, "the answer");
        return records(root.get("logs"), "logs");
    }

    /** {@code {"log":{...}}}, the single-log route's answer. */
    static LogRecord singleLog(JsonNode root) {
        requireObject(root, "the answer");
        return record(root.get("log"), "log");
    }

    /** {@code {"timeseries":[{"bucket":"...","total":N,"by_level":{"info":N,...}}, ...]}} */
    static AggregatedStats stats(JsonNode root) {
        requireObject(root, "the answer");
        JsonNode series = root.get("timeseries");
        if (series == null || !series.isArray()) {
            throw new MalformedAnswer("timeseries is missing or not an array");
        }
        List<StatsBucket> buckets = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) {
            String path = "timeseries[" + i + "]";
            JsonNode b = series.get(i);
            requireObject(b, path);
            Map<LogLevel, Long> byLevel = new EnumMap<>(LogLevel.class);
            JsonNode levels = b.get("by_level");
            if (levels != null && !levels.isNull()) {
                requireObject(levels, path + ".by_level");
                for (Map.Entry<String, JsonNode> e : levels.properties()) {
                    String levelPath = path + ".by_level." + e.getKey();
                    byLevel.merge(level(e.getKey(), levelPath), count(e.getValue(), levelPath), Long::sum);
                }
            }
            buckets.add(new StatsBucket(instant(b.get("bucket"), path + ".bucket"),
                    count(b.get("total"), path + ".total"), Collections.unmodifiableMap(byLevel)));
        }
        return new AggregatedStats(Collections.unmodifiableList(buckets));
    }

    /** One log as in query answers and live-tail events. */
    static LogRecord record(JsonNode n, String path) {
        requireObject(n, path);
        JsonNode metadata = n.get("metadata");
        Map<String, Object> meta = null;
        if (metadata != null && !metadata.isNull()) {
            requireObject(metadata, path + ".metadata");
            meta = objectToMap(metadata);
        }
        return new LogRecord(
                requiredText(n, "id", path),
                instant(n.get("time"), path + ".time"),
                requiredText(n, "service", path),
                level(requiredText(n, "level", path), path + ".level"),
                requiredText(n, "message", path),
                meta,
                optionalText(n, "traceId", path + ".traceId"),
                optionalText(n, "projectId", path + ".projectId"));
    }

    private static List<LogRecord> records(JsonNode logs, String path) {
        if (logs == null || !logs.isArray()) {
            throw new MalformedAnswer(path + " is missing or not an array");
        }
        List<LogRecord> out = new ArrayList<>(logs.size());
        for (int i = 0; i < logs.size(); i++) {
            out.add(record(logs.get(i), path + "[" + i + "]"));
        }
        return Collections.unmodifiableList(out);
    }

    static Instant instant(JsonNode n, String path) {
        if (n == null || !n.isTextual()) {
            throw new MalformedAnswer(path + " is missing or not a date-time string");
        }
        String text = n.asText();
        try {
            // Instant.parse takes only "Z" on Java 11; a server behind another serializer may send an offset.
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedAnswer(path + " is not an ISO-8601 date-time: " + quote(text));
        }
    }

    private static LogLevel level(String name, String path) {
        try {
            return LogLevel.fromWireName(name);
        } catch (IllegalArgumentException e) {
            throw new MalformedAnswer(path + " is not a LogTide level: " + quote(name));
        }
    }

    /** A count; PostgreSQL's bigint counts may arrive as numeric strings. */
    private static long count(JsonNode n, String path) {
        if (n != null && n.canConvertToExactIntegral() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n != null && n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException ignored) {
                // Falls through to the error below.
            }
        }
        throw new MalformedAnswer(path + " is missing or not a whole number" + (n == null ? "" : ": " + n));
    }

    private static String requiredText(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new MalformedAnswer(path + "." + field + " is missing or not a string");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedAnswer(path + " is not a string");
        }
        return v.asText();
    }

    private static void requireObject(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new MalformedAnswer(path + " is missing or not a JSON object");
        }
    }

    private static Map<String, Object> objectToMap(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            map.put(e.getKey(), toJava(e.getValue()));
        }
        return Collections.unmodifiableMap(map);
    }

    private static Object toJava(JsonNode n) {
        if (n.isObject()) {
            return objectToMap(n);
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            for (JsonNode item : n) {
                list.add(toJava(item));
            }
            return Collections.unmodifiableList(list);
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isNumber()) {
            return n.numberValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        return null;
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "\"" + shown + "\"";
    }
}
