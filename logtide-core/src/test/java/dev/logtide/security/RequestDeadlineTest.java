package dev.logtide.security;

import dev.logtide.LogTideClient;
import dev.logtide.testing.IngestServer;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 22 row 4: a server that trickles bytes cannot hold delivery: every ingest request has an overall deadline. */
class RequestDeadlineTest {
    private IngestServer server;
    private final SecurityTesting t = new SecurityTesting();

    @BeforeEach
    void start() {
        server = new IngestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anErrorBodyThatTricklesInEndsAtTheRequestDeadline() {
        // One byte a second: readTimeoutMs never fires, only the overall deadline can.
        server.respondWith(batch -> new MockResponse.Builder().code(500).body("x".repeat(100))
                .throttleBody(1, 1, TimeUnit.SECONDS).build());
        check("HTTP 500"); // the status came; reading the rest of the body was cut at the deadline
    }

    @Test
    void headersThatNeverComeEndAtTheRequestDeadline() {
        server.respondWith(batch -> new MockResponse.Builder().code(200).body("{}")
                .headersDelay(1, TimeUnit.HOURS).build());
        check("longer than requestTimeoutMs (500 ms)");
    }

    private void check(String said) {
        LogTideClient c = new LogTideClient(t.options(server.url(), IngestServer.API_KEY)
                .requestTimeoutMs(500).readTimeoutMs(60_000).build());
        c.info(null, "held");
        long started = System.nanoTime();
        c.flush(30, TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMs < 10_000, "the flush took " + tookMs + " ms");
        assertTrue(c.getMetrics().errors() >= 1, c.getMetrics()::toString);
        assertTrue(t.said.stream().anyMatch(s -> s.contains(said)), t.said::toString);
        c.close(500, TimeUnit.MILLISECONDS);
    }
}
