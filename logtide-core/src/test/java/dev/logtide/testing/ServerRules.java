package dev.logtide.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ingest validation the LogTide server applies, so tests can assert that every entry the SDK
 * sends would be accepted. The rules are data in {@code server-rules/ingest.json} at the
 * repository's root (on the test class path); this class holds only the logic.
 */
public final class ServerRules {
    private static final String RESOURCE = "/server-rules/ingest.json";

    private static final JsonNode RULES = load();
    private static final Set<String> LEVELS = new HashSet<>();
    private static final Pattern TIME = Pattern.compile(RULES.path("time").path("pattern").textValue());
    private static final Pattern SPAN = Pattern.compile(RULES.path("spanId").path("pattern").textValue());
    private static final int SERVICE_MIN = RULES.path("service").path("minLength").intValue();
    private static final int SERVICE_MAX = RULES.path("service").path("maxLength").intValue();
    private static final int MESSAGE_MIN = RULES.path("message").path("minLength").intValue();
    private static final int UNSTORABLE_STATUS = RULES.path("unstorable").path("status").intValue();

    static {
        RULES.path("levels").forEach(level -> LEVELS.add(level.textValue()));
    }

    private ServerRules() {
    }

    private static JsonNode load() {
        try (InputStream in = ServerRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        // String.length() counts UTF-16 units, as the server (JavaScript) does.
        if (service == null || !service.isTextual()
                || service.asText().length() < SERVICE_MIN || service.asText().length() > SERVICE_MAX) {
            return "service must be " + SERVICE_MIN + ".." + SERVICE_MAX + " characters: " + service;
        }
        JsonNode level = entry.get("level");
        if (level == null || !LEVELS.contains(level.asText())) {
            return "level must be one of " + LEVELS + ": " + level;
        }
        JsonNode message = entry.get("message");
        if (message == null || !message.isTextual() || message.asText().length() < MESSAGE_MIN) {
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
            return "contains a NUL character (PostgreSQL answers " + UNSTORABLE_STATUS + ")";
        }
        return null;
    }
}
