package dev.logtide.benchmarks;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The healthy path with and without {@code spoolDir}, in the same run: a client shipping to a
 * healthy local sink in another JVM ({@link SinkProcess}), {@code setup} {@code memory} (no spool)
 * or {@code spool} (a spool directory, which a healthy server never makes the sender write to).
 * {@link #call} is the caller's cost of one log call, back to back (sustained load: the buffer
 * fills and entries are dropped, as in the caller-cost table); {@link #delivered} logs 10,000
 * entries and flushes, so its rate is end-to-end entries per second; the buffer holds a round,
 * so nothing is dropped there.
 */
@State(Scope.Benchmark)
public class SpoolHealthy {
    private static final int ROUND = 10_000;

    /** memory: no spoolDir; spool: spoolDir set. */
    @Param({"memory", "spool"})
    public String setup;

    private SinkProcess sink;
    private Path dir;
    private LogTideClient client;

    /** Starts the sink and the client. */
    @Setup
    public void setUp() throws IOException {
        sink = SinkProcess.start(0);
        ClientOptions.Builder b = ClientOptions.builder().apiUrl(sink.url()).apiKey(Fixtures.API_KEY).service("bench")
                .registerShutdownHook(false).batchSize(1000);
        if (setup.equals("spool")) {
            dir = Files.createTempDirectory("logtide-spool-healthy");
            b.spoolDir(dir.toString());
        }
        client = new LogTideClient(b.build());
    }

    /** Stops the client and the sink; deletes the spool directory. */
    @TearDown
    public void tearDown() throws Exception {
        client.close();
        sink.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One log call. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void call() {
        client.info(null, "order paid by alice@example.com in 87 ms");
    }

    /** 10,000 log calls, then a flush that waits until the sink has them. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ROUND)
    public void delivered() {
        for (int i = 0; i < ROUND; i++) {
            client.info(null, "order paid by alice@example.com in 87 ms");
        }
        client.flush();
    }
}
