package dev.logtide.opentelemetry;

import dev.logtide.testing.IngestServer;
import dev.logtide.testing.LoopbackServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OTLP/HTTP traces endpoint on loopback, as LogTide serves it at {@code /v1/otlp/traces}: a real
 * HTTP server that checks the API key, decodes the protobuf body with the OTLP schema's own classes
 * and records what it received. Shared through this module's test-jar (the Spring Boot starter's
 * tracing test); with an {@link IngestServer} behind it, one base URL serves logs and traces as
 * LogTide does.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** The key checked when no {@link IngestServer} is behind the receiver. */
    public static final String API_KEY = "lp_otel_test_key_42";

    /** One exported span with its resource. */
    public static final class Received {
        /** The resource's attributes, values as text. */
        public final Map<String, String> resource;
        /** The span as the OTLP schema decodes it. */
        public final Span span;

        Received(Map<String, String> resource, Span span) {
            this.resource = resource;
            this.span = span;
        }

        public String traceId() {
            return hex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return hex(span.getSpanId().toByteArray());
        }

        public String parentSpanId() {
            return hex(span.getParentSpanId().toByteArray());
        }

        public String name() {
            return span.getName();
        }
    }

    private final MockWebServer server;
    private final IngestServer logs;
    private final String apiKey;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Received> spans = Collections.synchronizedList(new ArrayList<>());

    /** Traces only, key {@link #API_KEY}. */
    public OtlpReceiver() {
        this(null);
    }

    /**
     * @param logs answers every other route (the log ingest), or {@code null}; with it, the key
     *     is {@link IngestServer#API_KEY}, since a client sends one key to both routes
     */
    public OtlpReceiver(IngestServer logs) {
        this.logs = logs;
        this.apiKey = logs == null ? API_KEY : IngestServer.API_KEY;
        server = LoopbackServer.start(this::handle);
    }

    /** @return the base URL, without a trailing slash */
    public String url() {
        return LoopbackServer.baseUrl(server);
    }

    public int port() {
        return server.getPort();
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    public List<Received> spans() {
        synchronized (spans) {
            return new ArrayList<>(spans);
        }
    }

    public Received span(String name) {
        Received found = null;
        for (Received r : spans()) {
            if (r.name().equals(name)) {
                if (found != null) {
                    throw new AssertionError("more than one span named " + name);
                }
                found = r;
            }
        }
        if (found == null) {
            throw new AssertionError("no span named " + name + " among " + names());
        }
        return found;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Received r : spans()) {
            names.add(r.name());
        }
        return names;
    }

    private MockResponse handle(RecordedRequest request) {
        if (logs != null && !request.getUrl().encodedPath().endsWith("/v1/otlp/traces")) {
            return logs.handle(request);
        }
        requests.add(request);
        if (!apiKey.equals(request.getHeaders().get("X-API-Key"))) {
            return new MockResponse.Builder().code(401)
                    .body("{\"error\":\"Unauthorized\",\"message\":\"Invalid API key\"}").build();
        }
        if (!request.getUrl().encodedPath().endsWith("/v1/otlp/traces")) {
            return new MockResponse.Builder().code(404).build();
        }
        try {
            byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
            ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans rs : export.getResourceSpansList()) {
                Map<String, String> resource = new LinkedHashMap<>();
                for (KeyValue kv : rs.getResource().getAttributesList()) {
                    resource.put(kv.getKey(), text(kv.getValue()));
                }
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        spans.add(new Received(Collections.unmodifiableMap(resource), s));
                    }
                }
            }
        } catch (IOException e) {
            return new MockResponse.Builder().code(400).body("not OTLP protobuf").build();
        }
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-protobuf").build();
    }

    private static String text(AnyValue value) {
        return value.hasStringValue() ? value.getStringValue() : value.toString();
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
