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
 * e2e,outage,exit} to run a subset; {@code --events N} for the end-to-end size (default 1,000,000);
 * {@code --out FILE} (default {@code target/results.md}).
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
        List<String> all = Arrays.asList("caller", "serializer", "e2e", "outage", "exit");
        List<String> only = all;
        int events = 1_000_000;
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
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + "; use --long, --only caller,serializer,e2e,outage,exit, --events N, --out FILE");
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
                + ", JMH " + version("org.openjdk.jmh", "jmh-core"));
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
                + " allocation are the logging JVM's per delivered event (*producers*, *sender*: those threads' own CPU)."
                + " The floor posts a prepared body of the same batch size with OkHttp, back to back.");
        line("");
        line("| run | threads | batchSize | events/s | x floor | CPU s / 100k events | producers | sender | alloc B/event"
                + " | wire B/event | dropped |");
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int batch : new int[] {100, 1000}) {
            Map<String, String> floor = child(EndToEnd.class, "floor", Integer.toString(events), Integer.toString(batch));
            line(String.format(Locale.ROOT, "| floor (OkHttp, prepared body) | 1 | %d | %s | 1.00 | %s | | | | %s | |", batch,
                    floor.get("eventsPerSec"), floor.get("cpuSecPer100k"), floor.get("wireBytesPerEvent")));
            for (int threads : new int[] {1, 4}) {
                Map<String, String> r = child(EndToEnd.class, "logtide", Integer.toString(events),
                        Integer.toString(threads), Integer.toString(batch));
                line(String.format(Locale.ROOT, "| LogTide (Logback) | %d | %d | %s | %.2f | %s | %s | %s | %s | %s | %s |",
                        threads, batch, r.get("eventsPerSec"),
                        Double.parseDouble(r.get("eventsPerSec")) / Double.parseDouble(floor.get("eventsPerSec")),
                        r.get("cpuSecPer100k"), r.get("producersCpuSecPer100k"), r.get("senderCpuSecPer100k"),
                        r.get("bytesAllocPerEvent"), r.get("wireBytesPerEvent"), r.get("dropped")));
            }
        }
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
        long baseline = -1;
        for (String mode : new String[] {"baseline", "refused", "slow"}) {
            long ms = exitMillis(mode);
            if (mode.equals("baseline")) {
                baseline = ms;
            }
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s |", mode.equals("slow") ? "slow (2 s per request)" : mode,
                    ms < 0 ? "did not exit in 60 s" : Long.toString(ms), ms < 0 ? "" : Long.toString(ms - baseline),
                    mode.equals("baseline") ? "" : ms >= 0 && ms - baseline <= 5000 ? "yes" : "no"));
        }
        line("");
    }

    /** @return milliseconds from the child's MAIN_RETURNS line to its exit, or -1 when it hangs */
    private static long exitMillis(String mode) throws Exception {
        if (mode.equals("slow")) {
            try (SinkProcess sink = SinkProcess.start(2000)) {
                return exitMillis(command(ExitAfterMain.class, mode, sink.url()));
            }
        }
        return exitMillis(command(ExitAfterMain.class, mode));
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
