package dev.logtide.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The LogTide server's rules for an ingest body (as enforced by server v0.5.x), so that the
 * embedded endpoint refuses exactly what a LogTide server refuses. One invalid entry rejects
 * the whole batch, as on the server.
 */
final class IngestValidation {
    /** Most entries in one request. */
    static final int MAX_ENTRIES = 1000;
    /** Longest service name (the server's VARCHAR(100), counted like JavaScript counts). */
    static final int MAX_SERVICE_LENGTH = 100;

    private static final Set<String> LEVELS = new HashSet<>(Arrays.asList("debug", "info", "warn", "error", "critical"));
    /** UTC with an upper-case Z; the fraction is optional and may have any number of digits. */
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");

    private IngestValidation() {
    }

    /**
     * @param body the parsed request body
     * @return the problems, keyed by path ({@code logs.3.level}); empty when the batch is valid
     */
    static ObjectNode validate(JsonNode body) {
        ObjectNode problems = JsonNodeFactory.instance.objectNode();
        JsonNode logs = body == null ? null : body.get("logs");
        if (logs == null || !logs.isArray()) {
            problems.put("logs", "Required: an array of log entries");
            return problems;
        }
        if (logs.size() < 1 || logs.size() > MAX_ENTRIES) {
            problems.put("logs", "Must contain 1 to " + MAX_ENTRIES + " entries, got " + logs.size());
            return problems;
        }
        for (int i = 0; i < logs.size(); i++) {
            validateEntry(logs.get(i), "logs." + i, problems);
        }
        return problems;
    }

    private static void validateEntry(JsonNode entry, String path, ObjectNode problems) {
        if (!entry.isObject()) {
            problems.put(path, "Expected an object");
            return;
        }
        JsonNode time = entry.get("time");
        if (time == null || !time.isTextual() || !isUtcTime(time.textValue())) {
            problems.put(path + ".time", "Expected an ISO-8601 date-time in UTC ending in Z, got " + time);
        }
        JsonNode service = entry.get("service");
        if (service == null || !service.isTextual()
                || service.textValue().isEmpty() || service.textValue().length() > MAX_SERVICE_LENGTH) {
            problems.put(path + ".service", "Expected a string of 1 to " + MAX_SERVICE_LENGTH + " characters");
        }
        JsonNode level = entry.get("level");
        if (level == null || !level.isTextual() || !LEVELS.contains(level.textValue())) {
            problems.put(path + ".level", "Expected one of debug, info, warn, error, critical, got " + level);
        }
        JsonNode message = entry.get("message");
        if (message == null || !message.isTextual() || message.textValue().isEmpty()) {
            problems.put(path + ".message", "Expected a string of at least 1 character");
        }
        JsonNode metadata = entry.get("metadata");
        if (metadata != null && !metadata.isObject()) {
            problems.put(path + ".metadata", "Expected an object, got " + metadata.getNodeType());
        }
        JsonNode traceId = entry.get("trace_id");
        if (traceId != null && !traceId.isTextual()) {
            problems.put(path + ".trace_id", "Expected a string, got " + traceId.getNodeType());
        }
        JsonNode spanId = entry.get("span_id");
        if (spanId != null && (!spanId.isTextual() || !SPAN_ID.matcher(spanId.textValue()).matches())) {
            problems.put(path + ".span_id", "Expected 16 hex characters, got " + spanId);
        }
    }

    private static boolean isUtcTime(String text) {
        if (!TIME.matcher(text).matches()) {
            return false;
        }
        try {
            LocalDateTime.parse(text.substring(0, 19)); // a real calendar date and time of day
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * What PostgreSQL cannot store: a NUL character anywhere, or a lone UTF-16 surrogate in the
     * JSONB metadata. The server accepts such a batch and then fails inside the database.
     *
     * @param logs a valid batch's entries
     * @return the database's complaint, or {@code null} when every string can be stored
     */
    static String unstorable(JsonNode logs) {
        for (JsonNode entry : logs) {
            String problem = unstorableIn(entry);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String unstorableIn(JsonNode node) {
        if (node.isTextual()) {
            return unstorableText(node.textValue());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String problem = unstorableText(field.getKey());
                if (problem == null) {
                    problem = unstorableIn(field.getValue());
                }
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                String problem = unstorableIn(element);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String unstorableText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                return "invalid byte sequence for encoding \"UTF8\": 0x00";
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "unsupported Unicode escape sequence";
            }
        }
        return null;
    }
}
