package dev.logtide.opentelemetry;

import dev.logtide.TraceContext;
import dev.logtide.opentelemetry.spring.TraceparentExchangeFilter;
import dev.logtide.opentelemetry.spring.TraceparentRequestInterceptor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.context.Scope;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C25: real requests from each supported client to a loopback server, read as the server saw them. */
class TraceparentTest {
    private static final String CALLERS = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final MockWebServer server = new MockWebServer();

    TraceparentTest() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws IOException {
        TraceContext.setTraceId(null);
        server.close();
    }

    /** Sends one request with the client under test: {@code null} or a traceparent of the caller's own. */
    private interface Client {
        void send(String url, String ownTraceparent) throws Exception;
    }

    private static final OkHttpClient OKHTTP = new OkHttpClient.Builder().addInterceptor(new TraceparentInterceptor()).build();

    private static final Client OK_HTTP = (url, own) -> {
        Request.Builder b = new Request.Builder().url(url);
        if (own != null) {
            b.header("traceparent", own);
        }
        try (Response r = OKHTTP.newCall(b.build()).execute()) {
            assertEquals(200, r.code());
        }
    };

    private static final Client JDK = (url, own) -> {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (own != null) {
            b.header("traceparent", own);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(JdkHttpTraceparent.addTo(b).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    };

    private static final Client REST_CLIENT = (url, own) -> {
        RestClient client = RestClient.builder().requestInterceptor(new TraceparentRequestInterceptor()).build();
        Consumer<org.springframework.http.HttpHeaders> headers = h -> {
            if (own != null) {
                h.set("traceparent", own);
            }
        };
        assertEquals(200, client.get().uri(url).headers(headers).retrieve().toBodilessEntity().getStatusCode().value());
    };

    private static final Client WEB_CLIENT = (url, own) -> {
        WebClient client = WebClient.builder().filter(new TraceparentExchangeFilter()).build();
        Consumer<org.springframework.http.HttpHeaders> headers = h -> {
            if (own != null) {
                h.set("traceparent", own);
            }
        };
        assertEquals(200, client.get().uri(url).headers(headers).retrieve().toBodilessEntity()
                .block(java.time.Duration.ofSeconds(20)).getStatusCode().value());
    };

    /** @return the traceparent values the server received with the request */
    private List<String> sentWith(Client client, String own) throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        client.send(server.url("/downstream").toString(), own);
        RecordedRequest request = server.takeRequest(20, TimeUnit.SECONDS);
        assertTrue(request != null, "the request did not arrive");
        return request.getHeaders().values("traceparent");
    }

    private void assertEveryCase(Client client) throws Exception {
        // an active span: its ids, version 00, flags 01
        Span span = TestSpans.start("outgoing");
        try (Scope ignored = span.makeCurrent()) {
            assertEquals(List.of("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01"),
                    sentWith(client, null));
            // the request already has one: untouched, never two
            assertEquals(List.of(CALLERS), sentWith(client, CALLERS));
        } finally {
            span.end();
        }
        // an unsampled span still propagates as sampled (contract: flags always 01)
        Span unsampled = TestSpans.startUnsampled("unsampled");
        try (Scope ignored = unsampled.makeCurrent()) {
            assertEquals(List.of("00-" + unsampled.getSpanContext().getTraceId() + "-"
                    + unsampled.getSpanContext().getSpanId() + "-01"), sentWith(client, null));
        } finally {
            unsampled.end();
        }
        // no active trace: nothing added
        assertEquals(List.of(), sentWith(client, null));
        // TraceContext with a W3C trace id: that id, a fresh span id for each hop
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        try (TraceContext.Scope scope = TraceContext.withTraceId(traceId)) {
            String first = single(sentWith(client, null));
            String second = single(sentWith(client, null));
            for (String value : List.of(first, second)) {
                assertTrue(value.startsWith("00-" + traceId + "-") && value.endsWith("-01"), value);
                assertTrue(SpanId.isValid(value.substring(36, 52)), value);
            }
            assertNotEquals(first, second, "a new span id per request");
            assertEquals(List.of(CALLERS), sentWith(client, CALLERS));
        }
        // TraceContext with an id that is no W3C trace id: nothing added rather than a rewritten id
        try (TraceContext.Scope scope = TraceContext.withNewTraceId()) {
            assertEquals(List.of(), sentWith(client, null));
        }
    }

    private static String single(List<String> values) {
        assertEquals(1, values.size(), values::toString);
        return values.get(0);
    }

    @Test
    void c25OkHttpInterceptor() throws Exception {
        assertEveryCase(OK_HTTP);
    }

    @Test
    void c25JdkHttpClientRequestBuilderHelper() throws Exception {
        assertEveryCase(JDK);
    }

    @Test
    void jdkHelperNeedsTheUriFirst() {
        assertThrows(IllegalStateException.class, () -> JdkHttpTraceparent.addTo(HttpRequest.newBuilder()));
    }

    @Test
    void c25SpringRestClientInterceptor() throws Exception {
        assertEveryCase(REST_CLIENT);
    }

    @Test
    void c25SpringWebClientFilter() throws Exception {
        assertEveryCase(WEB_CLIENT);
    }
}
