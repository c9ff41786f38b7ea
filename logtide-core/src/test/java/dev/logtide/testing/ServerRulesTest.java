package dev.logtide.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** ServerRules applies the rules file: the edges it accepts and the words it refuses with. */
class ServerRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode entry() {
        return JSON.createObjectNode().put("time", "2025-01-01T10:00:00.123456Z").put("service", "s".repeat(100))
                .put("level", "critical").put("message", "m").put("span_id", "00F067aa0ba902b7");
    }

    @Test
    void acceptsTheEdges() {
        assertNull(ServerRules.violation(entry()));
        // A character outside the BMP is two UTF-16 units, as the server counts it.
        assertEquals("service must be 1..100 characters: \"" + "s".repeat(99) + "\uD83D\uDE00\"",
                ServerRules.violation(entry().put("service", "s".repeat(99) + "\uD83D\uDE00")));
    }

    @Test
    void refusesInTheSameWords() {
        assertEquals("service must be 1..100 characters: \"\"", ServerRules.violation(entry().put("service", "")));
        assertEquals("level must be one of [warn, debug, critical, error, info]: \"fatal\"",
                ServerRules.violation(entry().put("level", "fatal")));
        assertEquals("message must be a non-empty string: \"\"", ServerRules.violation(entry().put("message", "")));
        assertEquals("span_id must be 16 hex characters: \"abc\"", ServerRules.violation(entry().put("span_id", "abc")));
        assertEquals("time must be ISO-8601 UTC with Z: \"2025-01-01T10:00:00+00:00\"",
                ServerRules.violation(entry().put("time", "2025-01-01T10:00:00+00:00")));
        assertEquals("contains a NUL character (PostgreSQL answers 500)",
                ServerRules.violation(entry().put("message", "a\u0000b")));
    }
}
