package dev.logtide.jul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A LogTide ingest endpoint on loopback that answers every request with a fixed status. */
final class IngestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<JsonNode> entries = new ArrayList<>();
    private volatile int status = 200;

    IngestServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status).body("{\"received\":1}").build();
            }
        });
        server.start();
    }

    /** @return the base URL to configure as apiUrl */
    String url() {
        return server.url("/").toString();
    }

    /** @param code the status every later request is answered with */
    void answer(int code) {
        this.status = code;
    }

    /**
     * Waits for requests until at least {@code count} entries arrived in total.
     *
     * @return every entry received so far, in order
     */
    List<JsonNode> awaitEntries(int count) throws Exception {
        while (entries.size() < count) {
            RecordedRequest request = server.takeRequest(20, TimeUnit.SECONDS);
            assertNotNull(request, "expected " + count + " entries, received " + entries.size() + ": " + entries);
            record(request);
        }
        return new ArrayList<>(entries);
    }

    /** @return the one entry sent, after asserting there was exactly one request with one entry so far */
    JsonNode awaitSingleEntry() throws Exception {
        List<JsonNode> all = awaitEntries(1);
        assertEquals(1, all.size(), () -> "expected one entry: " + all);
        return all.get(0);
    }

    /** Collects what has arrived without waiting. */
    List<JsonNode> receivedSoFar() throws Exception {
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            record(request);
        }
        return new ArrayList<>(entries);
    }

    /** @return the requests taken so far */
    List<RecordedRequest> requests() {
        return new ArrayList<>(requests);
    }

    /** @return how many requests the server has answered */
    int requestCount() {
        return server.getRequestCount();
    }

    private void record(RecordedRequest request) throws IOException {
        requests.add(request);
        assertEquals("/api/v1/ingest", request.getUrl().encodedPath());
        JsonNode body = JSON.readTree(request.getBody().utf8());
        body.get("logs").forEach(entries::add);
    }

    @Override
    public void close() {
        server.close();
    }
}
