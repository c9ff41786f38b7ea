package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapter options, through options.xml: two LogTide appenders in one context, each with its
 * own service, one with everything optional switched off and a layout, one with an MDC allow-list,
 * caller data and an encoder.
 */
class AdapterOptionsTest {
    private IngestServer server;
    private LoggerContext ctx;
    private final Logger log = LoggerFactory.getLogger("app.Orders");

    @BeforeEach
    void setUp() throws Exception {
        server = new IngestServer();
        ctx = LogbackTestSupport.configure("options.xml", server.url());
    }

    @AfterEach
    void tearDown() {
        MDC.clear();
        LogbackTestSupport.reset();
        server.close();
    }

    private void logOneOfEach() {
        MDC.put("user", "ada");
        MDC.put("tenant", "acme");
        MDC.put("secret-ish", "not selected");
        MDC.put("x-trace", "custom-trace");
        MDC.put("x-span", "00f067aa0ba902b7");
        MDC.put("trace_id", "default-key-trace");
        log.atInfo().addMarker(MarkerFactory.getMarker("AUDIT")).addKeyValue("amount", 5).log("paid");
        MDC.clear();
        LogbackTestSupport.flush(ctx, "LEAN");
        LogbackTestSupport.flush(ctx, "SELECTED");
    }

    private JsonNode entryOf(String service) {
        List<JsonNode> entries = server.entries().stream()
                .filter(e -> service.equals(e.get("service").asText()))
                .collect(Collectors.toList());
        assertEquals(1, entries.size(), server.entries().toString());
        return entries.get(0);
    }

    @Test
    void eachAppenderSendsItsOwnEntry() {
        logOneOfEach();

        assertEquals(2, server.entries().size(), server.entries().toString());
        entryOf("lean");
        entryOf("selected");
    }

    @Test
    void switchedOffOptionsLeaveOutMdcKeyValuesAndMarkersAndLayoutFormatsTheMessage() {
        logOneOfEach();

        JsonNode lean = entryOf("lean");
        assertEquals("[INFO] Orders - paid", lean.get("message").asText());
        JsonNode metadata = lean.get("metadata");
        assertFalse(metadata.has("user"), metadata.toString());
        assertFalse(metadata.has("amount"), metadata.toString());
        assertFalse(metadata.has("markers"), metadata.toString());
        assertFalse(metadata.has("caller"), metadata.toString());
        assertEquals("app.Orders", metadata.get("logger").asText());
        // Configured MDC keys replace the defaults: trace_id is not looked at any more; the first
        // key present wins ("not-set" is not in the MDC).
        assertEquals("custom-trace", lean.get("trace_id").asText());
        assertEquals("00f067aa0ba902b7", lean.get("span_id").asText());
    }

    @Test
    void mdcAllowListCallerDataAndEncoder() {
        logOneOfEach();

        JsonNode selected = entryOf("selected");
        assertEquals("paid from ada", selected.get("message").asText());
        JsonNode metadata = selected.get("metadata");
        assertEquals("ada", metadata.get("user").asText());
        assertEquals("acme", metadata.get("tenant").asText());
        assertFalse(metadata.has("secret-ish"), metadata.toString());
        assertFalse(metadata.has("x-trace"), metadata.toString());
        assertEquals(5, metadata.get("amount").asInt());
        assertEquals("[\"AUDIT\"]", metadata.get("markers").toString());
        assertEquals("default-key-trace", selected.get("trace_id").asText());

        JsonNode caller = metadata.get("caller");
        assertEquals(AdapterOptionsTest.class.getName(), caller.get("class").asText());
        assertEquals("logOneOfEach", caller.get("method").asText());
        assertEquals("AdapterOptionsTest.java", caller.get("file").asText());
        assertTrue(caller.get("line").asInt() > 0);
    }

    @Test
    void theFormerKeyElementsStillWorkAndWarnThatTheyAreDeprecated() throws Exception {
        LogbackTestSupport.reset();
        ctx = LogbackTestSupport.configure("deprecated-keys.xml", server.url());
        MDC.put("x-trace", "legacy-trace");
        MDC.put("x-span", "00f067aa0ba902b7");
        MDC.put("trace_id", "default-key-trace");
        log.info("legacy keys");
        MDC.clear();
        LogbackTestSupport.flush(ctx, "LOGTIDE");

        JsonNode entry = server.entryWithMessage("legacy keys");
        assertEquals("legacy-trace", entry.get("trace_id").asText());
        assertEquals("00f067aa0ba902b7", entry.get("span_id").asText());
        List<String> warnings = LogbackTestSupport.statuses(ctx, Status.WARN);
        assertTrue(warnings.contains("LogTide appender [LOGTIDE]: <traceIdMdcKey> is deprecated, use <traceIdKey> "
                + "(a comma-separated list of MDC keys, first present wins)"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("<spanIdMdcKey> is deprecated, use <spanIdKey>")),
                warnings.toString());
    }
}
