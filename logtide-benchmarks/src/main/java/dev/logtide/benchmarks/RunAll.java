package dev.logtide.benchmarks;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Statistics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs every measurement of docs/performance.md and writes the tables, each figure next to its
 * floor from the same run: the caller-cost and serializer benchmarks through JMH's runner API,
 * the end-to-end, outage and exit checks in child JVMs.
 *
 * <p>Arguments: {@code --long} for more forks and iterations; {@code --only caller,serializer,
 * e2e,outage,exit,burst,spool} to run a subset; {@code --events N} for the end-to-end size (default
 * 1,000,000); {@code --burst-events N} for the burst size (default 200,000); {@code --out FILE}
 * (default {@code target/results.md}).
 */
public final class RunAll {
    private static final String[] JVM_ARGS = {"-Xms1g", "-Xmx1g"};

    private final boolean longRun;
    private final StringBuilder report = new StringBuilder();

    private RunAll(boolean longRun) {
        this.longRun = longRun;
    }

    /**
     * @param args see the class comment
     * @throws Exception when a measurement fails
     */
    public static void main(String[] args) throws Exception {
        boolean longRun = false;
        List<String> all = Arrays.asList("caller", "serializer", "e2e", "outage", "exit", "burst", "spool");
        List<String> only = all;
        int events = 1_000_000;
        int burstEvents = 200_000;
        Path out = Paths.get("target", "results.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--long":
                    longRun = true;
                    break;
                case "--only":
                    only = Arrays.asList(args[++i].split(","));
                    if (!all.containsAll(only)) {
                        throw new IllegalArgumentException("--only takes a comma-separated subset of " + all);
                    }
                    break;
                case "--events":
                    events = Integer.parseInt(args[++i]);
                    break;
                case "--burst-events":
                    burstEvents = Integer.parseInt(args[++i]);
                    break;
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; use --long, --only " + String.join(",", all) + ", --events N, --burst-events N, --out FILE");
            }
        }
        RunAll run = new RunAll(longRun);
        run.header();
        if (only.contains("caller")) {
            run.caller();
        }
        if (only.contains("e2e")) {
            run.endToEnd(events);
        }
        if (only.contains("serializer")) {
            run.serializer();
        }
        if (only.contains("outage")) {
            run.outage();
        }
        if (only.contains("exit")) {
            run.exit();
        }
        if (only.contains("burst")) {
            run.burst(burstEvents);
        }
        if (only.contains("spool")) {
            run.spool();
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, run.report.toString().getBytes(StandardCharsets.UTF_8));
        System.out.println();
        System.out.println(run.report);
        System.out.println("Written to " + out.toAbsolutePath());
    }

    private void header() {
        line("# LogTide benchmark results");
        line("");
        line("- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        line("- CPUs (nproc): " + Runtime.getRuntime().availableProcessors());
        line("- Libraries: Logback " + version("ch.qos.logback", "logback-classic") + ", Log4j2 "
                + version("org.apache.logging.log4j", "log4j-core") + ", SLF4J " + version("org.slf4j", "slf4j-api")
                + ", OkHttp " + okhttp3.OkHttp.VERSION + ", Jackson " + com.fasterxml.jackson.core.json.PackageVersion.VERSION
                + ", JMH " + version("org.openjdk.jmh", "jmh-core")
                + ", loki4j " + peerVersion("loki4j"));
        line("- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        line("- Settings: " + (longRun ? "--long (2 forks, 5 x 2 s warm-up, 10 x 2 s measurement)"
                : "short (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement)") + "; JVM " + String.join(" ", JVM_ARGS));
        line("- Figures: median over measurement iterations, +- the 99.9% confidence half-width JMH reports");
        line("");
    }

    /** @return the version in the jar's Maven metadata, which the shaded jar keeps per artifact */
    private static String version(String group, String artifact) {
        try (java.io.InputStream in = RunAll.class.getResourceAsStream(
                "/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** @return a peer's version as the build recorded it (loki4j's jar carries none) */
    private static String peerVersion(String peer) {
        try (java.io.InputStream in = RunAll.class.getResourceAsStream("/peer-versions.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty(peer, "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private ChainedOptionsBuilder jmh(Class<?> benchmark) {
        return new OptionsBuilder()
                .include(benchmark.getName() + "\\.")
                .forks(longRun ? 2 : 1)
                .warmupIterations(longRun ? 5 : 3)
                .warmupTime(TimeValue.seconds(longRun ? 2 : 1))
                .measurementIterations(longRun ? 10 : 5)
                .measurementTime(TimeValue.seconds(longRun ? 2 : 1))
                .jvmArgsAppend(JVM_ARGS)
                .shouldFailOnError(true);
    }

    private void caller() throws Exception {
        line("## 1. Caller cost per log call (ns, bytes)");
        line("");
        line("`logger.info(\"order {} paid by {} in {} ms\", id, user, ms)` with two MDC entries; `exception`: the same at"
                + " ERROR with a 60-frame exception and a cause. JMH average time, back to back on one thread (sustained"
                + " load: LogTide's buffer is full and entries are dropped). *alloc/call*: the whole JVM's allocation"
                + " per call (`-prof gc`, background threads included); *caller B/call*: the calling thread's own.");
        line("");
        line("| framework | setup | payload | ns/call | x floor | alloc B/call | x floor | caller B/call | x floor |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (Class<?> c : new Class<?>[] {LogbackCaller.class, Log4j2Caller.class, JulCaller.class}) {
            Collection<RunResult> results = new Runner(jmh(c)
                    .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                    .timeUnit(TimeUnit.NANOSECONDS)
                    .addProfiler(GCProfiler.class)
                    .build()).run();
            String framework = c.getSimpleName().replace("Caller", "");
            for (String payload : new String[] {"plain", "exception"}) {
                RunResult floor = find(results, r -> param(r, "setup").equals("floor") && param(r, "payload").equals(payload));
                for (RunResult r : results) {
                    if (!param(r, "payload").equals(payload)) {
                        continue;
                    }
                    Statistics time = perIteration(r, null);
                    Statistics alloc = perIteration(r, "gc.alloc.rate.norm");
                    Statistics caller = perIteration(r, "callerBytesPerCall");
                    line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |", framework,
                            param(r, "setup"), payload, fmt(time), ratio(time, perIteration(floor, null)),
                            fmt(alloc), ratio(alloc, perIteration(floor, "gc.alloc.rate.norm")),
                            fmt(caller), ratio(caller, perIteration(floor, "callerBytesPerCall"))));
                }
            }
        }
        line("");
    }

    private void spool() throws Exception {
        line("## 7. Durable spool (issue 15)");
        line("");
        line("The healthy path with and without `spoolDir`, same run: `call` is one `client.info` back to back (ns/call;"
                + " the buffer fills and drops, as in table 1), `delivered` is 10,000 calls and a flush to a healthy sink in"
                + " another JVM (entries/s). Then spooling itself: 100 encoded entries per append, `Spool` (length + CRC32C"
                + " framing, size bound, segments) against a raw `FileChannel` append of the same payload bytes (entries/s).");
        line("");
        line("| benchmark | setup | figure | x base |");
        line("|---|---|---|---|");
        Collection<RunResult> healthy = new Runner(jmh(SpoolHealthy.class).build()).run();
        for (String method : new String[] {"call", "delivered"}) {
            RunResult memory = find(healthy, r -> r.getParams().getBenchmark().endsWith("." + method)
                    && param(r, "setup").equals("memory"));
            for (RunResult r : healthy) {
                if (r.getParams().getBenchmark().endsWith("." + method)) {
                    Statistics s = perIteration(r, null);
                    line(String.format(Locale.ROOT, "| %s | %s | %s %s | %s |", method, param(r, "setup"), fmt(s),
                            method.equals("call") ? "ns/call" : "entries/s", ratio(s, perIteration(memory, null))));
                }
            }
        }
        Collection<RunResult> writes = new Runner(jmh(SpoolBench.class).build()).run();
        RunResult floor = find(writes, r -> r.getParams().getBenchmark().endsWith(".floor"));
        for (RunResult r : writes) {
            Statistics s = perIteration(r, null);
            String name = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            line(String.format(Locale.ROOT, "| append | %s | %s entries/s | %s |", name.equals("floor") ? "raw FileChannel"
                    : "Spool", fmt(s), ratio(s, perIteration(floor, null))));
        }
        line("");
    }

    private void serializer() throws Exception {
        line("## 3. Serializer (entries per second)");
        line("");
        line("100 entries of the issue's call (logger, thread, two MDC keys) into a `JsonBuffer`: the core's"
                + " `EntryEncoder` against a hand-written Jackson streaming loop writing the same JSON.");
        line("");
        line("| writer | entries/s | x floor | alloc B/entry |");
        line("|---|---|---|---|");
        Collection<RunResult> results = new Runner(jmh(SerializerBench.class).addProfiler(GCProfiler.class).build()).run();
        RunResult floor = find(results, r -> r.getParams().getBenchmark().endsWith(".floor"));
        for (RunResult r : results) {
            Statistics s = perIteration(r, null);
            String name = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s |", name, fmt(s),
                    ratio(s, perIteration(floor, null)), fmt(perIteration(r, "gc.alloc.rate.norm"))));
        }
        line("");
    }

    private void endToEnd(int events) throws Exception {
        line("## 2. End to end (" + events + " events to a local sink in another JVM)");
        line("");
        line("From the first log call until the sink has counted every event, after two warm-up rounds of as many;"
                + " SLF4J + Logback + LogTide appender, `blockWhenFullMs=10000` so that no event is dropped. CPU and"
                + " allocation are the logging JVM's per delivered event (*producers*, *sender*: those threads' own CPU;"
                + " *sink CPU*: the sink's JVM, read from the operating system). The floor posts a prepared body of the same batch size with OkHttp, back to back.");
        line("");
        line("| run | threads | batchSize | events/s | x floor | CPU s / 100k events | x floor | producers | sender"
                + " | sink CPU s / 100k | both JVMs' CPU x floor | alloc B/event | wire B/event | dropped |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int batch : new int[] {100, 1000}) {
            Map<String, String> floor = child(EndToEnd.class, "floor", Integer.toString(events), Integer.toString(batch));
            double floorCpu = Double.parseDouble(floor.get("cpuSecPer100k"));
            double floorBoth = floorCpu + Double.parseDouble(floor.get("sinkCpuSecPer100k"));
            line(String.format(Locale.ROOT, "| floor (OkHttp, prepared body) | 1 | %d | %s | 1.00 | %s | 1.00 | | | %s | 1.00 | | %s | |",
                    batch, floor.get("eventsPerSec"), floor.get("cpuSecPer100k"), floor.get("sinkCpuSecPer100k"),
                    floor.get("wireBytesPerEvent")));
            for (int threads : new int[] {1, 4}) {
                Map<String, String> r = child(EndToEnd.class, "logtide", Integer.toString(events),
                        Integer.toString(threads), Integer.toString(batch));
                double cpu = Double.parseDouble(r.get("cpuSecPer100k"));
                line(String.format(Locale.ROOT,
                        "| LogTide (Logback) | %d | %d | %s | %.2f | %s | %.2f | %s | %s | %s | %.2f | %s | %s | %s |",
                        threads, batch, r.get("eventsPerSec"),
                        Double.parseDouble(r.get("eventsPerSec")) / Double.parseDouble(floor.get("eventsPerSec")),
                        r.get("cpuSecPer100k"), cpu / floorCpu, r.get("producersCpuSecPer100k"),
                        r.get("senderCpuSecPer100k"), r.get("sinkCpuSecPer100k"),
                        (cpu + Double.parseDouble(r.get("sinkCpuSecPer100k"))) / floorBoth,
                        r.get("bytesAllocPerEvent"), r.get("wireBytesPerEvent"), r.get("dropped")));
            }
        }
        line("");
        line("On 2 cores the logging JVM, the sink's JVM and the kernel's loopback share the CPU, so events/s"
                + " follows the CPU both JVMs spend per event: *both JVMs' CPU x floor* is the ratio to beat.");
        line("");
    }

    private void outage() throws Exception {
        line("## 4. Caller latency at a steady 50,000 calls/s, healthy and in an outage (us)");
        line("");
        line("50,000 timed calls after 50,000 warm-up calls, SLF4J + Logback; the floor is the AsyncAppender in front"
                + " of a do-nothing appender. *caller B/call*: the calling thread's allocation per call.");
        line("");
        line("| server | p50 | p99 | p99.9 | max | p99 x healthy | caller B/call | breaker at end | client metrics |");
        line("|---|---|---|---|---|---|---|---|---|");
        Map<String, String> healthy = null;
        for (String mode : new String[] {"floor", "healthy", "refused", "slow"}) {
            Map<String, String> r = child(Outage.class, mode);
            if (mode.equals("healthy")) {
                healthy = r;
            }
            String name = mode.equals("slow") ? "slow (2 s per request)"
                    : mode.equals("floor") ? "floor (AsyncAppender + no-op)" : mode;
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |", name,
                    r.get("p50Us"), r.get("p99Us"), r.get("p999Us"), r.get("maxUs"),
                    healthy == null ? "" : String.format(Locale.ROOT, "%.2f",
                            Double.parseDouble(r.get("p99Us")) / Double.parseDouble(healthy.get("p99Us"))),
                    r.get("callerBytesPerCall"), r.get("breaker"), r.get("metrics").replace('_', ' ')));
        }
        line("");
    }

    private void exit() throws Exception {
        line("## 4b. JVM exit after main returns (Logback never stopped; closeTimeoutMs=5000)");
        line("");
        line("`baseline`: a JVM without LogTide, timed the same way (process teardown and the measurement itself).");
        line("");
        line("| server | ms from main's return to JVM exit | minus baseline | within closeTimeoutMs |");
        line("|---|---|---|---|");
        long baseline = exit("baseline", "baseline", ExitAfterMain.EVENTS)[0];
        line(String.format(Locale.ROOT, "| baseline | %d | 0 |  |", baseline));
        for (String server : new String[] {"refused", "slow"}) {
            long ms = exit("logtide", server, ExitAfterMain.EVENTS)[0];
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s |", server.equals("slow") ? "slow (2 s per request)" : server,
                    ms < 0 ? "did not exit in 60 s" : Long.toString(ms), ms < 0 ? "" : Long.toString(ms - baseline),
                    ms >= 0 && ms - baseline <= 5000 ? "yes" : "no"));
        }
        line("");
    }

    /**
     * Issue 16: LogTide beside loki4j, each at its own defaults, and the floors, all in this run:
     * caller cost (JMH), the unpaced burst, a burst against a rate-limited receiver, the paced
     * latency case and the JVM's exit after {@code main}.
     */
    private void burst(int events) throws Exception {
        line("## 6. Burst: LogTide beside loki4j (issue 16)");
        line("");
        line("Every subject at its own defaults, SLF4J + Logback, the issue's call with two MDC entries; *LogTide large*:"
                + " `maxBufferSize` 300,000 and `maxBufferBytes` 128 MiB. loki4j posts its default JSON to the sink's Loki"
                + " route (answered 204, entries counted as for LogTide). Each subject runs in a fresh JVM (" + String.join(" ", JVM_ARGS)
                + "), the sink in another.");
        line("");
        burstCaller();
        Map<String, String> ceiling = child(EndToEnd.class, "floor", Integer.toString(events), "1000");
        line("### 6b. Unpaced burst: " + String.format(Locale.ROOT, "%,d", events) + " INFO events from one thread");
        line("");
        line("After a warm-up round of as many. *delivered*: counted by the sink; *events/s*: delivered / (first call ->"
                + " the sink's last delivery); *calls/s*: the logging thread's own rate; *peak RSS*: the logging JVM's"
                + " `VmHWM` at the end (warm-up included); *CPU*: the logging JVM's process CPU time from the first call"
                + " to the end of delivery, per delivered event (the floor: per call). The sink ceiling is a prepared body"
                + " of 1,000 LogTide entries posted back to back (OkHttp, the end-to-end floor). Ratios are against loki4j"
                + " in this run.");
        line("");
        line("| subject | delivered | events/s | x loki4j | x sink ceiling | calls/s | peak RSS MiB | x loki4j"
                + " | CPU us / event | x loki4j | requests | dropped (reason:count) |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        line(String.format(Locale.ROOT, "| sink ceiling (1,000-entry bodies) | | %s | | 1.00 | | | | %.2f | | %d | |",
                ceiling.get("eventsPerSec"), Double.parseDouble(ceiling.get("cpuSecPer100k")) * 10,
                events / 1000));
        String[] subjects = {"floor", "loki4j", "logtide", "logtideLarge"};
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String subject : subjects) {
            results.put(subject, burstRun(subject, events, 0, 1, 10_000));
        }
        Map<String, String> peer = results.get("loki4j");
        for (String subject : subjects) {
            Map<String, String> r = results.get(subject);
            boolean floor = subject.equals("floor");
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", name(subject),
                    floor ? "" : share(r, events), floor ? "" : r.get("eventsPerSec"),
                    floor ? "" : ratio(r, peer, "eventsPerSec"), floor ? "" : ratio(r, ceiling, "eventsPerSec"),
                    r.get("callsPerSec"), r.get("peakRssMiB"), ratio(r, peer, "peakRssMiB"),
                    r.get("cpuUsPerEvent"), ratio(r, peer, "cpuUsPerEvent"), floor ? "" : r.get("requests"),
                    r.get("dropped").equals("-") ? "" : r.get("dropped")));
        }
        line("");

        line("### 6c. Burst against a rate-limited receiver: " + String.format(Locale.ROOT, "%,d", events) + " events, cold");
        line("");
        line("The sink limits like the LogTide server: a fixed 60 s window per client address, then 429 with `retry-after`"
                + " (seconds to the window's end) and the server's body. 1,000 requests a minute is the server's default;"
                + " 100 stands for a budget mostly spent by other senders behind the same address. No warm-up round (it"
                + " would spend the window); the run waits until all is delivered or accounted for, or nothing has"
                + " arrived for 70 s (at most 5 minutes). *seconds*: first call -> the sink's last delivery.");
        line("");
        line("| subject | limit / min | delivered | seconds | requests accepted | 429 answers | dropped (reason:count) |");
        line("|---|---|---|---|---|---|---|");
        String[][] limited = {{"1000", "loki4j"}, {"1000", "logtide"}, {"1000", "logtideLarge"}, {"100", "loki4j"},
                {"100", "logtideLarge"}};
        for (String[] c : limited) {
            Map<String, String> r = burstRun(c[1], events, Integer.parseInt(c[0]), 0, 70_000);
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |", name(c[1]), c[0], share(r, events),
                    r.get("seconds"), r.get("requests"), r.get("rejected"), r.get("dropped").equals("-") ? "" : r.get("dropped")));
        }
        line("");

        line("### 6d. Caller latency at a steady 50,000 calls/s (us)");
        line("");
        line("Section 4's case (50,000 timed calls after 150,000 warm-up calls) for both libraries; the floor is the"
                + " AsyncAppender in front of a do-nothing appender.");
        line("");
        line("| subject | server | p50 | p99 | p99.9 | max | p99 x floor | caller B/call |");
        line("|---|---|---|---|---|---|---|---|");
        Map<String, String> floor = child(Outage.class, "floor");
        line(String.format(Locale.ROOT, "| floor (AsyncAppender + no-op) | | %s | %s | %s | %s | 1.00 | %s |", floor.get("p50Us"),
                floor.get("p99Us"), floor.get("p999Us"), floor.get("maxUs"), floor.get("callerBytesPerCall")));
        for (String server : new String[] {"healthy", "refused", "slow"}) {
            for (String subject : new String[] {"logtide", "loki4j"}) {
                Map<String, String> r = child(Outage.class, server, subject);
                line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |", name(subject),
                        server.equals("slow") ? "slow (2 s per request)" : server, r.get("p50Us"), r.get("p99Us"),
                        r.get("p999Us"), r.get("maxUs"), ratio(r, floor, "p99Us"), r.get("callerBytesPerCall")));
            }
        }
        line("");

        line("### 6e. JVM exit after main returns (Logback never stopped)");
        line("");
        line("The program logs N events, sleeps 300 ms and returns from `main`; the time is from its return to the JVM's"
                + " exit, minus a JVM without a logging library timed the same way. *delivered*: what the sink had counted"
                + " when the JVM was gone (none can arrive when refused). 2,000 is a whole number of both libraries'"
                + " largest batches (1,000); 2,500 leaves a partial batch waiting. LogTide's `closeTimeoutMs` is 5,000.");
        line("");
        line("| subject | server | N | ms to exit (minus baseline) | delivered | lost |");
        line("|---|---|---|---|---|---|");
        long baseline = exit("baseline", "baseline", 0)[0];
        String[][] cases = {{"healthy", "2000"}, {"healthy", "2500"}, {"refused", "2500"}, {"slow", "2500"}};
        for (String[] c : cases) {
            for (String subject : new String[] {"logtide", "loki4j"}) {
                int n = Integer.parseInt(c[1]);
                long[] r = exit(subject, c[0], n);
                long delivered = Math.max(0, r[1]);
                line(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %,d | %,d |", name(subject),
                        c[0].equals("slow") ? "slow (2 s per request)" : c[0], n,
                        r[0] < 0 ? "did not exit in 60 s" : Long.toString(r[0] - baseline), delivered, n - delivered));
            }
        }
        line("");
    }

    private void burstCaller() throws Exception {
        line("### 6a. Caller cost per log call (ns, bytes)");
        line("");
        line("Section 1's call back to back on one thread (JMH average time): *noop*: a do-nothing appender on the calling"
                + " thread; *floor*: Logback's AsyncAppender in front of it; LogTide and loki4j ship to a healthy sink."
                + " *alloc/call*: the whole JVM's allocation per call; *caller B/call*: the calling thread's own.");
        line("");
        line("| setup | payload | ns/call | x floor | x loki4j | alloc B/call | x loki4j | caller B/call | x loki4j |");
        line("|---|---|---|---|---|---|---|---|---|");
        Collection<RunResult> results = new Runner(jmh(PeerCaller.class)
                .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .addProfiler(GCProfiler.class)
                .build()).run();
        for (String payload : new String[] {"plain", "exception"}) {
            RunResult floor = find(results, r -> param(r, "setup").equals("floor") && param(r, "payload").equals(payload));
            RunResult peer = find(results, r -> param(r, "setup").equals("loki4j") && param(r, "payload").equals(payload));
            for (RunResult r : results) {
                if (!param(r, "payload").equals(payload)) {
                    continue;
                }
                Statistics time = perIteration(r, null);
                Statistics alloc = perIteration(r, "gc.alloc.rate.norm");
                Statistics caller = perIteration(r, "callerBytesPerCall");
                line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |", param(r, "setup"),
                        payload, fmt(time), ratio(time, perIteration(floor, null)), ratio(time, perIteration(peer, null)),
                        fmt(alloc), ratio(alloc, perIteration(peer, "gc.alloc.rate.norm")),
                        fmt(caller), ratio(caller, perIteration(peer, "callerBytesPerCall"))));
            }
        }
        line("");
    }

    /** Runs {@link Burst} for one subject against a fresh sink (none for the floor). */
    private static Map<String, String> burstRun(String subject, int events, int requestsPerMinute, int warmUps,
                                                long quietMs) throws Exception {
        if (subject.equals("floor")) {
            return child(Burst.class, subject, Integer.toString(events), "-", Integer.toString(warmUps), "0");
        }
        try (SinkProcess sink = SinkProcess.start(0, requestsPerMinute)) {
            return child(Burst.class, subject, Integer.toString(events), sink.url(), Integer.toString(warmUps),
                    Long.toString(quietMs));
        }
    }

    private static String name(String subject) {
        switch (subject) {
            case "floor":
                return "floor (AsyncAppender + no-op)";
            case "loki4j":
                return "loki4j, defaults";
            case "logtide":
                return "LogTide, defaults";
            case "logtideLarge":
                return "LogTide large";
            default:
                return subject;
        }
    }

    private static String share(Map<String, String> r, int events) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * Long.parseLong(r.get("delivered")) / events)
                + (Boolean.parseBoolean(r.get("complete")) ? "" : " (stalled)");
    }

    private static String ratio(Map<String, String> r, Map<String, String> base, String key) {
        try {
            double b = Double.parseDouble(base.get(key));
            return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", Double.parseDouble(r.get(key)) / b);
        } catch (NumberFormatException | NullPointerException e) {
            return "n/a";
        }
    }

    /**
     * Runs {@link ExitAfterMain} once.
     *
     * @param subject {@code baseline}, {@code logtide} or {@code loki4j}
     * @param server  {@code refused}, {@code healthy} or {@code slow} (a sink run by this JVM)
     * @param events  events the program logs before {@code main} returns
     * @return milliseconds from the child's MAIN_RETURNS line to its exit (-1 when it hangs), and
     *         the entries the sink counted (-1 without a sink)
     */
    private static long[] exit(String subject, String server, int events) throws Exception {
        if (server.equals("refused") || subject.equals("baseline")) {
            return new long[] {exitMillis(command(ExitAfterMain.class, subject, "refused", Integer.toString(events))), -1};
        }
        try (SinkProcess sink = SinkProcess.start(server.equals("slow") ? 2000 : 0)) {
            long ms = exitMillis(command(ExitAfterMain.class, subject, sink.url(), Integer.toString(events)));
            return new long[] {ms, sink.totals()[0]};
        }
    }

    private static long exitMillis(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long returned = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                if (l.equals("MAIN_RETURNS")) {
                    returned = System.nanoTime();
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || returned < 0) {
            p.destroyForcibly();
            return -1;
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - returned);
    }

    /** Runs a main class in a child JVM and returns the key=value pairs of its RESULT line. */
    private static Map<String, String> child(Class<?> main, String... args) throws Exception {
        Process p = new ProcessBuilder(command(main, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> result = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                System.out.println("  [" + main.getSimpleName() + "] " + l);
                if (l.startsWith("RESULT ")) {
                    result = new LinkedHashMap<>();
                    for (String kv : l.substring(7).trim().split(" ")) {
                        int eq = kv.indexOf('=');
                        result.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException(main.getSimpleName() + " " + String.join(" ", args) + " failed");
        }
        return result;
    }

    private static List<String> command(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SinkProcess.javaBinary());
        cmd.addAll(Arrays.asList(JVM_ARGS));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private static RunResult find(Collection<RunResult> results, Predicate<RunResult> p) {
        return results.stream().filter(p).findFirst().orElseThrow(() -> new IllegalStateException("no floor result"));
    }

    private static String param(RunResult r, String name) {
        String v = r.getParams().getParam(name);
        return v == null ? "" : v;
    }

    /**
     * The per-iteration values of one result over all forks. JMH's own aggregate of an aux counter
     * is the sum over iterations, not a typical value, so every figure is taken from here.
     *
     * @param suffix the end of a secondary result's label, or {@code null} for the primary result
     */
    private static Statistics perIteration(RunResult r, String suffix) {
        ListStatistics s = new ListStatistics();
        for (BenchmarkResult fork : r.getBenchmarkResults()) {
            for (IterationResult it : fork.getIterationResults()) {
                if (suffix == null) {
                    s.addValue(it.getPrimaryResult().getScore());
                    continue;
                }
                for (Map.Entry<String, Result> e : it.getSecondaryResults().entrySet()) {
                    if (e.getKey().endsWith(suffix)) {
                        s.addValue(e.getValue().getScore());
                    }
                }
            }
        }
        return s.getN() == 0 ? null : s;
    }

    private static String fmt(Statistics s) {
        if (s == null) {
            return "n/a";
        }
        double error = s.getN() > 1 ? s.getMeanErrorAt(0.999) : Double.NaN;
        return Double.isNaN(error) ? num(s.getPercentile(50)) : num(s.getPercentile(50)) + " +- " + num(error);
    }

    private static String ratio(Statistics s, Statistics floor) {
        if (s == null || floor == null || floor.getPercentile(50) == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", s.getPercentile(50) / floor.getPercentile(50));
    }

    private static String num(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private void line(String s) {
        report.append(s).append('\n');
    }
}
