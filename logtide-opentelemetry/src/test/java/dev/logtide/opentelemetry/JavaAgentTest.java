package dev.logtide.opentelemetry;

import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under the real OpenTelemetry Java agent (the jar the build copies to target/javaagent), the SDK's
 * own requests (ingest, query, live tail) make no span and carry no {@code traceparent}, while the
 * application's own OkHttp call inside the same span is traced and propagated as usual: the agent
 * is active, and only LogTide's clients are kept out of its instrumentation. A QueryClient built on
 * the application's OkHttp client reads without the agent's interceptors but with the application's.
 * The same holds when the agent is attached at run time, after LogTide's classes were loaded.
 */
class JavaAgentTest {
    private static final String STREAMED_LOG = "{\"id\":\"0b7c1e2a-5d4f-4c3b-9a8e-000000000001\","
            + "\"time\":\"2026-01-01T00:00:00.000Z\",\"projectId\":\"7d3f2c1b-0000-4000-8000-000000000001\","
            + "\"service\":\"agent-app\",\"level\":\"info\",\"message\":\"streamed\",\"metadata\":{},\"traceId\":null}";

    @Test
    void theSdksOwnRequestsMakeNoSpanAndCarryNoTraceparentWhileTheApplicationsAreTraced() throws Exception {
        Path agent = agent();
        runUnderTheAgent(Collections.singletonList("-javaagent:" + agent.toAbsolutePath()), Collections.emptyList());
    }

    @Test
    void soAfterTheAgentIsAttachedAtRunTimeOnceLogTidesClassesAreLoaded() throws Exception {
        Path agent = agent();
        runUnderTheAgent(Collections.singletonList("-Djdk.attach.allowAttachSelf=true"),
                Collections.singletonList(agent.toAbsolutePath().toString()));
    }

    private static Path agent() {
        Path agent = Paths.get(System.getProperty("logtide.test.javaagent", ""));
        assertTrue(Files.isRegularFile(agent), "the build copies the agent to " + agent);
        return agent;
    }

    private static void runUnderTheAgent(List<String> jvmOptions, List<String> extraArgs) throws Exception {
        List<RecordedRequest> sdkRequests = Collections.synchronizedList(new ArrayList<>());
        List<RecordedRequest> ownRequests = Collections.synchronizedList(new ArrayList<>());
        try (IngestServer ingest = new IngestServer();
             MockWebServer logtide = server(request -> {
                 sdkRequests.add(request);
                 return logTide(ingest, request);
             });
             MockWebServer own = server(request -> {
                 ownRequests.add(request);
                 return new MockResponse.Builder().code(200).body("hello").build();
             });
             OtlpReceiver otlp = new OtlpReceiver()) {
            List<String> options = new ArrayList<>(jvmOptions);
            options.addAll(Arrays.asList(
                    "-Dotel.service.name=agent-app",
                    "-Dotel.traces.exporter=otlp",
                    "-Dotel.exporter.otlp.traces.protocol=http/protobuf",
                    "-Dotel.exporter.otlp.traces.endpoint=" + otlp.url() + "/v1/otlp/traces",
                    "-Dotel.exporter.otlp.traces.headers=X-API-Key=" + OtlpReceiver.API_KEY,
                    "-Dotel.metrics.exporter=none",
                    "-Dotel.logs.exporter=none",
                    "-Dotel.bsp.schedule.delay=200"));
            List<String> args = new ArrayList<>(Arrays.asList(url(logtide), IngestServer.API_KEY, url(own) + "/own"));
            args.addAll(extraArgs);
            ChildJvm.Result child;
            try (ChildJvm.Running running = ChildJvm.start(System.getProperty("java.class.path"),
                    JavaAgentAppMain.class.getName(), options, args, withoutOtelVariables())) {
                child = running.awaitExit(120_000);
            }
            assertEquals(0, child.exitCode, child.toString());
            assertTrue(child.output.contains("tail: true"), child.toString());
            String traceId = traceId(child.output);

            // The agent is active: the application's span and its own OkHttp call are traced and propagated.
            OtlpReceiver.Received appWork = awaitSpan(otlp, "app-work", child);
            assertEquals(traceId, appWork.traceId());
            List<OtlpReceiver.Received> ownSpans = spansTo(otlp, own.getPort());
            assertEquals(1, ownSpans.size(), () -> describe(otlp.spans()) + "; " + child);
            assertEquals(SpanKind.SPAN_KIND_CLIENT, ownSpans.get(0).span.getKind());
            assertEquals(appWork.spanId(), ownSpans.get(0).parentSpanId());
            assertEquals(1, ownRequests.size());
            assertEquals("own", ownRequests.get(0).getHeaders().get("X-App"));
            String ownTraceparent = ownRequests.get(0).getHeaders().get("traceparent");
            assertTrue(ownTraceparent != null && ownTraceparent.contains(traceId), "own call's traceparent: " + ownTraceparent);

            // The SDK's requests: all three kinds were made, none is a span, none carries traceparent.
            List<String> paths = sdkRequests.stream().map(r -> r.getUrl().encodedPath()).collect(Collectors.toList());
            assertTrue(paths.contains("/api/v1/ingest") && paths.contains("/api/v1/logs")
                    && paths.contains("/api/v1/logs/stream"), paths::toString);
            // A QueryClient on the application's client keeps the application's interceptor, not the agent's.
            assertEquals(1, sdkRequests.stream().filter(r -> "own".equals(r.getHeaders().get("X-App"))
                    && r.getUrl().encodedPath().equals("/api/v1/logs")).count(), paths::toString);
            List<String> traced = new ArrayList<>();
            for (RecordedRequest request : sdkRequests) {
                if (request.getHeaders().get("traceparent") != null) {
                    traced.add("traceparent on " + request.getMethod() + " " + request.getUrl().encodedPath());
                }
            }
            for (String span : describe(spansTo(otlp, logtide.getPort()))) {
                traced.add("span " + span);
            }
            assertEquals(Collections.emptyList(), traced, () -> sdkRequests.size() + " requests of the SDK; every span: "
                    + describe(otlp.spans()));
            assertEquals(traceId, ingest.entryWithMessage("inside app-work").path("trace_id").asText());
        }
    }

