package dev.logtide.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's rules file and the docs' statement of the same rules agree. */
class ServerRulesDocTest {
    private static JsonNode rules;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ServerRulesDocTest.class.getResourceAsStream("/server-rules/ingest.json")) {
            assertNotNull(in, "server-rules/ingest.json is on the class path");
            rules = new ObjectMapper().readTree(in);
        }
    }

    private static String doc(String name) throws IOException {
        return new String(Files.readAllBytes(Paths.get(System.getProperty("basedir", "."), "..", "docs", name)),
                StandardCharsets.UTF_8);
    }

    private static void assertStates(String doc, String name, String claim) {
        assertTrue(doc.contains(claim), "docs/" + name + " states: " + claim);
    }

    @Test
    void entriesPerRequest() throws IOException {
        int max = rules.path("entries").path("max").intValue();
        assertStates(doc("configuration.md"), "configuration.md",
                "Entries per request (" + rules.path("entries").path("min").intValue() + " to " + max + ")");
        assertStates(doc("architecture.md"), "architecture.md", "at most " + max + "\n   entries (the server's limit)");
    }

    @Test
    void serviceLength() throws IOException {
        int max = rules.path("service").path("maxLength").intValue();
        assertStates(doc("configuration.md"), "configuration.md", "Trimmed to " + max + " characters");
        assertStates(doc("architecture.md"), "architecture.md", "service trimmed to " + max + " characters");
        assertStates(rules.path("service").path("lengthCountedIn").textValue(), "the rules' service", "UTF-16");
    }

    @Test
    void bodyLimit() throws IOException {
        long bytes = rules.path("bodyLimitBytes").longValue();
        assertTrue(bytes % (1024 * 1024) == 0, "the body limit is whole MiB: " + bytes);
        assertStates(doc("configuration.md"), "configuration.md",
                "refuses a request body over " + bytes / (1024 * 1024) + " MiB with a 413");
    }

    @Test
    void spanIdAndTime() throws IOException {
        Matcher width = Pattern.compile("\\{(\\d+)}$").matcher(rules.path("spanId").path("pattern").textValue());
        assertTrue(width.find(), "the span id pattern ends in a width");
        String spanClaim = "when it is " + width.group(1) + " hex characters";
        assertStates(doc("configuration.md"), "configuration.md", spanClaim);
        assertStates(doc("architecture.md"), "architecture.md", spanClaim);
        assertTrue(rules.path("time").path("pattern").textValue().endsWith("Z"), "times end in Z");
        assertStates(doc("architecture.md"), "architecture.md", "time as UTC ISO-8601 with `Z`");
    }

    @Test
    void serverVersion() throws IOException {
        String version = rules.path("serverVersion").textValue();
        assertStates(doc("compatibility.md"), "compatibility.md", "follows " + version + "'s rules");
        assertStates(rules.path("source").textValue(), "the rules' source note", "LogTide server " + version);
    }
}
