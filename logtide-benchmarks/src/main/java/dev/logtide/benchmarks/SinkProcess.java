package dev.logtide.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link Sink} in a child JVM, so its cost is not charged to the JVM being measured. */
public final class SinkProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private SinkProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param delayMs answer delay per request; 0 for a healthy sink
     * @return a running sink
     * @throws IOException when it does not start
     */
    public static SinkProcess start(long delayMs) throws IOException {
        return start(delayMs, 0);
    }

    /**
     * @param delayMs answer delay per request; 0 for a healthy sink
     * @param requestsPerMinute the server's rate limit per client address and minute; 0 for none
     * @return a running sink
     * @throws IOException when it does not start
     */
    public static SinkProcess start(long delayMs, int requestsPerMinute) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dsun.net.httpserver.nodelay=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Sink.class.getName());
        cmd.add(Long.toString(delayMs));
        cmd.add(Integer.toString(requestsPerMinute));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            throw new IOException("the sink did not start: " + line);
        }
        return new SinkProcess(p, Integer.parseInt(line.substring(5).trim()));
    }

    /** @return the java launcher of the running JVM */
    public static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return the base URL to configure as {@code apiUrl} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * @return what the sink has counted; see {@link #totals(String)}
     * @throws IOException when the sink does not answer
     */
    public long[] totals() throws IOException {
        return totals(url());
    }

    /**
     * @param url the base URL of a sink, also one started by another JVM
     * @return what the sink has counted: entries, requests, request body bytes, requests answered
     *         429, and the wall-clock time of the last counted entries in microseconds since the epoch
     * @throws IOException when the sink does not answer
     */
    public static long[] totals(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url + "/count").openConnection();
        // Read to the end and not disconnected: the connection is kept alive for the next poll.
        try (InputStream in = c.getInputStream()) {
            String[] parts = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            long[] totals = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                totals[i] = Long.parseLong(parts[i]);
            }
            return totals;
        }
    }

    /**
     * @return the CPU time the sink's JVM has used so far, in nanoseconds, or -1 where the
     *         platform does not tell (read from the operating system, as {@code ps} does)
     */
    public long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * @return the URL of a loopback port nothing listens on: connections are refused at once
     * @throws IOException when no port can be found
     */
    public static String refusingUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close(); // EOF on the child's stdin stops it
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
