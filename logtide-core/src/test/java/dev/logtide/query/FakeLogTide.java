package dev.logtide.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logtide.testing.ServerRules;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.BufferedSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A LogTide 0.5.0 server on loopback with the read side's behaviour as seen on the real one
 * (/work/shared/logtide-server-api.md, "Query" and "Live tail"): ingest stores, the query routes
 * answer newest first with cursors and exact totals, and the stream polls once a second, sending
 * the newest 100 logs stamped since the newest it sent last (inclusive: that one is sent again),
 * newest first, so more than 100 logs between polls and logs that arrive late with old timestamps
 * never reach the stream. {@link #restart(Duration)} drops every stream and answers 503 for a while.
 * Not modelled: the 60 s answer cache, the database's estimate of time for a full-text search.
 */
final class FakeLogTide extends Dispatcher implements AutoCloseable {
    static final long POLL_MS = 1000;
    private static final int STREAM_PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Stored> NEWEST_FIRST =
            Comparator.comparing((Stored s) -> s.time).thenComparing(s -> s.id).reversed();

    private final MockWebServer server = new MockWebServer();
    private final List<Stored> stored = new ArrayList<>();
    private final AtomicInteger generation = new AtomicInteger();
    private volatile long downUntilNanos = System.nanoTime();
    private volatile boolean closed;

    /** One stored log. */
    private static final class Stored {
        final String id = UUID.randomUUID().toString();
        final Instant time;
        final ObjectNode json;

        Stored(JsonNode entry) {
            this.time = Instant.parse(entry.get("time").asText()).truncatedTo(ChronoUnit.MILLIS);
            json = JSON.createObjectNode();
            json.put("id", id);
            json.put("time", time.toString());
            json.put("projectId", "7d3f2c1b-0000-4000-8000-000000000001");
            json.put("service", entry.get("service").asText());
            json.put("level", entry.get("level").asText());
            json.put("message", entry.get("message").asText());
            json.set("metadata", entry.has("metadata") ? entry.get("metadata") : JSON.createObjectNode());
            json.set("traceId", entry.has("trace_id") ? entry.get("trace_id") : JSON.nullNode());
        }

        String field(String name) {
            return json.path(name).asText(null);
        }
    }

    FakeLogTide() {
        server.setDispatcher(this);
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return server.url("/").toString();
    }

    /** Ends every open stream now and answers 503 to everything for {@code down}. */
    void restart(Duration down) {
        downUntilNanos = System.nanoTime() + down.toNanos();
        generation.incrementAndGet();
    }

    /** Stops the server; also the dispatcher's own shutdown hook, which MockWebServer calls on close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (System.nanoTime() < downUntilNanos) {
            return json(503, error("Service Unavailable", "restarting"));
        }
        if (!ServerShapes.KEY.equals(request.getHeaders().get("X-API-Key"))) {
            return json(401, error("Unauthorized", "Invalid API key"));
        }
        HttpUrl url = request.getUrl();
        String path = url.encodedPath();
        try {
            if (path.equals("/api/v1/ingest")) {
                return ingest(JSON.readTree(request.getBody().utf8()));
            }
            if (path.equals("/api/v1/logs")) {
                return search(url);
            }
            if (path.equals("/api/v1/logs/stream")) {
                return stream(url);
            }
            if (path.equals("/api/v1/logs/aggregated")) {
                return aggregated(url);
            }
            if (path.startsWith("/api/v1/logs/trace/")) {
                String traceId = url.pathSegments().get(url.pathSize() - 1);
                List<Stored> trace = matching(s -> traceId.equals(s.field("traceId")));
                trace.sort(NEWEST_FIRST.reversed());
                return json(200, JSON.createObjectNode().set("logs", array(trace)));
            }
            if (path.startsWith("/api/v1/logs/")) {
                String id = url.pathSegments().get(url.pathSize() - 1);
                List<Stored> one = matching(s -> s.id.equals(id));
                return one.isEmpty() ? json(404, error("Not Found", "Log not found"))
                        : json(200, JSON.createObjectNode().set("log", one.get(0).json));
            }
        } catch (IOException e) {
            return json(400, error("Bad Request", e.getMessage()));
        }
        return json(404, error("Not Found", "Route GET:" + path + " not found"));
    }

    private MockResponse ingest(JsonNode body) {
        JsonNode logs = body.get("logs");
        if (logs == null || !logs.isArray() || logs.size() < 1 || logs.size() > 1000) {
            return json(400, error("Validation error", "logs must hold 1 to 1000 entries"));
        }
        for (JsonNode entry : logs) {
            String violation = ServerRules.violation(entry);
            if (violation != null) {
                return json(400, error("Validation error", violation));
            }
        }
        synchronized (stored) {
            for (JsonNode entry : logs) {
                stored.add(new Stored(entry));
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("received", logs.size());
        answer.put("timestamp", Instant.now().toString());
        return json(200, answer);
    }

    private MockResponse search(HttpUrl url) {
        List<String> services = url.queryParameterValues("service");
        List<String> levels = url.queryParameterValues("level");
        Instant from = instant(url.queryParameter("from"));
        Instant to = instant(url.queryParameter("to"));
        String traceId = url.queryParameter("traceId");
        String q = url.queryParameter("q");
        List<Stored> matches = matching(s -> (services.isEmpty() || services.contains(s.field("service")))
                && (levels.isEmpty() || levels.contains(s.field("level")))
                && (from == null || !s.time.isBefore(from)) && (to == null || !s.time.isAfter(to))
                && (traceId == null || traceId.equals(s.field("traceId")))
                && (q == null || s.field("message").contains(q)));
        matches.sort(NEWEST_FIRST);
        int limit = url.queryParameter("limit") == null ? 100 : Integer.parseInt(url.queryParameter("limit"));
        if (limit < 1 || limit > 1000) {
            return json(400, error("Validation error", "limit must be 1..1000"));
        }
        String cursor = url.queryParameter("cursor");
        int start = cursor != null ? Integer.parseInt(cursor.substring(2))
                : url.queryParameter("offset") == null ? 0 : Integer.parseInt(url.queryParameter("offset"));
        List<Stored> page = matches.subList(Math.min(start, matches.size()), Math.min(start + limit, matches.size()));
        ObjectNode answer = JSON.createObjectNode();
        answer.set("logs", array(page));
        answer.put("total", cursor != null ? matches.size() - start : matches.size());
        answer.put("limit", limit);
        answer.put("offset", cursor != null ? 0 : start);
        if (start + limit < matches.size()) {
            answer.put("nextCursor", "c:" + (start + limit));
        }
        return json(200, answer);
    }

    private MockResponse aggregated(HttpUrl url) {
        Instant from = instant(url.queryParameter("from"));
        Instant to = instant(url.queryParameter("to"));
        String service = url.queryParameter("service");
        String interval = url.queryParameter("interval") == null ? "1h" : url.queryParameter("interval");
        ChronoUnit unit = interval.equals("1d") ? ChronoUnit.DAYS : interval.equals("1m") ? ChronoUnit.MINUTES : ChronoUnit.HOURS;
        Map<Instant, List<Stored>> buckets = matching(s -> !s.time.isBefore(from) && !s.time.isAfter(to)
                && (service == null || service.equals(s.field("service"))))
                .stream().collect(Collectors.groupingBy(s -> s.time.truncatedTo(unit), TreeMap::new, Collectors.toList()));
        ArrayNode series = JSON.createArrayNode();
        buckets.forEach((bucket, logs) -> {
            ObjectNode b = series.addObject();
            b.put("bucket", bucket.toString());
            b.put("total", logs.size());
            ObjectNode byLevel = b.putObject("by_level");
            logs.forEach(s -> byLevel.put(s.field("level"), byLevel.path(s.field("level")).asLong() + 1));
        });
        return json(200, JSON.createObjectNode().set("timeseries", series));
    }

    private MockResponse stream(HttpUrl url) {
        String service = url.queryParameter("service");
        String level = url.queryParameter("level");
        Predicate<Stored> filter = s -> (service == null || service.equals(s.field("service")))
                && (level == null || level.equals(s.field("level")));
        return new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(new Polling(filter, generation.get()))
                .removeHeader("Content-Length")
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
    }

    /** The stream: connected, then a poll once a second, newest first, with a heartbeat. */
    private final class Polling implements MockResponseBody {
        private final Predicate<Stored> filter;
        private final int startedIn;

        Polling(Predicate<Stored> filter, int generation) {
            this.filter = filter;
            this.startedIn = generation;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            Instant newestSent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            sink.writeUtf8("data: {\"type\":\"connected\",\"timestamp\":\"" + newestSent + "\"}\n\n").flush();
            while (!closed && generation.get() == startedIn) {
                try {
                    TimeUnit.MILLISECONDS.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
                Instant since = newestSent;
                Instant now = Instant.now();
                List<Stored> poll = matching(s -> filter.test(s) && !s.time.isBefore(since) && !s.time.isAfter(now));
                poll.sort(NEWEST_FIRST);
                poll = poll.subList(0, Math.min(STREAM_PAGE, poll.size()));
                for (Stored s : poll) {
                    ObjectNode event = JSON.createObjectNode();
                    event.put("type", "log");
                    event.set("data", s.json);
                    sink.writeUtf8("data: " + event + "\n\n");
                }
                if (!poll.isEmpty()) {
                    newestSent = poll.get(0).time;
                }
                sink.writeUtf8(": heartbeat\n\n").flush();
            }
        }
    }

    private List<Stored> matching(Predicate<Stored> filter) {
        synchronized (stored) {
            return stored.stream().filter(filter).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static ArrayNode array(List<Stored> logs) {
        ArrayNode array = JSON.createArrayNode();
        logs.forEach(s -> array.add(s.json));
        return array;
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }

    private static ObjectNode error(String error, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", error);
        node.put("message", message);
        return node;
    }

    private static MockResponse json(int code, JsonNode body) {
        return ServerShapes.json(code, body.toString());
    }
}
