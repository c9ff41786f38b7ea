package dev.logtide.testing;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shutdown matrix every entry point runs: a child JVM logs {@link #LOGGED} entries with
 * {@code batchSize} {@link #BATCH_SIZE} and stops the way an application does (returning from
 * {@code main}, stopping its framework, ...) while the server is in one of the {@link Condition}s.
 * Everything logged must arrive unless the server is unreachable, the JVM must exit within the
 * close budget, and a loss must be reported in one warning with its count. Each entry point's
 * test extends this class and runs its own lifecycles over every condition.
 */
public abstract class ShutdownMatrix {
    /** Entries each child logs. */
    public static final int LOGGED = 1010;
    /** The children's batch size: many batches wait at exit. */
    public static final int BATCH_SIZE = 50;
    /** The children's {@code closeTimeoutMs} (the default). */
    public static final long CLOSE_TIMEOUT_MS = 5000;
    /** The message of entry {@code i} is this prefix and {@code i}. */
    public static final String MESSAGE_PREFIX = "exit entry ";

    /** What the server does while the application stops. */
    public enum Condition {
        /** Accepts everything. */
        HEALTHY,
        /** The first two requests answer 503, then healthy. */
        FIRST_TWO_503,
        /** 30% of requests answer a 5xx at random. */
        RANDOM_5XX,
        /** The first request answers 429 with {@code Retry-After: 1}, then healthy. */
        RETRY_AFTER_429,
        /** Every request is answered after 2 s. */
        SLOW,
        /** Nothing listens: every connection is refused. */
        REFUSED
    }

    /** The receiver, new for each test. */
    protected IngestServer server;

    /** Starts the receiver. */
    @BeforeEach
    public void startServer() {
        server = new IngestServer();
    }

    /** Stops the receiver. */
    @AfterEach
    public void stopServer() {
        server.close();
    }

    /**
     * Prepares the receiver for the condition, runs the child and checks the outcome.
     *
     * @param condition the server's condition
     * @param mainClass the child's main class (see {@link #runAndCheck})
     * @param jvmArgs   the child's JVM options besides the server's, which are added
     * @param args      the child's arguments; {@code "{url}"} is replaced by the {@code apiUrl}
     * @return the child's result
     * @throws Exception when the child cannot be run
     */
    protected ChildJvm.Result run(Condition condition, Class<?> mainClass, List<String> jvmArgs, List<String> args)
            throws Exception {
        String url = prepare(server, condition);
        List<String> jvm = serverProperties(url);
        jvm.addAll(jvmArgs);
        List<String> childArgs = new ArrayList<>();
        args.forEach(a -> childArgs.add("{url}".equals(a) ? url : a));
        return runAndCheck(server, condition, mainClass, jvm, childArgs);
    }

    /**
     * Sets the server up for the condition.
     *
     * @param server    the receiver
     * @param condition what it does
     * @return the {@code apiUrl} the child must use
     */
    public static String prepare(IngestServer server, Condition condition) {
        switch (condition) {
            case FIRST_TWO_503:
                server.enqueue(IngestServer.json(503, "{\"error\":\"Service Unavailable\"}"));
                server.enqueue(IngestServer.json(503, "{\"error\":\"Service Unavailable\"}"));
                break;
            case RANDOM_5XX:
                Random random = new Random(42);
                server.respondWith(batch -> {
                    synchronized (random) {
                        if (random.nextInt(10) < 3) {
                            return IngestServer.json(random.nextBoolean() ? 502 : 503, "{}");
                        }
                    }
                    return IngestServer.accept(batch);
                });
                break;
            case RETRY_AFTER_429:
                server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1")
                        .body("{\"error\":\"Too Many Requests\"}").build());
                break;
            case SLOW:
                server.respondWith(batch -> IngestServer.accept(batch).newBuilder()
                        .headersDelay(2, TimeUnit.SECONDS).build());
                break;
            case REFUSED:
                return refusedUrl();
            default:
                break;
        }
        return server.url();
    }

    /**
     * Runs the child and checks the outcome.
     *
     * @param server    the receiver, prepared with {@link #prepare}
     * @param condition the server's condition
     * @param mainClass the child's main class; it logs {@link #LOGGED} entries named
     *                  {@link #MESSAGE_PREFIX}{@code i} and stops
     * @param jvmArgs   the child's JVM options (configuration file, {@code -D} settings)
     * @param args      the child's arguments
     * @return the child's result
     * @throws Exception when the child cannot be run
     */
    public static ChildJvm.Result runAndCheck(IngestServer server, Condition condition, Class<?> mainClass,
                                              List<String> jvmArgs, List<String> args) throws Exception {
        List<String> jvm = new ArrayList<>(Arrays.asList(
                // A short-lived JVM: the C1 compiler alone and the serial collector start it much faster.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        jvm.addAll(jvmArgs);
        long started = System.nanoTime();
        ChildJvm.Result child = ChildJvm.run(mainClass, jvm, args, 120_000);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(child.exited, () -> "the child did not exit: " + child);
        // Generous: JVM start and logging on a loaded 2-core machine come on top of the close budget.
        assertTrue(tookMs < CLOSE_TIMEOUT_MS + 25_000, () -> "the child took " + tookMs + " ms\n" + child);
        if (condition == Condition.REFUSED) {
            assertEquals(0, server.requests().size());
            Matcher warning = Pattern.compile("could not confirm delivery of (\\d+) entries before close").matcher(child.output);
            assertTrue(warning.find(), () -> "no loss warning in the child's output:\n" + child);
            assertEquals(String.valueOf(LOGGED), warning.group(1), child::toString);
            assertTrue(!warning.find(), () -> "more than one loss warning:\n" + child);
        } else {
            List<String> got = messages(server, LOGGED);
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < LOGGED; i++) {
                if (!got.contains(MESSAGE_PREFIX + i)) {
                    missing.add(MESSAGE_PREFIX + i);
                }
            }
            assertTrue(missing.isEmpty(), () -> missing.size() + " of " + LOGGED + " entries missing, e.g. "
                    + missing.subList(0, Math.min(5, missing.size())) + "\n" + child);
            assertTrue(!child.output.contains("could not confirm delivery"), child::toString);
        }
        return child;
    }

    private static List<String> messages(IngestServer server, int expected) {
        List<String> out = new ArrayList<>();
        server.awaitEntries(expected, Duration.ofSeconds(5)).forEach(e -> out.add(e.path("message").asText()));
        return out;
    }

    /** @return a URL on loopback where connections are refused */
    public static String refusedUrl() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort(); // closed again: connections to it are refused
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param url the {@code apiUrl}
     * @return the child's system properties naming the server, for configuration files that read
     *     {@code ${logtide.test.url}} and {@code ${logtide.test.key}}
     */
    public static List<String> serverProperties(String url) {
        return new ArrayList<>(Arrays.asList("-Dlogtide.test.url=" + url, "-Dlogtide.test.key=" + IngestServer.API_KEY));
    }
}
