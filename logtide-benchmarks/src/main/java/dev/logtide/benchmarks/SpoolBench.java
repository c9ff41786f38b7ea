package dev.logtide.benchmarks;

import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.internal.entry.EntryEncoder;
import dev.logtide.internal.entry.JsonBuffer;
import dev.logtide.internal.spool.Spool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Entries per second written to the durable spool ({@code spoolDir}), 100 encoded entries per
 * append as the sender writes a batch: {@link Spool} (framing, CRC32C, the size bound, segment
 * rolling) against the floor, a raw {@link FileChannel} append of the same payload bytes in one
 * write. The entries are {@link SerializerBench}'s, encoded once by the core's encoder. Both
 * files start empty at each iteration, so the disk holds at most one iteration's writes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpoolBench {
    private static final int BATCH = 100;

    private byte[] payloads;
    private int[] ends;
    private Path dir;
    private Spool spool;
    private FileChannel raw;
    private ByteBuffer rawBuffer;

    /** Encodes the entries once. */
    @Setup
    public void setUp() throws IOException {
        ClientOptions options = ClientOptions.builder().apiUrl("http://127.0.0.1:1").apiKey(Fixtures.API_KEY)
                .service("bench").registerShutdownHook(false).build();
        JsonBuffer json = new JsonBuffer();
        EntryEncoder encoder = new EntryEncoder(options, json);
        ends = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            Map<String, String> mdc = new LinkedHashMap<>();
            mdc.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1 + i);
            mdc.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);
            encoder.encode(LogEntry.builder(LogLevel.INFO, "order " + (48213 + i) + " paid by alice@example.com in "
                            + (80 + i) + " ms")
                    .time(1_760_000_000L, 123_456_000 + i * 37_000).logger(Fixtures.LOGGER)
                    .thread("http-nio-8080-exec-" + (i % 8)).context(Collections.unmodifiableMap(mdc)).build());
            ends[i] = json.size();
        }
        payloads = Arrays.copyOf(json.array(), json.size());
        rawBuffer = ByteBuffer.allocate(payloads.length);
    }

    /** Empty files for the iteration. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Files.createTempDirectory("logtide-spool-bench");
        spool = Spool.open(dir.resolve("spool"), Long.MAX_VALUE);
        raw = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** Deletes the iteration's files. */
    @TearDown(Level.Iteration)
    public void close() throws IOException {
        spool.close();
        raw.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return records written: 100 entries framed and appended by the spool */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int spool() {
        for (int i = 0, start = 0; i < BATCH; i++) {
            spool.add(payloads, start, ends[i] - start);
            start = ends[i];
        }
        return spool.commit();
    }

    /** @return bytes written: the same 100 payloads appended in one write, no framing */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int floor() throws IOException {
        rawBuffer.clear();
        rawBuffer.put(payloads).flip();
        int n = 0;
        while (rawBuffer.hasRemaining()) {
            n += raw.write(rawBuffer);
        }
        return n;
    }
}
