package dev.logtide.query;

import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.logtide.query.ServerShapes.KEY;
import static dev.logtide.query.ServerShapes.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live-tail latency (log time to callback) against a MockWebServer that behaves like the server's
 * stream: it polls once a second and sends each poll's logs newest first, re-sending the previous
 * poll's newest log. The figures are printed (docs/query.md quotes them); the only assert on time
 * is a generous upper bound.
 */
class LiveTailLatencyTest {
    private static final long POLL_MS = 1000;
    private static final long RUN_MS = 6000;

    @StartStop
    final MockWebServer server = new MockWebServer();

    @Test
    void latencyFromLogTimeToCallbackIsSetByTheServersPoll() throws Exception {
        Routes routes = new Routes();
        server.setDispatcher(routes);
        SseStream stream = new SseStream();
        routes.stream(stream);
        stream.connected(Instant.now().toString());

        List<Long> latencies = new CopyOnWriteArrayList<>();
        List<Long> added = new CopyOnWriteArrayList<>();
        List<Instant> times = new CopyOnWriteArrayList<>();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        QueryClient client = new QueryClient(new OkHttpClient(), server.url("/").toString(), KEY, null);
        LiveTail tail = client.stream(record -> {
            long now = System.currentTimeMillis();
            latencies.add(now - record.time().toEpochMilli());
            added.add(now - sentAt.get(record.id()));
            times.add(record.time());
        }, null, LiveTailOptions.defaults());
        try {
            int produced = produceAndPoll(stream, sentAt);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (latencies.size() < produced && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(produced, latencies.size(), "every log once");
        } finally {
            tail.close();
            routes.finishStreams();
        }
        List<Instant> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        assertEquals(sorted, times, "in time order");

        List<Long> floor = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            floor.add(latencies.get(i) - added.get(i));
        }
        System.out.println("live tail latency (MockWebServer, 1 s poll), log time to callback: " + percentiles(latencies)
                + "; of which the server's poll (log time to sent, the floor): " + percentiles(floor)
                + "; added by the SDK (sent to callback): " + percentiles(added));
        List<Long> total = new ArrayList<>(latencies);
        Collections.sort(total);
        assertTrue(total.get((int) Math.ceil(total.size() * 0.95) - 1) < 5000, "p95 " + percentiles(latencies));
    }

    private static String percentiles(List<Long> values) {
        List<Long> ms = new ArrayList<>(values);
        Collections.sort(ms);
        return "n=" + ms.size() + " p50=" + ms.get(ms.size() / 2) + " ms p95=" + ms.get((int) Math.ceil(ms.size() * 0.95) - 1)
                + " ms max=" + ms.get(ms.size() - 1) + " ms";
    }

    /** Logs about 20 a second and sends them as the server does; @return how many were logged */
    private static int produceAndPoll(SseStream stream, Map<String, Long> sentAt) throws InterruptedException {
        List<String> stored = new ArrayList<>();
        String previousNewest = null;
        int n = 0;
        long start = System.currentTimeMillis();
        long nextPoll = start + POLL_MS;
        while (System.currentTimeMillis() - start < RUN_MS) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 80));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            stored.add(log(++n, now.toString(), "info", "latency " + n));
            if (System.currentTimeMillis() >= nextPoll) {
                nextPoll += POLL_MS;
                List<String> poll = new ArrayList<>(stored);
                stored.clear();
                long sent = System.currentTimeMillis();
                for (int i = n - poll.size() + 1; i <= n; i++) {
                    sentAt.put(ServerShapes.uuid(i), sent);
                }
                Collections.reverse(poll);
                if (previousNewest != null) {
                    stream.log(previousNewest);
                }
                poll.forEach(stream::log);
                stream.heartbeat();
                previousNewest = poll.get(0);
            }
        }
        List<String> last = new ArrayList<>(stored);
        long sent = System.currentTimeMillis();
        for (int i = n - last.size() + 1; i <= n; i++) {
            sentAt.put(ServerShapes.uuid(i), sent);
        }
        Collections.reverse(last);
        last.forEach(stream::log);
        return n;
    }
}
