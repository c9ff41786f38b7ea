package dev.logtide.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * A LogTide ingest endpoint on loopback for tests: a real HTTP server (OkHttp's MockWebServer)
 * that validates batches like the real server, records what it accepted, and can be scripted to
 * fail. Shared by the core's tests and every adapter's.
 */
public final class IngestServer implements AutoCloseable {
    /** The API key tests configure; the server answers 401 to any other. */
    public static final String API_KEY = "lp_test_key_0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server;
    private final List<JsonNode> accepted = Collections.synchronizedList(new ArrayList<>());
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedDeque<Function<List<JsonNode>, MockResponse>> script = new ConcurrentLinkedDeque<>();
    private volatile Function<List<JsonNode>, MockResponse> fallback = IngestServer::accept;

    /** Starts on 127.0.0.1 with an ephemeral port. */
    public IngestServer() {
        server = LoopbackServer.start(this::handle);
    }

    /** @return the base URL to configure as {@code apiUrl}, without a trailing slash */
    public String url() {
        return LoopbackServer.baseUrl(server);
    }

    /**
     * Answers the next request with this response (scripted answers are used in order before
     * the fallback).
     *
     * @param response a response
     */
    public void enqueue(MockResponse response) {
        script.add(batch -> response);
    }

    /** @param responder answers each request not covered by {@link #enqueue}; gets the parsed entries */
    public void respondWith(Function<List<JsonNode>, MockResponse> responder) {
        this.fallback = responder;
    }

    /** @return entries the server answered 2xx for, in arrival order */
    public List<JsonNode> entries() {
        synchronized (accepted) {
            return new ArrayList<>(accepted);
        }
    }

    /** @return every request received, whatever it was answered */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /**
     * Waits (polling) until at least {@code n} entries were accepted.
     *
     * @param n       how many
     * @param timeout the longest wait
     * @return the accepted entries
     */
    public List<JsonNode> awaitEntries(int n, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (accepted.size() < n && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return entries();
    }

    /**
     * @param message a message
     * @return the single accepted entry with that message
     * @throws AssertionError when there is none or more than one
     */
    public JsonNode entryWithMessage(String message) {
        JsonNode found = null;
        for (JsonNode e : entries()) {
            if (message.equals(e.path("message").asText())) {
                if (found != null) {
                    throw new AssertionError("more than one entry with message '" + message + "'");
                }
                found = e;
            }
        }
        if (found == null) {
            throw new AssertionError("no entry with message '" + message + "' among " + entries());
        }
        return found;
    }

    /**
     * Answers a request as the ingest route would, recording it: for a server in front of this
     * one that serves other routes of the same base URL (the OTLP receiver of
     * logtide-opentelemetry's tests).
     *
     * @param request a request received elsewhere
     * @return this server's answer
     */
    public MockResponse handle(RecordedRequest request) {
        requests.add(request);
        if (!API_KEY.equals(request.getHeaders().get("X-API-Key"))) {
            return json(401, "{\"error\":\"Unauthorized\",\"message\":\"Invalid API key\"}");
        }
        List<JsonNode> batch = new ArrayList<>();
        try {
            JsonNode body = JSON.readTree(request.getBody() == null ? "" : request.getBody().utf8());
            JsonNode logs = body == null ? null : body.get("logs");
            if (logs == null || !logs.isArray() || logs.size() < 1 || logs.size() > 1000) {
                return json(400, "{\"error\":\"Validation error\",\"details\":\"logs must hold 1 to 1000 entries\"}");
            }
            logs.forEach(batch::add);
        } catch (IOException e) {
            return json(400, "{\"error\":\"Validation error\",\"details\":\"body is not JSON\"}");
        }
        Function<List<JsonNode>, MockResponse> scripted = script.poll();
        MockResponse response = (scripted != null ? scripted : fallback).apply(batch);
        if (response.getCode() >= 200 && response.getCode() < 300) {
            accepted.addAll(batch);
        }
        return response;
    }

    /**
     * The real server's answer: 400 for a batch with any invalid entry, else 200.
     *
     * @param batch parsed entries
     * @return the response
     */
    public static MockResponse accept(List<JsonNode> batch) {
        for (JsonNode entry : batch) {
            String violation = ServerRules.violation(entry);
            if (violation != null) {
                return json(400, "{\"error\":\"Validation error\",\"details\":" + quote(violation) + "}");
            }
        }
        return json(200, "{\"received\":" + batch.size() + ",\"timestamp\":\"2026-01-01T00:00:00.000Z\"}");
    }

    /**
     * @param code status
     * @param body JSON text
     * @return a JSON response
     */
    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
