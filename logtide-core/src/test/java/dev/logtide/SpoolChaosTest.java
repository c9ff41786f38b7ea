package dev.logtide;

import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable spool's chaos suite (issue 15): child JVMs ({@link SpoolChaosChild}) logging into
 * an outage (a loopback port nobody listens on), exiting, killed with SIGKILL, sharing a
 * directory; then a run against a real HTTP receiver on loopback that drains what they left.
 */
class SpoolChaosTest {
    private static final long MAX_SPOOL = 100L * 1024 * 1024;
    private static final Pattern METRICS = Pattern.compile("METRICS (.*)");

    @TempDir
    Path dir;

    /** @return a URL on which the connection is refused: a port that was free a moment ago */
    private static String downUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private ChildJvm.Result run(String mode, String url, int count, String prefix, long maxSpool) throws Exception {
        ChildJvm.Result r = ChildJvm.run(SpoolChaosChild.class, Collections.emptyList(),
                Arrays.asList(mode, url, dir.toString(), String.valueOf(count), prefix, String.valueOf(maxSpool)), 120_000);
        assertEquals(0, r.exitCode, r.toString());
        return r;
    }

    private ChildJvm.Running start(String mode, String url, int count, String prefix) throws IOException {
        return ChildJvm.start(SpoolChaosChild.class, Collections.emptyList(),
                Arrays.asList(mode, url, dir.toString(), String.valueOf(count), prefix, String.valueOf(MAX_SPOOL)),
                Collections.emptyMap());
    }

    private static Map<String, Long> metrics(String output) {
        Matcher m = METRICS.matcher(output);
        assertTrue(m.find(), output);
        Map<String, Long> values = new HashMap<>();
        for (String pair : m.group(1).trim().split(" ")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }

    /** @return how often each message arrived */
    private static Map<String, Long> arrivals(IngestServer server) {
        return server.entries().stream().collect(Collectors.groupingBy(e -> e.path("message").asText(), Collectors.counting()));
    }

    private static void assertAccounted(int logged, Map<String, Long> m) {
        assertEquals(logged, m.get("sent") + m.get("dropped") - m.get("drained") + m.get("buffered") + m.get("spooled"),
                "logged = sent + dropped - drained + buffered + spooled: " + m);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".seg")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void fiftyThousandLoggedIntoAnOutageAreDeliveredByTheNextRunWithTenMoreAndNoDuplicate() throws Exception {
        ChildJvm.Result outage = run("outage", downUrl(), 50_000, "first ", MAX_SPOOL);
        Map<String, Long> first = metrics(outage.output);
        assertEquals(50_000, first.get("spooled"), outage.toString());
        assertEquals(0, first.get("dropped"), outage.toString());
        assertAccounted(50_000, first);
        System.out.println("[spool] 50,000 entries logged into an outage, paced to what the spool takes, in "
                + first.get("loggedMs") + " ms");

        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result drain = run("drain", server.url(), 10, "second ", MAX_SPOOL);
            Map<String, Long> second = metrics(drain.output);
            assertEquals(50_000, second.get("drained"), drain.toString());
            assertEquals(50_010, second.get("sent"), drain.toString());
            assertEquals(0, second.get("pending"));
            assertAccounted(10, second);
            Map<String, Long> arrived = arrivals(server);
            assertEquals(50_010, arrived.size(), "distinct entries");
            assertEquals(50_010, server.entries().size(), "no duplicate");
            for (int i = 0; i < 50_000; i++) {
                assertEquals(1L, arrived.get("first " + i), "first " + i);
            }
            assertEquals("first 0", server.entries().get(0).path("message").asText(), "oldest first");
            assertTrue(server.requests().stream().allMatch(r -> r.getBodySize() > 0));
        }
        assertEquals(List.of(), segments(), "acknowledged segments are deleted");
    }

