package dev.logtide.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ingest validation the LogTide server applies (see shared/logtide-server-api.md), so tests
 * can assert that every entry the SDK sends would be accepted.
 */
public final class ServerRules {
    private static final Set<String> LEVELS = new HashSet<>(Arrays.asList("debug", "info", "warn", "error", "critical"));
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Pattern SPAN = Pattern.compile("[0-9a-fA-F]{16}");

    private ServerRules() {
    }

    /**
     * @param entry one element of {@code logs}
     * @return why the server would reject it, or {@code null} when it is valid
     */
    public static String violation(JsonNode entry) {
        if (!entry.isObject()) {
            return "entry is not an object";
        }
        JsonNode time = entry.get("time");
        if (time == null || !time.isTextual() || !TIME.matcher(time.asText()).matches()) {
            return "time must be ISO-8601 UTC with Z: " + time;
        }
        JsonNode service = entry.get("service");
        if (service == null || !service.isTextual() || service.asText().isEmpty() || service.asText().length() > 100) {
            return "service must be 1..100 characters: " + service;
        }
        JsonNode level = entry.get("level");
        if (level == null || !LEVELS.contains(level.asText())) {
            return "level must be one of " + LEVELS + ": " + level;
        }
        JsonNode message = entry.get("message");
        if (message == null || !message.isTextual() || message.asText().isEmpty()) {
            return "message must be a non-empty string: " + message;
        }
        JsonNode metadata = entry.get("metadata");
        if (metadata != null && !metadata.isObject()) {
            return "metadata must be an object: " + metadata;
        }
        JsonNode span = entry.get("span_id");
        if (span != null && !(span.isTextual() && SPAN.matcher(span.asText()).matches())) {
            return "span_id must be 16 hex characters: " + span;
        }
        JsonNode trace = entry.get("trace_id");
        if (trace != null && !trace.isTextual()) {
            return "trace_id must be a string: " + trace;
        }
        String text = entry.toString();
        if (text.contains("\\u0000")) {
            return "contains a NUL character (PostgreSQL answers 500)";
        }
        return null;
    }
}
