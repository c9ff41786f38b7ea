package dev.logtide.benchmarks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.internal.entry.EntryEncoder;
import dev.logtide.internal.entry.JsonBuffer;
import dev.logtide.internal.entry.SdkInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Entries per second from {@link LogEntry} objects to request bytes: the core's
 * {@link EntryEncoder} (normalisation, metadata assembly, payload limits, the SDK block) against
 * a hand-written Jackson streaming loop that writes the same JSON from the same entries and
 * does nothing else. Both write into a {@link JsonBuffer}. The entries are the ones the Logback
 * appender makes of the call: logger, thread, two MDC keys, a microsecond timestamp.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerializerBench {
    private static final int BATCH = 100;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** plain, or exception (every entry carries the 60-frame exception with a cause). */
    @Param({"plain"})
    public String payload;

    private LogEntry[] entries;
    private JsonBuffer encoderOut;
    private EntryEncoder encoder;
    private JsonBuffer floorOut;
    private JsonGenerator floor;
    private final char[] time = new char[32];
    private long cachedDay = Long.MIN_VALUE;
    private int dateLength;

    /** Builds the entries and both writers, and checks that they write the same amount of JSON. */
    @Setup
    public void setUp() throws IOException {
        Throwable error = payload.equals("exception") ? Fixtures.exception() : null;
        entries = new LogEntry[BATCH];
        long second = 1_760_000_000L;
        for (int i = 0; i < BATCH; i++) {
            Map<String, String> mdc = new LinkedHashMap<>();
            mdc.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1 + i);
            mdc.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);
            entries[i] = LogEntry.builder(error == null ? LogLevel.INFO : LogLevel.ERROR,
                            "order " + (48213 + i) + " paid by alice@example.com in " + (80 + i) + " ms")
                    .time(second, 123_456_000 + i * 37_000)
                    .logger(Fixtures.LOGGER)
                    .thread("http-nio-8080-exec-" + (i % 8))
                    .context(Collections.unmodifiableMap(mdc))
                    .throwable(error)
                    .build();
        }
        ClientOptions options = ClientOptions.builder().apiUrl("http://127.0.0.1:1").apiKey(Fixtures.API_KEY)
                .service("bench").registerShutdownHook(false).build();
        encoderOut = new JsonBuffer();
        encoder = new EntryEncoder(options, encoderOut);
        floorOut = new JsonBuffer();
        floor = JSON.createGenerator(floorOut, JsonEncoding.UTF8);
        floor.setRootValueSeparator(null);
        encoder();
        floor();
        if (payload.equals("plain") && Math.abs(encoderOut.size() - floorOut.size()) > encoderOut.size() / 20) {
            throw new IllegalStateException("the floor does not write the same JSON: " + floorOut.size()
                    + " bytes against " + encoderOut.size());
        }
    }

    /** The core's encoder over one batch. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encoder() {
        encoderOut.truncate(0);
        for (LogEntry e : entries) {
            encoder.encode(e);
        }
        return encoderOut.size();
    }

    /** The floor: the same fields written straight with Jackson, no checks, no limits. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int floor() throws IOException {
        floorOut.truncate(0);
        JsonGenerator g = floor;
        for (LogEntry e : entries) {
            g.writeStartObject();
            g.writeFieldName("time");
            g.writeString(time, 0, formatTime(e.epochSecond(), e.nano()));
            g.writeStringField("service", "bench");
            g.writeStringField("level", e.level().wireName());
            g.writeStringField("message", e.message());
            g.writeObjectFieldStart("metadata");
            g.writeStringField("logger", e.logger());
            g.writeStringField("thread", e.thread());
            for (Map.Entry<String, ?> kv : e.context().entrySet()) {
                g.writeStringField(kv.getKey(), String.valueOf(kv.getValue()));
            }
            g.writeObjectFieldStart("sdk");
            g.writeStringField("name", SdkInfo.NAME);
            g.writeStringField("version", SdkInfo.VERSION);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        }
        g.flush();
        return floorOut.size();
    }

    /** A plain ISO-8601 UTC formatter with microseconds, caching the date part per day. */
    private int formatTime(long epochSecond, int nano) {
        long day = Math.floorDiv(epochSecond, 86_400L);
        if (day != cachedDay) {
            String date = LocalDate.ofEpochDay(day).toString();
            date.getChars(0, date.length(), time, 0);
            dateLength = date.length();
            cachedDay = day;
        }
        int s = (int) Math.floorMod(epochSecond, 86_400L);
        int p = dateLength;
        time[p++] = 'T';
        p = digits(s / 3600, 2, p);
        time[p++] = ':';
        p = digits(s / 60 % 60, 2, p);
        time[p++] = ':';
        p = digits(s % 60, 2, p);
        time[p++] = '.';
        p = digits(nano / 1000, 6, p);
        time[p++] = 'Z';
        return p;
    }

    private int digits(int v, int n, int p) {
        for (int i = n - 1; i >= 0; i--) {
            time[p + i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return p + n;
    }
}
