package dev.logtide.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark sink counts what the subjects really send and limits like the LogTide server;
 * every figure of the burst comparison rests on these counts. Real HTTP on loopback.
 */
class SinkTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(Sink sink, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long[] totals(Sink sink) throws Exception {
        return SinkProcess.totals("http://127.0.0.1:" + sink.port());
    }

    @Test
    void countsLogTideAndLokiEntriesWhateverTheyContain() throws Exception {
        try (Sink sink = new Sink(0, 0)) {
            HttpResponse<String> logtide = post(sink, "/api/v1/ingest",
                    "{\"logs\":[{\"message\":\"a { [ \\\" }\",\"metadata\":{\"k\":[{\"x\":1}]}},{\"message\":\"b\"}]}");
            assertEquals(200, logtide.statusCode());
            assertEquals("{\"received\":2}", logtide.body());

            HttpResponse<String> loki = post(sink, "/loki/api/v1/push", "{\"streams\":["
                    + "{\"stream\":{\"app\":\"x\"},\"values\":[[\"1\",\"line [ { \\\"\"],[\"2\",\"l\",{\"level\":\"INFO\"}]]},"
                    + "{\"stream\":{\"app\":\"y\"},\"values\":[[\"3\",\"]]]\"]]}]}");
            assertEquals(204, loki.statusCode());

            long[] t = totals(sink);
            assertEquals(5, t[0], "entries");
            assertEquals(2, t[1], "requests");
            assertEquals(0, t[3], "429 answers");
            assertTrue(t[4] > 0, "time of the last delivery");
        }
    }

    @Test
    void answers429WithRetryAfterOverTheLimitAndCountsNothingOfIt() throws Exception {
        try (Sink sink = new Sink(0, 3)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> ok = post(sink, "/api/v1/ingest", "{\"logs\":[{\"message\":\"m\"}]}");
                assertEquals(200, ok.statusCode());
                assertEquals("3", ok.headers().firstValue("x-ratelimit-limit").orElse(null));
                assertEquals(Integer.toString(2 - i), ok.headers().firstValue("x-ratelimit-remaining").orElse(null));
            }
            HttpResponse<String> limited = post(sink, "/api/v1/ingest", "{\"logs\":[{\"message\":\"m\"}]}");
            assertEquals(429, limited.statusCode());
            assertEquals("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded,"
                    + " retry in 1 minute\"}", limited.body());
            long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElse("-1"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after in whole seconds to the window's end: " + retryAfter);
            assertEquals("0", limited.headers().firstValue("x-ratelimit-remaining").orElse(null));

            long[] t = totals(sink);
            assertEquals(3, t[0], "entries");
            assertEquals(3, t[1], "requests counted");
            assertEquals(1, t[3], "429 answers");
        }
    }

    /** loki4j's own output at its defaults, from the benchmark's logback-loki4j.xml. */
    @Test
    void countsEveryEntryLoki4jSends() throws Exception {
        try (Sink sink = new Sink(0, 0)) {
            System.setProperty("logtide.bench.url", "http://127.0.0.1:" + sink.port());
            LoggerContext context = LogbackSetup.configure("/logback-loki4j.xml");
            Logger logger = LoggerFactory.getLogger(Fixtures.LOGGER);
            for (int i = 0; i < 2500; i++) {
                logger.info(Fixtures.PATTERN, i, "alice@example.com", i % 1000);
            }
            logger.error("failed", Fixtures.exception());
            context.stop(); // loki4j drains on stop
            assertEquals(2501, totals(sink)[0]);
        } finally {
            System.clearProperty("logtide.bench.url");
        }
    }
}
