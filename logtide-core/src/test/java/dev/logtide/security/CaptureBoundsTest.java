package dev.logtide.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogTideClient;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22 rows 6 and 7: a value the SDK cannot render in bounded time never stops delivery of
 * anything else (it is rendered on the calling thread), and a top-level map whose iterator never
 * ends is copied to a bound: the call returns.
 */
class CaptureBoundsTest {
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
    void aToStringThatNeverReturnsHoldsOnlyItsOwnCall() throws Exception {
        LogTideClient c = new LogTideClient(t.options(server.url(), IngestServer.API_KEY).batchSize(1).flushIntervalMs(10).build());
        CountDownLatch release = new CountDownLatch(1);
        Object stuck = new Object() {
            @Override
            public String toString() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "finally";
            }
        };
        Thread caller = new Thread(() -> c.info(null, "stuck value", Collections.singletonMap("v", stuck)));
        caller.start();
        for (int i = 0; i < 7; i++) {
            c.info(null, "other " + i);
        }
        assertEquals(7, server.awaitEntries(7, Duration.ofSeconds(10)).size(), "delivery goes on meanwhile");
        release.countDown();
        caller.join(5_000);
        assertEquals(8, server.awaitEntries(8, Duration.ofSeconds(10)).size());
        assertEquals("finally", server.entryWithMessage("stuck value").path("metadata").path("v").asText());
        c.close(2, TimeUnit.SECONDS);
        assertEquals(8, c.getMetrics().logsSent());
    }

    @Test
    void aMapWhoseIteratorNeverEndsIsCopiedToABound() {
        Map<String, Object> endless = new AbstractMap<String, Object>() {
            @Override
            public Set<Entry<String, Object>> entrySet() {
                return new AbstractSet<Entry<String, Object>>() {
                    @Override
                    public Iterator<Entry<String, Object>> iterator() {
                        return new Iterator<Entry<String, Object>>() {
                            private long n;

                            @Override
                            public boolean hasNext() {
                                return true;
                            }

                            @Override
                            public Entry<String, Object> next() {
                                return new SimpleEntry<>("k" + n++, n);
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return Integer.MAX_VALUE;
                    }
                };
            }
        };
        LogTideClient c = t.client(server.url(), IngestServer.API_KEY);
        c.info(null, "endless", endless);
        c.flush(10, TimeUnit.SECONDS);
        JsonNode metadata = server.entryWithMessage("endless").path("metadata");
        assertTrue(metadata.has("k999") && !metadata.has("k1000"), metadata.toString().substring(0, 200));
        assertTrue(metadata.path("_more").asText().endsWith("more keys"), metadata.path("_more").toString());
        c.close(1, TimeUnit.SECONDS);
    }
}