    /** LogTide's routes the child uses: ingest (validated by IngestServer), a query page, a live tail. */
    private static MockResponse logTide(IngestServer ingest, RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals("/api/v1/ingest")) {
            return ingest.handle(request);
        }
        if (path.equals("/api/v1/logs/stream")) {
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                    .body("data: {\"type\":\"connected\",\"timestamp\":\"2026-01-01T00:00:00.000Z\"}\n\n"
                            + "data: {\"type\":\"log\",\"data\":" + STREAMED_LOG + "}\n\n")
                    .build();
        }
        if (path.equals("/api/v1/logs")) {
            return IngestServer.json(200, "{\"logs\":[" + STREAMED_LOG + "],\"total\":1,\"limit\":10,\"offset\":0}");
        }
        return new MockResponse.Builder().code(404).build();
    }

    private interface Handler {
        MockResponse handle(RecordedRequest request);
    }

    private static MockWebServer server(Handler handler) throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handler.handle(request);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    private static String url(MockWebServer server) {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    /** The agent reads OTEL_* variables too: the child sees only the options above. */
    private static Map<String, String> withoutOtelVariables() {
        Map<String, String> removed = new HashMap<>();
        for (String name : System.getenv().keySet()) {
            if (name.startsWith("OTEL_")) {
                removed.put(name, null);
            }
        }
        return removed;
    }

    private static String traceId(String output) {
        int at = output.indexOf("trace: ");
        assertTrue(at >= 0, output);
        return output.substring(at + 7, at + 7 + 32);
    }

    /** The agent exports what is left at shutdown; the receiver may still be decoding it. */
    private static OtlpReceiver.Received awaitSpan(OtlpReceiver otlp, String name, ChildJvm.Result child)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!otlp.names().contains(name) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertTrue(otlp.names().contains(name), () -> "no span " + name + " among " + otlp.names() + "; " + child);
        return otlp.span(name);
    }

    /** Spans whose URL or server port is the given loopback port's (old and current HTTP semantic conventions). */
    private static List<OtlpReceiver.Received> spansTo(OtlpReceiver otlp, int port) {
        List<OtlpReceiver.Received> found = new ArrayList<>();
        for (OtlpReceiver.Received r : otlp.spans()) {
            for (KeyValue kv : r.span.getAttributesList()) {
                String key = kv.getKey();
                boolean url = (key.equals("url.full") || key.equals("http.url"))
                        && kv.getValue().getStringValue().contains(":" + port + "/");
                boolean serverPort = (key.equals("server.port") || key.equals("net.peer.port"))
                        && kv.getValue().getIntValue() == port;
                if (url || serverPort) {
                    found.add(r);
                    break;
                }
            }
        }
        return found;
    }

    private static List<String> describe(List<OtlpReceiver.Received> spans) {
        List<String> out = new ArrayList<>();
        for (OtlpReceiver.Received r : spans) {
            Map<String, String> attributes = new HashMap<>();
            for (KeyValue kv : r.span.getAttributesList()) {
                attributes.put(kv.getKey(), kv.getValue().hasStringValue() ? kv.getValue().getStringValue()
                        : String.valueOf(kv.getValue().getIntValue()));
            }
            out.add(r.name() + " " + r.span.getKind() + " " + attributes.get("url.full"));
        }
        return out;
    }
}
