package dev.logtide.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A LogTide-compatible ingest endpoint on {@code 127.0.0.1}, for the demo and for trying the SDK
 * without a server. It answers {@code POST /api/v1/ingest} the way the real server does
 * (v0.5.x): the API key is required, an invalid batch is rejected
 * whole with {@code 400 {"error":"Validation error",...}} (see {@link IngestValidation}), a
 * NUL character or a lone surrogate fails "in the database" with a 500, a gzip body is a 400, a
 * body over 50 MiB a 413. Accepted entries are kept in memory and handed to a listener.
 *
 * <p>Not simulated: the per-IP rate limit (429), storage, and the query routes.
 */
public final class IngestEndpoint implements AutoCloseable {
    /** The route the SDK posts to. */
    public static final String INGEST_PATH = "/api/v1/ingest";
    /** The server's body limit on the ingest route. */
    public static final long MAX_BODY_BYTES = IngestValidation.MAX_BODY_BYTES;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final Consumer<List<JsonNode>> listener;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<JsonNode> accepted = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    private IngestEndpoint(String apiKey, Consumer<List<JsonNode>> listener) throws IOException {
        this.apiKey = apiKey;
        this.listener = listener;
        // Without TCP_NODELAY every response waits ~40 ms for the client's delayed ACK (Nagle),
        // which would make shipping look slow when it is not. Read once, when the JDK's server
        // implementation is first loaded: set it before creating the first server.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ingest-endpoint-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts an endpoint on {@code 127.0.0.1} with an ephemeral port.
     *
     * @param apiKey   the only key it accepts
     * @param listener receives every accepted batch's entries, on the endpoint's threads
     * @return the running endpoint
     * @throws IOException when no port could be bound
     */
    public static IngestEndpoint start(String apiKey, Consumer<List<JsonNode>> listener) throws IOException {
        return new IngestEndpoint(apiKey, listener);
    }

    /** @return the base URL to configure as {@code apiUrl}, e.g. {@code http://127.0.0.1:41234} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return every accepted entry so far, in arrival order */
    public List<JsonNode> entries() {
        synchronized (accepted) {
            return Collections.unmodifiableList(new ArrayList<>(accepted));
        }
    }

    /** @return how many entries were accepted */
    public int received() {
        synchronized (accepted) {
            return accepted.size();
        }
    }

    /** @return ingest requests answered, accepted or not */
    public int requests() {
        return requests.get();
    }

    /** @return ingest requests answered with an error status */
    public int rejectedRequests() {
        return rejected.get();
    }

    /** Stops listening at once: every exchange is answered before its handler returns. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(method) && "/health".equals(path)) {
                respond(exchange, 200, JSON.createObjectNode().put("status", "ok"));
            } else if ("POST".equals(method) && INGEST_PATH.equals(path)) {
                requests.incrementAndGet();
                Answer answer = ingest(exchange);
                if (answer.status != 200) {
                    rejected.incrementAndGet();
                }
                respond(exchange, answer.status, answer.body);
            } else {
                respond(exchange, 404, fastifyError(404, "Not Found", "Route " + method + ":" + path + " not found"));
            }
        } catch (RuntimeException e) {
            // A bug here must not look like a server that accepted the batch.
            respond(exchange, 500, fastifyError(500, "Internal Server Error", String.valueOf(e)));
        } finally {
            exchange.close();
        }
    }

    private Answer ingest(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("X-API-Key");
        if (key == null || key.isEmpty()) {
            return new Answer(401, unauthorized("Missing X-API-Key header or Authorization token"));
        }
        if (!key.equals(apiKey)) {
            return new Answer(401, unauthorized("Invalid API key"));
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return new Answer(415, fastifyError(415, "Unsupported Media Type",
                    "Unsupported Media Type: " + contentType));
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
            // The real server decompresses only its OTLP routes; a gzip body fails to parse as JSON.
            return new Answer(400, fastifyError(400, "Bad Request",
                    "Content-Encoding " + encoding + " is not supported on this route"));
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return new Answer(413, fastifyError(413, "Payload Too Large", "Request body is too large")
                    .put("code", "FST_ERR_CTP_BODY_TOO_LARGE"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Answer(400, fastifyError(400, "Bad Request", "Body is not valid JSON"));
        }
        ObjectNode details = IngestValidation.validate(root);
        if (details.size() > 0) {
            ObjectNode error = JSON.createObjectNode().put("error", "Validation error");
            error.set("details", details);
            return new Answer(400, error);
        }
        String unstorable = IngestValidation.unstorable(root.get("logs"));
        if (unstorable != null) {
            // What PostgreSQL says about NUL and lone surrogates; the real server answers 500 for the batch.
            return new Answer(IngestValidation.UNSTORABLE_STATUS,
                    fastifyError(IngestValidation.UNSTORABLE_STATUS, "Internal Server Error", unstorable));
        }
        List<JsonNode> entries = new ArrayList<>(root.get("logs").size());
        root.get("logs").forEach(entries::add);
        synchronized (accepted) {
            accepted.addAll(entries);
        }
        listener.accept(entries);
        return new Answer(200, JSON.createObjectNode()
                .put("received", entries.size())
                .put("timestamp", Instant.now().toString()));
    }

    /** @return the body, or {@code null} when it is larger than {@link #MAX_BODY_BYTES} */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(chunk)) != -1; ) {
            total += n;
            if (total > MAX_BODY_BYTES) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static ObjectNode unauthorized(String message) {
        return JSON.createObjectNode().put("error", "Unauthorized").put("message", message);
    }

    private static ObjectNode fastifyError(int status, String error, String message) {
        return JSON.createObjectNode().put("statusCode", status).put("error", error).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class Answer {
        final int status;
        final JsonNode body;

        Answer(int status, JsonNode body) {
            this.status = status;
            this.body = body;
        }
    }
}
