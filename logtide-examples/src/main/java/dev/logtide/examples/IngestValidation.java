package dev.logtide.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The LogTide server's rules for an ingest body, so that the embedded endpoint refuses exactly
 * what a LogTide server refuses. One invalid entry rejects the whole batch, as on the server. The
 * rules are data in {@code server-rules/ingest.json} at the repository's root (on the class path,
 * shared with the SDK's tests); this class holds only the logic.
 */
final class IngestValidation {
    private static final String RESOURCE = "/server-rules/ingest.json";
    private static final JsonNode RULES = load();

    /** Fewest entries in one request. */
    static final int MIN_ENTRIES = RULES.path("entries").path("min").intValue();
    /** Most entries in one request. */
    static final int MAX_ENTRIES = RULES.path("entries").path("max").intValue();
    /** The server's body limit on the ingest route, in bytes. */
    static final long MAX_BODY_BYTES = RULES.path("bodyLimitBytes").longValue();
    private static final int MIN_SERVICE_LENGTH = RULES.path("service").path("minLength").intValue();
    /** Longest service name, counted like JavaScript counts (UTF-16 units, as String.length()). */
    static final int MAX_SERVICE_LENGTH = RULES.path("service").path("maxLength").intValue();
    private static final int MIN_MESSAGE_LENGTH = RULES.path("message").path("minLength").intValue();

    private static final List<String> LEVELS = new ArrayList<>();
    private static final Pattern TIME = Pattern.compile(RULES.path("time").path("pattern").textValue());
    private static final Pattern SPAN_ID = Pattern.compile(RULES.path("spanId").path("pattern").textValue());
    /** The status and the database's words when PostgreSQL cannot store a string. */
    static final int UNSTORABLE_STATUS = RULES.path("unstorable").path("status").intValue();
    private static final String NUL_ERROR = RULES.path("unstorable").path("nul").path("error").textValue();
    private static final String LONE_SURROGATE_ERROR =
            RULES.path("unstorable").path("loneSurrogate").path("error").textValue();

    static {
        RULES.path("levels").forEach(level -> LEVELS.add(level.textValue()));
    }

    private IngestValidation() {
    }

    private static JsonNode load() {
        try (InputStream in = IngestValidation.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        if (logs.size() < MIN_ENTRIES || logs.size() > MAX_ENTRIES) {
            problems.put("logs", "Must contain " + MIN_ENTRIES + " to " + MAX_ENTRIES + " entries, got " + logs.size());
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
                || service.textValue().length() < MIN_SERVICE_LENGTH
                || service.textValue().length() > MAX_SERVICE_LENGTH) {
            problems.put(path + ".service",
                    "Expected a string of " + MIN_SERVICE_LENGTH + " to " + MAX_SERVICE_LENGTH + " characters");
        }
        JsonNode level = entry.get("level");
        if (level == null || !level.isTextual() || !LEVELS.contains(level.textValue())) {
            problems.put(path + ".level", "Expected one of " + String.join(", ", LEVELS) + ", got " + level);
        }
        JsonNode message = entry.get("message");
        if (message == null || !message.isTextual() || message.textValue().length() < MIN_MESSAGE_LENGTH) {
            problems.put(path + ".message", "Expected a string of at least " + MIN_MESSAGE_LENGTH + " character");
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
                return NUL_ERROR;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return LONE_SURROGATE_ERROR;
            }
        }
        return null;
    }
}
