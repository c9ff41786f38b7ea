package dev.logtide.opentelemetry;

import dev.logtide.ClientOptions;
import dev.logtide.testing.ChildJvm;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C24: the preset exports real spans over OTLP/HTTP to a loopback receiver that decodes them. */
class SpanExportTest {
    private final OtlpReceiver receiver = new OtlpReceiver();

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        GlobalOpenTelemetry.resetForTest();
    }

    private LogTideOpenTelemetry.Builder preset() {
        return LogTideOpenTelemetry.builder()
                .apiUrl(receiver.url())
                .apiKey(OtlpReceiver.API_KEY)
                .service("checkout")
                .registerShutdownHook(false);
    }

    @Test
    void c24SpansReachTheOtlpRouteWithResourceKeyAndParentage() {
        LogTideOpenTelemetry otel = preset()
                .apiUrl(receiver.url() + "/logtide/")
                .environment("staging")
                .release("1.4.2")
                .build();
        Tracer tracer = otel.tracer("test");
        Span parent = tracer.spanBuilder("parent").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            tracer.spanBuilder("child").startSpan().end();
        } finally {
            parent.end();
        }
        otel.close();

        assertEquals(receiver.url() + "/logtide/v1/otlp/traces", otel.endpoint(), "the base path is kept");
        List<RecordedRequest> requests = receiver.requests();
        assertEquals(1, requests.size(), "one batch, sent by close");
        RecordedRequest request = requests.get(0);
        assertEquals("POST", request.getMethod());
        assertEquals("/logtide/v1/otlp/traces", request.getUrl().encodedPath());
        assertEquals(OtlpReceiver.API_KEY, request.getHeaders().get("X-API-Key"));
        assertEquals("application/x-protobuf", request.getHeaders().get("Content-Type"));

        OtlpReceiver.Received p = receiver.span("parent");
        OtlpReceiver.Received c = receiver.span("child");
        assertEquals(p.traceId(), c.traceId());
        assertEquals(p.spanId(), c.parentSpanId());
        assertEquals("", p.parentSpanId(), "the parent is a root span");
        Map<String, String> resource = p.resource;
        assertEquals("checkout", resource.get("service.name"));
        assertEquals("staging", resource.get("deployment.environment"));
        assertEquals("1.4.2", resource.get("service.version"));
        assertEquals("java", resource.get("telemetry.sdk.language"), "the SDK's default resource is kept under ours");
    }

    @Test
    void environmentAndReleaseAreLeftOutWhenUnset() {
        LogTideOpenTelemetry otel = preset().environment(" ").build();
        otel.tracer("test").spanBuilder("alone").startSpan().end();
        otel.close();
        Map<String, String> resource = receiver.span("alone").resource;
        assertEquals("checkout", resource.get("service.name"));
        assertFalse(resource.containsKey("deployment.environment"), resource::toString);
        assertFalse(resource.containsKey("service.version"), resource::toString);
    }

    @Test
    void c24ADsnGivesUrlWithItsBasePathAndKey() {
        String dsn = "http://" + OtlpReceiver.API_KEY + "@127.0.0.1:" + receiver.port() + "/base/";
        LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder().dsn(dsn).service("svc")
                .registerShutdownHook(false).build();
        otel.tracer("test").spanBuilder("via-dsn").startSpan().end();
        otel.close();
        assertEquals("http://127.0.0.1:" + receiver.port() + "/base/v1/otlp/traces", otel.endpoint());
        assertEquals("/base/v1/otlp/traces", receiver.requests().get(0).getUrl().encodedPath());
        assertEquals("svc", receiver.span("via-dsn").resource.get("service.name"));
    }

    @Test
    void aClientsOptionsGiveUrlKeyAndService() {
        ClientOptions options = ClientOptions.builder().apiUrl(receiver.url()).apiKey(OtlpReceiver.API_KEY)
                .service("from-client").build();
        LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder().clientOptions(options)
                .registerShutdownHook(false).build();
        otel.tracer("test").spanBuilder("shared").startSpan().end();
        otel.close();
        assertEquals("from-client", receiver.span("shared").resource.get("service.name"));
    }

    @Test
    void c24RateOneSamplesEveryRootSpan() {
        LogTideOpenTelemetry otel = preset().tracesSampleRate(1.0).build();
        Tracer tracer = otel.tracer("test");
        for (int i = 0; i < 20; i++) {
            Span s = tracer.spanBuilder("root-" + i).startSpan();
            assertTrue(s.getSpanContext().isSampled());
            s.end();
        }
        otel.close();
        assertEquals(20, receiver.spans().size(), receiver.names()::toString);
    }

    @Test
    void c24RateZeroExportsNoRootSpanButAChildFollowsItsParent() {
        LogTideOpenTelemetry otel = preset().tracesSampleRate(0).build();
        Tracer tracer = otel.tracer("test");
        for (int i = 0; i < 20; i++) {
            Span root = tracer.spanBuilder("root-" + i).startSpan();
            assertFalse(root.getSpanContext().isSampled());
            assertTrue(root.getSpanContext().isValid(), "an unsampled span still has ids for log correlation");
            root.end();
        }
        Context sampledCaller = remote("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        tracer.spanBuilder("follows-sampled-caller").setParent(sampledCaller).startSpan().end();
        Context unsampledCaller = remote("00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203331-00");
        tracer.spanBuilder("follows-unsampled-caller").setParent(unsampledCaller).startSpan().end();
        otel.close();

        assertEquals(Collections.singletonList("follows-sampled-caller"), receiver.names());
        OtlpReceiver.Received followed = receiver.span("follows-sampled-caller");
        assertEquals("0af7651916cd43dd8448eb211c80319c", followed.traceId());
        assertEquals("b7ad6b7169203331", followed.parentSpanId());
    }

    private static Context remote(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(),
                Collections.singletonMap("traceparent", traceparent), new TextMapGetter<Map<String, String>>() {
                    @Override
                    public Iterable<String> keys(Map<String, String> carrier) {
                        return carrier.keySet();
                    }

                    @Override
                    public String get(Map<String, String> carrier, String key) {
                        return carrier == null ? null : carrier.get(key);
                    }
                });
    }

    @Test
    void flushExportsWhatEndedAndReportsSuccess() {
        try (LogTideOpenTelemetry otel = preset().build()) {
            otel.tracer("test").spanBuilder("flushed").startSpan().end();
            assertTrue(otel.flush(10_000));
            assertEquals(Collections.singletonList("flushed"), receiver.names());
        }
    }

    @Test
    void closeIsIdempotentAndLaterSpansAreDropped() {
        LogTideOpenTelemetry otel = preset().build();
        otel.tracer("test").spanBuilder("before").startSpan().end();
        otel.close();
        otel.close();
        otel.tracer("test").spanBuilder("after").startSpan().end();
        assertFalse(otel.flush(1000), "a shut-down SDK exports nothing more");
        assertEquals(Collections.singletonList("before"), receiver.names());
    }

    @Test
    void theKeyIsNeverShownEvenWhenTheServerRefusesIt() {
        String wrongKey = "lp_wrong_key_never_printed";
        List<String> printed = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                printed.add(record.getLoggerName() + " " + record.getMessage() + " " + Arrays.toString(record.getParameters())
                        + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger otelLogs = Logger.getLogger("io.opentelemetry");
        otelLogs.addHandler(capture);
        try {
            LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder().apiUrl(receiver.url()).apiKey(wrongKey)
                    .service("svc").registerShutdownHook(false).build();
            otel.tracer("test").spanBuilder("refused").startSpan().end();
            otel.flush(10_000); // done in time, though refused: the refusal is reported through JUL
            List<String> shown = new ArrayList<>(printed);
            shown.add(otel.toString());
            shown.add(otel.openTelemetry().toString());
            shown.add(otel.tracerProvider().toString());
            otel.close();
            assertFalse(printed.isEmpty(), "the exporter reports the refusal through JUL");
            for (String s : shown) {
                assertFalse(s.contains(wrongKey), () -> "the key was shown: " + s);
            }
            assertEquals(1, receiver.requests().size());
            assertEquals(wrongKey, receiver.requests().get(0).getHeaders().get("X-API-Key"), "it was sent, in the header only");
        } finally {
            otelLogs.removeHandler(capture);
        }
    }

    @Test
    void invalidOptionsAreNamedAndNeverShowTheKey() {
        String key = "lp_secret_never_shown";
        assertMessage("service is required", () -> LogTideOpenTelemetry.builder().apiUrl("http://localhost:1").apiKey(key).build());
        assertMessage("apiUrl is required", () -> LogTideOpenTelemetry.builder().apiKey(key).service("s").build());
        assertMessage("apiKey is required", () -> LogTideOpenTelemetry.builder().apiUrl("http://localhost:1").service("s").build());
        for (double rate : new double[] {-0.1, 1.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertMessage("tracesSampleRate must be between 0 and 1, was " + rate,
                    () -> preset().tracesSampleRate(rate).build());
        }
        assertMessage("closeTimeoutMs must not be negative", () -> preset().closeTimeoutMs(-1).build());
        IllegalArgumentException dsn = assertThrows(IllegalArgumentException.class,
                () -> LogTideOpenTelemetry.builder().dsn("ftp://" + key + "@host").service("s").build());
        assertFalse(dsn.getMessage().contains(key), dsn.getMessage());
        IllegalArgumentException keyInUrl = assertThrows(IllegalArgumentException.class,
                () -> LogTideOpenTelemetry.builder().apiUrl("http://" + key + "@host").apiKey(key).service("s").build());
        assertFalse(keyInUrl.getMessage().contains(key), keyInUrl.getMessage());
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(start), () -> "expected '" + start + "...', was: " + e.getMessage());
    }

    @Test
    void buildAndRegisterGlobalSetsTheGlobalInstanceOnce() {
        GlobalOpenTelemetry.resetForTest();
        try (LogTideOpenTelemetry otel = preset().buildAndRegisterGlobal()) {
            GlobalOpenTelemetry.getTracer("test").spanBuilder("global").startSpan().end();
            assertThrows(IllegalStateException.class, () -> preset().buildAndRegisterGlobal());
            assertTrue(otel.flush(10_000));
        }
        assertEquals(Collections.singletonList("global"), receiver.names());
    }

    @Test
    void theShutdownHookExportsWhatAnExitingApplicationLeftQueued() throws Exception {
        ChildJvm.Result result = ChildJvm.run(ExitWithoutCloseMain.class,
                Collections.singletonList("-Dlogtide.test.url=" + receiver.url()),
                Collections.singletonList(OtlpReceiver.API_KEY), 60_000);
        assertTrue(result.exited, result::toString);
        assertEquals(0, result.exitCode, result::toString);
        assertEquals(Collections.singletonList("left-queued"), receiver.names(), result::toString);
        assertNotEquals("", receiver.span("left-queued").traceId());
    }

    @Test
    void openTelemetryIsTheBuiltSdk() {
        try (LogTideOpenTelemetry otel = preset().build()) {
            assertSame(otel.openTelemetry().getSdkTracerProvider(), otel.tracerProvider());
        }
    }
}
