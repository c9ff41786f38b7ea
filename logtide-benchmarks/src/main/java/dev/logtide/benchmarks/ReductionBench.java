package dev.logtide.benchmarks;

import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.internal.entry.EntryEncoder;
import dev.logtide.internal.entry.JsonBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sender time to encode one entry over {@code maxLogSize} (the default, 100 KiB), which
 * {@link EntryEncoder} reduces until it fits: the cost an oversized entry adds to the sender
 * thread, during which nothing else is sent. Each entry also carries an exception, which the
 * reduction must keep. The floor is the same entry with its metadata left out (one ordinary
 * encode of the message and the exception).
 *
 * <ul>
 *   <li>{@code longValues}: 5,000 top-level keys of 200 characters;</li>
 *   <li>{@code manyInts}: 40,000 top-level keys of small ints;</li>
 *   <li>{@code hugeMessage}: a 200,000-character message and three small keys.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReductionBench {
    @Param({"longValues", "manyInts", "hugeMessage"})
    public String shape;

    private LogEntry entry;
    private LogEntry floorEntry;
    private JsonBuffer out;
    private EntryEncoder encoder;

    /** Builds the entry and the encoder. */
    @Setup
    public void setUp() {
        Map<String, Object> md = new LinkedHashMap<>();
        String message = "oversized entry";
        switch (shape) {
            case "longValues":
                StringBuilder value = new StringBuilder();
                while (value.length() < 200) {
                    value.append("value ");
                }
                for (int i = 0; i < 5000; i++) {
                    md.put("key" + i, value.substring(0, 200));
                }
                break;
            case "manyInts":
                for (int i = 0; i < 40_000; i++) {
                    md.put("k" + i, i);
                }
                break;
            default:
                StringBuilder m = new StringBuilder();
                while (m.length() < 200_000) {
                    m.append("huge message ");
                }
                message = m.toString();
                md.put("user_id", "u-42");
                md.put("orderId", 48213);
                md.put("region", "eu-west-1");
                break;
        }
        Throwable error = Fixtures.exception();
        entry = LogEntry.builder(LogLevel.ERROR, message).logger(Fixtures.LOGGER).thread("main")
                .metadata(md).throwable(error).build();
        floorEntry = LogEntry.builder(LogLevel.ERROR, "oversized entry").logger(Fixtures.LOGGER).thread("main")
                .throwable(error).build();
        ClientOptions options = ClientOptions.builder().apiUrl("http://127.0.0.1:1").apiKey(Fixtures.API_KEY)
                .service("bench").registerShutdownHook(false).build();
        out = new JsonBuffer();
        encoder = new EntryEncoder(options, out);
    }

    /** The encoder reducing the oversized entry. */
    @Benchmark
    public int reduce() {
        out.truncate(0);
        encoder.encode(entry);
        return out.size();
    }

    /** The floor: the same exception and message in an entry that needs no reduction. */
    @Benchmark
    public int floor() {
        out.truncate(0);
        encoder.encode(floorEntry);
        return out.size();
    }
}
