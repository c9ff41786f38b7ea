package dev.logtide.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded endpoint refuses what a LogTide server refuses, over real HTTP on loopback, and
 * accepts (and hands over) what the server stores.
 */
class IngestEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "lp_test_key";

    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private IngestEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = IngestEndpoint.start(KEY, delivered::addAll);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void acceptsAValidBatchAndHandsItsEntriesOver() throws Exception {
        ObjectNode second = entry();
        second.put("message", "second").put("trace_id", "any string at all").put("span_id", "00f067aa0ba902b7");
        second.put("time", "2025-01-31T23:59:59Z"); // no fraction
        HttpResponse<String> response = post(batch(entry(), second));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(2, answer.get("received").asInt());
        assertTrue(answer.get("timestamp").asText().endsWith("Z"));
        assertEquals(2, endpoint.received());
        assertEquals(2, delivered.size());
        assertEquals("second", delivered.get(1).get("message").asText());
        assertEquals(1, endpoint.requests());
        assertEquals(0, endpoint.rejectedRequests());
    }

    @Test
    void acceptsTheEdgesOfEveryRule() throws Exception {
        ObjectNode e = entry();
        e.put("service", "s".repeat(100));
        e.put("time", "2025-06-01T12:00:00.123456789123Z"); // any number of fraction digits
        e.put("message", " ");
        e.put("span_id", "ABCDEF0123456789");
        e.put("extra", "top-level fields are dropped, not refused");
        e.remove("metadata");
        ArrayNode logs = JSON.createArrayNode();
        for (int i = 0; i < IngestValidation.MAX_ENTRIES; i++) {
            logs.add(e);
        }
        HttpResponse<String> response = post(JSON.createObjectNode().set("logs", logs));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(IngestValidation.MAX_ENTRIES, endpoint.received());
    }

    @Test
    void requiresTheApiKey() throws Exception {
        HttpResponse<String> missing = send(request().POST(body(batch(entry())))
                .header("Content-Type", "application/json"));
        HttpResponse<String> wrong = send(request().POST(body(batch(entry())))
                .header("Content-Type", "application/json").header("X-API-Key", "lp_wrong"));

        assertEquals(401, missing.statusCode());
        assertEquals("Missing X-API-Key header or Authorization token", JSON.readTree(missing.body()).get("message").asText());
        assertEquals(401, wrong.statusCode());
        assertEquals("Invalid API key", JSON.readTree(wrong.body()).get("message").asText());
        assertEquals(0, endpoint.received());
        assertEquals(2, endpoint.rejectedRequests());
    }

    static Stream<Arguments> invalidEntries() {
        return Stream.of(
                invalid("time with an offset", "time", e -> e.put("time", "2025-01-01T10:00:00+01:00")),
                invalid("time with +00:00", "time", e -> e.put("time", "2025-01-01T10:00:00+00:00")),
                invalid("time with a lower-case z", "time", e -> e.put("time", "2025-01-01T10:00:00.000z")),
                invalid("time with a space", "time", e -> e.put("time", "2025-01-01 10:00:00.000Z")),
                invalid("time as epoch millis", "time", e -> e.put("time", 1735725600000L)),
                invalid("time that is no date", "time", e -> e.put("time", "2025-13-01T10:00:00Z")),
                invalid("no time", "time", e -> e.remove("time")),
                invalid("level fatal", "level", e -> e.put("level", "fatal")),
                invalid("level WARN", "level", e -> e.put("level", "WARN")),
                invalid("level warning", "level", e -> e.put("level", "warning")),
                invalid("level trace", "level", e -> e.put("level", "trace")),
                invalid("empty message", "message", e -> e.put("message", "")),
                invalid("no message", "message", e -> e.remove("message")),
                invalid("empty service", "service", e -> e.put("service", "")),
                invalid("101-character service", "service", e -> e.put("service", "s".repeat(101))),
                invalid("metadata array", "metadata", e -> e.putArray("metadata")),
                invalid("metadata null", "metadata", e -> e.putNull("metadata")),
                invalid("short span_id", "span_id", e -> e.put("span_id", "abc")),
                invalid("17-character span_id", "span_id", e -> e.put("span_id", "00f067aa0ba902b70")),
                invalid("non-hex span_id", "span_id", e -> e.put("span_id", "00f067aa0ba902bz")),
                invalid("numeric trace_id", "trace_id", e -> e.put("trace_id", 42)));
    }

    private static Arguments invalid(String name, String field, Consumer<ObjectNode> breakIt) {
        return Arguments.of(name, field, breakIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEntries")
    void oneInvalidEntryRejectsTheWholeBatch(String name, String field, Consumer<ObjectNode> breakIt) throws Exception {
        ObjectNode bad = entry();
        breakIt.accept(bad);
        HttpResponse<String> response = post(batch(entry(), bad, entry()));

        assertEquals(400, response.statusCode(), name);
        JsonNode answer = JSON.readTree(response.body());
        assertEquals("Validation error", answer.get("error").asText());
        assertTrue(answer.get("details").has("logs.1." + field), answer.toString());
        assertEquals(0, endpoint.received(), "nothing of a rejected batch is stored");
        assertTrue(delivered.isEmpty());
    }

    @Test
    void refusesEmptyAndOversizedBatches() throws Exception {
        ArrayNode tooMany = JSON.createArrayNode();
        for (int i = 0; i <= IngestValidation.MAX_ENTRIES; i++) {
            tooMany.add(entry());
        }
        HttpResponse<String> empty = post(batch());
        HttpResponse<String> over = post(JSON.createObjectNode().set("logs", tooMany));
        HttpResponse<String> noLogs = post(JSON.createObjectNode().put("entries", 1));

        for (HttpResponse<String> r : List.of(empty, over, noLogs)) {
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("Validation error", JSON.readTree(r.body()).get("error").asText());
        }
        assertEquals(0, endpoint.received());
    }

    @Test
    void answersInTheSameWordsWhateverReadsTheRules() throws Exception {
        ObjectNode bad = entry();
        bad.put("service", "").put("level", "fatal").put("message", "");
        JsonNode details = JSON.readTree(post(batch(bad)).body()).get("details");
        JsonNode empty = JSON.readTree(post(batch()).body()).get("details");
        ObjectNode nul = entry();
        nul.put("message", "\u0000");
        JsonNode nulAnswer = JSON.readTree(post(batch(nul)).body());

        assertEquals("Expected a string of 1 to 100 characters", details.get("logs.0.service").asText());
        assertEquals("Expected one of debug, info, warn, error, critical, got \"fatal\"",
                details.get("logs.0.level").asText());
        assertEquals("Expected a string of at least 1 character", details.get("logs.0.message").asText());
        assertEquals("Must contain 1 to 1000 entries, got 0", empty.get("logs").asText());
        assertEquals("invalid byte sequence for encoding \"UTF8\": 0x00", nulAnswer.get("message").asText());
    }

    @Test
    void failsLikeTheDatabaseOnNulAndLoneSurrogates() throws Exception {
        ObjectNode nul = entry();
        nul.put("message", "before\u0000after");
        ObjectNode surrogate = entry();
        ((ObjectNode) surrogate.get("metadata")).put("half", "HALF");
        // Written as a JSON escape: a lone surrogate cannot travel as UTF-8 text.
        String surrogateBody = batch(surrogate).toString().replace("HALF", "\\ud800");

        HttpResponse<String> nulAnswer = post(batch(entry(), nul));
        HttpResponse<String> surrogateAnswer = send(request().POST(HttpRequest.BodyPublishers.ofString(surrogateBody))
                .header("Content-Type", "application/json").header("X-API-Key", KEY));

        assertEquals(500, nulAnswer.statusCode());
        assertTrue(nulAnswer.body().contains("0x00"), nulAnswer.body());
        assertEquals(500, surrogateAnswer.statusCode());
        assertEquals(0, endpoint.received());
    }

    @Test
    void refusesGzipBodiesAndOtherContentTypes() throws Exception {
        HttpResponse<String> gzip = send(request().POST(body(batch(entry())))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip").header("X-API-Key", KEY));
        HttpResponse<String> text = send(request().POST(body(batch(entry())))
                .header("Content-Type", "text/plain").header("X-API-Key", KEY));
        HttpResponse<String> notJson = send(request().POST(HttpRequest.BodyPublishers.ofString("{\"logs\":["))
                .header("Content-Type", "application/json").header("X-API-Key", KEY));

        assertEquals(400, gzip.statusCode());
        assertEquals(415, text.statusCode());
        assertEquals(400, notJson.statusCode());
        assertEquals(0, endpoint.received());
    }

    @Test
    void answersHealthAndNotFound() throws Exception {
        HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/health")).GET());
        HttpResponse<String> elsewhere = send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/api/v1/logs")).GET());

        assertEquals(200, health.statusCode());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
        assertEquals(404, elsewhere.statusCode());
    }

    private static ObjectNode entry() {
        ObjectNode e = JSON.createObjectNode()
                .put("time", "2025-01-01T10:00:00.123Z")
                .put("service", "api")
                .put("level", "info")
                .put("message", "hello");
        e.putObject("metadata").put("logger", "test");
        return e;
    }

    private static ObjectNode batch(ObjectNode... entries) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode logs = body.putArray("logs");
        for (ObjectNode e : entries) {
            logs.add(e);
        }
        return body;
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create(endpoint.url() + IngestEndpoint.INGEST_PATH));
    }

    private static HttpRequest.BodyPublisher body(JsonNode json) {
        return HttpRequest.BodyPublishers.ofString(json.toString());
    }

    private HttpResponse<String> post(JsonNode json) throws Exception {
        return send(request().POST(body(json)).header("Content-Type", "application/json").header("X-API-Key", KEY));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