    @Test
    void killedWhileLoggingIntoAnOutageEverythingSpooledBeforeTheKillArrives() throws Exception {
        long spooledBeforeKill;
        try (ChildJvm.Running child = start("kill", downUrl(), 0, "k ")) {
            child.awaitOutput(Pattern.compile("SPOOLED ([2-9]\\d{4}|\\d{6,})"), 60_000);
            ChildJvm.Result killed = child.kill(10_000);
            Matcher last = Pattern.compile("SPOOLED (\\d+)").matcher(killed.output);
            long n = 0;
            while (last.find()) {
                n = Long.parseLong(last.group(1));
            }
            spooledBeforeKill = n;
        }
        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result drain = run("drain", server.url(), 0, "unused ", MAX_SPOOL);
            Map<String, Long> m = metrics(drain.output);
            Map<String, Long> arrived = arrivals(server);
            // The spool holds a prefix of what was logged (nothing was dropped: the child is paced),
            // so every entry below the count the child saw spooled must be there.
            for (int i = 0; i < spooledBeforeKill; i++) {
                assertTrue(arrived.containsKey("k " + i), "k " + i + " of " + spooledBeforeKill + " spooled before the kill");
            }
            long duplicates = server.entries().size() - arrived.size();
            System.out.println("[spool] kill -9: " + spooledBeforeKill + " spooled as last seen, " + arrived.size()
                    + " delivered, " + duplicates + " duplicates, " + m.get("corrupt") + " torn");
            assertTrue(duplicates <= 1000, "duplicates within the documented bound (one drain batch): " + duplicates);
            assertTrue(m.get("corrupt") <= 1, "at most the record being written when killed: " + m);
            assertEquals((long) server.entries().size(), m.get("drained"), m.toString());
        }
    }

    @Test
    void killedWhileDrainingTheNextRunDeliversTheRestDuplicatingAtMostTheBatchInFlight() throws Exception {
        run("outage", downUrl(), 20_000, "d ", MAX_SPOOL);
        try (IngestServer server = new IngestServer()) {
            server.respondWith(batch -> {
                try {
                    Thread.sleep(50); // a slow server: the kill falls while a drain batch is in flight or just answered
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return IngestServer.accept(batch);
            });
            try (ChildJvm.Running child = start("drain", server.url(), 0, "unused ")) {
                while (server.entries().size() < 5_000) {
                    Thread.sleep(5);
                }
                child.kill(10_000);
            }
            server.respondWith(IngestServer::accept);
            Map<String, Long> m = metrics(run("drain", server.url(), 0, "unused ", MAX_SPOOL).output);
            Map<String, Long> arrived = arrivals(server);
            for (int i = 0; i < 20_000; i++) {
                assertTrue(arrived.containsKey("d " + i), "d " + i);
            }
            long duplicates = server.entries().size() - arrived.size();
            System.out.println("[spool] kill -9 while draining: " + duplicates + " duplicates");
            assertTrue(duplicates <= 1000, "at most the drain batch in flight: " + duplicates);
            assertEquals(0, m.get("corrupt"));
        }
    }

    @Test
    void aTruncatedLastRecordIsSkippedAndCountedAndTheRestIsDelivered() throws Exception {
        run("outage", downUrl(), 1000, "t ", MAX_SPOOL);
        List<Path> segments = segments();
        Path last = segments.get(segments.size() - 1);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(f.length() - 7); // the process died in the middle of the last record
        }
        try (IngestServer server = new IngestServer()) {
            Map<String, Long> m = metrics(run("drain", server.url(), 5, "after ", MAX_SPOOL).output);
            assertEquals(1, m.get("corrupt"), m.toString());
            Map<String, Long> arrived = arrivals(server);
            assertEquals(1004, arrived.size(), "999 spooled and 5 new");
            assertEquals(1004, server.entries().size(), "no duplicate");
            long spooled = arrived.keySet().stream().filter(k -> k.startsWith("t ")).count();
            assertEquals(999, spooled, "all but the torn one");
        }
    }

    @Test
    void aFullSpoolCountsItsDropsWithTheirReasonAndTheApplicationRunsOn() throws Exception {
        ChildJvm.Result r = run("flood", downUrl(), 0, "f ", 64 * 1024);
        Map<String, Long> m = metrics(r.output);
        assertTrue(m.get("spoolFull") > 0, r.toString());
        assertTrue(m.get("spooled") > 0 && m.get("spooled") < 1000, "64 KiB holds a few hundred entries: " + m);
        assertEquals(0, m.get("spoolUnavailable"));
        long logged = m.get("sent") + m.get("dropped") - m.get("drained") + m.get("buffered") + m.get("spooled");
        assertTrue(logged > m.get("spooled"), m.toString());
        assertEquals(1, count(r.output, "is full (maxSpoolBytes)"), r.output);
        assertEquals(0, count(r.output, "Exception in thread"), r.output);
        assertEquals(0, count(r.output, "\tat "), "no stack trace: " + r.output);
    }

    @Test
    void twoJvmsOnOneDirectoryTheSecondRunsInMemoryAndTheFirstsSpoolIsIntact() throws Exception {
        String down = downUrl();
        try (ChildJvm.Running holder = start("hold", down, 500, "a ")) {
            holder.awaitOutput(Pattern.compile("HELD"), 60_000);
            ChildJvm.Result second = run("outage", down, 300, "b ", MAX_SPOOL);
            Map<String, Long> b = metrics(second.output);
            assertEquals(0, b.get("spooled"), second.toString());
            assertEquals(1, count(second.output, "in use by another process"), second.output);
            assertAccounted(300, b);
            assertEquals(300, b.get("dropped"), "in memory only, and the server down: " + b);
            Files.createFile(dir.resolve("release"));
            ChildJvm.Result first = holder.awaitExit(60_000);
            assertEquals(500, metrics(first.output).get("spooled"), first.toString());
        }
        try (IngestServer server = new IngestServer()) {
            Map<String, Long> m = metrics(run("drain", server.url(), 0, "unused ", MAX_SPOOL).output);
            assertEquals(0, m.get("corrupt"));
            Map<String, Long> arrived = arrivals(server);
            assertEquals(500, server.entries().size());
            for (int i = 0; i < 500; i++) {
                assertEquals(1L, arrived.get("a " + i), "a " + i);
            }
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
