package dev.logtide.spring.boot.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logtide.lifecycle.Console;
import dev.logtide.lifecycle.Environment;
import dev.logtide.lifecycle.SpringArguments;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.logging.LoggingSystem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The starter in a real Spring Boot application in a child JVM, configured only with
 * {@code logtide.*} properties (issue 18): the start-up lines, the request entries and an error
 * with its exception arrive; without a URL and key, or with {@code logtide.enabled=false}, the
 * application runs and one line says LogTide is off and why. The module's pom names the Spring
 * Boot version and logging framework; the same test runs for each.
 */
class StarterApplicationTest {
    /** Upper bounds only: starting Spring Boot on two shared cores under a parallel build is slow. */
    private static final long START_WAIT_MS = 120_000;
    private static final long STOP_WAIT_MS = 60_000;
    private static final String SERVICE = "starter-app";
    private static final String LISTENER = "dev.logtide.spring.boot.LogTideLoggingListener";
    private static final Pattern STARTED = Pattern.compile("(?:Tomcat|Netty) started on port (\\d+)[\\s\\S]*Started StarterApplication in");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void runsOnTheSpringBootVersionAndLoggingFrameworkThePomNames() {
        assertEquals(System.getProperty("logtide.test.expectedSpringBootVersion"), SpringBootVersion.getVersion());
        String loggingSystem = LoggingSystem.get(getClass().getClassLoader()).getClass().getSimpleName();
        assertTrue(loggingSystem.toLowerCase(Locale.ROOT).startsWith(System.getProperty("logtide.test.expectedLoggingSystem")),
                loggingSystem);
    }

    @Test
    void withOnlyPropertiesStartupLinesRequestsAndAnErrorWithItsExceptionArrive() throws Exception {
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = start(SpringArguments.shippingTo(server))) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));
            assertEquals("failed", get(port, "/fail"));
            // Micrometer meters and the health contributor, through Actuator.
            for (String meter : List.of("logtide.logs.sent", "logtide.logs.dropped", "logtide.retries", "logtide.errors",
                    "logtide.buffered.entries", "logtide.circuit.breaker.state")) {
                JSON.readTree(get(port, "/actuator/metrics/" + meter));
            }
            JsonNode dropped = JSON.readTree(get(port, "/actuator/metrics/logtide.logs.dropped"));
            assertTrue(dropped.path("availableTags").toString().contains("buffer_full"), dropped.toString());
            JsonNode health = JSON.readTree(get(port, "/actuator/health/logTide"));
            assertEquals("UP", health.path("status").asText(), health.toString());
            assertEquals("closed", health.path("details").path("circuitBreaker").asText(), health.toString());

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            // Every console line, from Spring Boot's "Starting StarterApplication" to "Graceful
            // shutdown complete", arrived once, with spring.application.name as the service.
            Console.assertPrinted(stopped, "Starting StarterApplication");
            Console.assertPrinted(stopped, "Graceful shutdown complete");
            Console.assertEveryLineArrived(stopped, server.entries(), SERVICE);
            assertEquals(1, server.entries().stream().filter(e -> e.path("message").asText().equals("hello request served")).count(),
                    "one appender only: " + messages(server));

            assertTrue(server.entries().stream().anyMatch(e -> e.path("message").asText().startsWith("GET /hello 200")),
                    "the request entry: " + messages(server));
            JsonNode error = server.entryWithMessage("payment failed");
            assertEquals("error", error.path("level").asText());
            JsonNode exception = error.path("metadata").path("exception");
            assertEquals("java.lang.IllegalStateException", exception.path("type").asText(), error.toString());
            assertEquals("payment gateway closed", exception.path("message").asText(), error.toString());
            assertEquals("java.io.IOException", exception.path("cause").path("type").asText(), error.toString());
            assertEquals(List.of(), Console.statusLines(stopped.output, "WARN"), "no warning about LogTide: " + stopped);
        }
    }

    /** Servlet applications: the starter leaves the client open until Spring Boot stops logging, after the context. */
    @Test
    void aRequestStillRunningAtSigtermIsLoggedCompletely() throws Exception {
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = start(SpringArguments.shippingTo(server))) {
            int port = awaitStarted(app);
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            app.awaitOutput(Pattern.compile(Pattern.quote("|slow request started@@")), START_WAIT_MS);

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, stopped::toString);
            assertEquals("slow", slow.get(10, TimeUnit.SECONDS).body(), "the graceful shutdown let the request finish");
            Console.assertPrinted(stopped, "slow request finishing while the application stops");
            Console.assertPrinted(stopped, "Graceful shutdown complete");
            Console.assertEveryLineArrived(stopped, server.entries(), SERVICE);
            assertTrue(server.entries().stream().anyMatch(e -> e.path("message").asText().startsWith("GET /slow 200")),
                    "the request entry, written as the request ended during the shutdown: " + messages(server));
        }
    }

    @Test
    void anOpenCircuitBreakerIsDegradedHealthWhileTheApplicationStaysUp() throws Exception {
        try (IngestServer server = new IngestServer()) {
            server.respondWith(batch -> IngestServer.json(503, "{\"error\":\"unavailable\"}"));
            try (ChildJvm.Running app = start(SpringArguments.shippingTo(server, "--logtide.circuit-breaker-threshold=1",
                    "--logtide.max-retries=0", "--logtide.flush-interval-ms=50"))) {
                int port = awaitStarted(app);
                JsonNode logTide = JSON.readTree(get(port, "/actuator/health/logTide"));
                // Bounded wait for the first refused batch: no claim about how long it takes.
                for (int i = 0; i < 600 && !"DEGRADED".equals(logTide.path("status").asText()); i++) {
                    Thread.sleep(100);
                    logTide = JSON.readTree(get(port, "/actuator/health/logTide"));
                }
                assertEquals("DEGRADED", logTide.path("status").asText(), logTide.toString());
                assertEquals("open", logTide.path("details").path("circuitBreaker").asText(), logTide.toString());
                JsonNode overall = JSON.readTree(get(port, "/actuator/health"));
                assertEquals("UP", overall.path("status").asText(), "a log server outage must not take the application down: " + overall);
                JsonNode state = JSON.readTree(get(port, "/actuator/metrics/logtide.circuit.breaker.state?tag=state:open"));
                assertEquals(1.0, state.path("measurements").get(0).path("value").asDouble(), state.toString());
            }
        }
    }

    @Test
    void anApplicationsOwnLogTideAppenderIsKeptAndNotDoubled() throws Exception {
        String config = "classpath:own-" + System.getProperty("logtide.test.expectedLoggingSystem") + ".xml";
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = start(SpringArguments.shippingTo(server, "--logging.config=" + config))) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, stopped::toString);
            // Every line once, from the application's own appender (its service, not spring.application.name)...
            Console.assertEveryLineArrived(stopped, server.entries(), "own-appender");
            assertEquals(1, server.entries().stream().filter(e -> e.path("message").asText().equals("hello request served")).count(),
                    "one appender only: " + messages(server));
            // ...and the request entry through its client (so with its service too).
            assertTrue(server.entries().stream().anyMatch(e -> e.path("message").asText().startsWith("GET /hello 200")),
                    "the request entry: " + messages(server));
        }
    }

    /**
     * Logback's {@code scan="true"} and Log4j2's {@code monitorInterval} load a changed file
     * again, which replaces everything the old file built: the starter's appender stays, and so
     * does the client that request logging uses.
     */
    @Test
    void aConfigurationFileReloadedAfterAChangeKeepsTheStartersAppenderAndClient() throws Exception {
        Path config = Files.createTempFile("logtide-reload", ".xml");
        Files.writeString(config, scanningConfig("first"));
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = start(SpringArguments.shippingTo(server, "--logging.config=" + config.toUri()))) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));
            int requests = 1;

            Files.writeString(config, scanningConfig("second"));
            config.toFile().setLastModified(System.currentTimeMillis() + 2_000); // a change, whatever the clock's grain
            // Requests go on while the framework notices the change and loads the file again.
            while (!app.output().contains("second INFO") && requests < 400) {
                assertEquals("hello", get(port, "/hello"));
                requests++;
                Thread.sleep(100);
            }
            assertTrue(app.output().contains("second INFO"), "the changed file was loaded: " + app.output());
            assertEquals("hello", get(port, "/hello")); // one more, entirely after the reload
            requests++;

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, stopped::toString);
            assertEquals(requests, server.entries().stream().filter(e -> e.path("message").asText().equals("hello request served")).count(),
                    "every request's line, once: " + messages(server));
            assertEquals(requests, server.entries().stream().filter(e -> e.path("message").asText().startsWith("GET /hello 200")).count(),
                    "every request entry, through the client the context holds: " + messages(server));
        } finally {
            Files.deleteIfExists(config);
        }
    }

    /** A file the framework checks for changes (Logback every 200 ms, Log4j2 every second); {@code tag} starts every console line. */
    private static String scanningConfig(String tag) {
        if ("log4j2".equals(System.getProperty("logtide.test.expectedLoggingSystem"))) {
            return "<Configuration monitorInterval=\"1\">\n"
                    + "  <Appenders><Console name=\"CONSOLE\"><PatternLayout pattern=\"" + tag + " %level %logger: %msg%n\"/></Console></Appenders>\n"
                    + "  <Loggers><Root level=\"INFO\"><AppenderRef ref=\"CONSOLE\"/></Root></Loggers>\n"
                    + "</Configuration>\n";
        }
        return "<configuration scan=\"true\" scanPeriod=\"200 milliseconds\">\n"
                + "  <appender name=\"CONSOLE\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
                + "    <encoder><pattern>" + tag + " %level %logger: %msg%n</pattern></encoder>\n"
                + "  </appender>\n"
                + "  <root level=\"INFO\"><appender-ref ref=\"CONSOLE\"/></root>\n"
                + "</configuration>\n";
    }

    /** DevTools closes the context and runs main again in the same JVM: one client and one sender thread remain. */
    @Test
    void restartsInTheSameJvmLeaveOneClientAndOneSenderThread() throws Exception {
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = ChildJvm.start(RestartingApplication.class, List.of("-XX:TieredStopAtLevel=1"),
                     SpringArguments.shippingTo(server, "--server.port=0"),
                     Environment.withoutLogTide())) {
            ChildJvm.Result ended = app.awaitExit(START_WAIT_MS);

            assertTrue(ended.exited, ended::toString);
            for (int run = 1; run <= 3; run++) {
                assertTrue(ended.output.contains("run " + run + ": sender threads 1, clients 1"), ended::toString);
            }
            assertEquals(3, server.entries().stream()
                    .filter(e -> e.path("message").asText().startsWith("Started RestartingApplication")).count(),
                    "each start shipped once: " + messages(server));
        }
    }

    @Test
    void withoutUrlAndKeyTheApplicationRunsAndOneWarningSaysWhy() throws Exception {
        ChildJvm.Result stopped = oneRequest(List.of());

        assertEquals(List.of(new Console.Line("WARN", LISTENER,
                        "LogTide is off: logtide.api-url and logtide.api-key are not set (nor logtide.dsn)")),
                aboutLogTide(stopped), stopped::toString);
    }

    /** A wrong setting never stops the application: an unreadable logtide.enabled is off, with a warning. */
    @Test
    void anInvalidEnabledValueLeavesLogTideOffAndTheApplicationRuns() throws Exception {
        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result stopped = oneRequest(SpringArguments.shippingTo(server, "--logtide.enabled=maybe"));

            assertEquals(List.of(new Console.Line("WARN", LISTENER,
                            "LogTide is off: logtide.enabled must be true or false, was 'maybe'")),
                    aboutLogTide(stopped), stopped::toString);
            assertEquals(List.of(), server.requests(), "nothing sent");
        }
    }

    /** Spring's condition takes any value but "false" as on: request logging stays on, and a warning says why. */
    @Test
    void anInvalidHttpEnabledValueKeepsRequestLoggingOnAndOneWarningSaysSo() throws Exception {
        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result stopped = oneRequest(SpringArguments.shippingTo(server, "--logtide.http.enabled=maybe"));

            assertEquals(List.of(new Console.Line("WARN", "dev.logtide.spring.boot.LogTideAutoConfiguration",
                            "LogTide request logging is on: logtide.http.enabled must be true or false, was 'maybe'")),
                    aboutLogTide(stopped).stream().filter(line -> !line.level().equals("INFO")).collect(Collectors.toList()),
                    stopped::toString);
            assertTrue(server.entries().stream().anyMatch(e -> e.path("message").asText().startsWith("GET /hello 200")),
                    "the request entry: " + messages(server));
        }
    }

    @Test
    void enabledFalseSendsNothingAndSaysSoOnce() throws Exception {
        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result stopped = oneRequest(SpringArguments.shippingTo(server, "--logtide.enabled=false"));

            assertEquals(List.of(new Console.Line("INFO", LISTENER, "LogTide is off: logtide.enabled=false")),
                    aboutLogTide(stopped), stopped::toString);
            assertEquals(List.of(), server.requests(), "nothing sent");
        }
    }

    /** Starts the application, serves one request, stops it with SIGTERM and checks that it exited. */
    private ChildJvm.Result oneRequest(List<String> springArguments) throws Exception {
        try (ChildJvm.Running app = start(springArguments)) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, stopped::toString);
            return stopped;
        }
    }

    /** The console lines that mention LogTide, and the status lines of the frameworks. */
    private static List<Console.Line> aboutLogTide(ChildJvm.Result child) {
        assertEquals(List.of(), Console.statusLines(child.output, "WARN"), "no framework warning: " + child);
        assertEquals(List.of(), Console.statusLines(child.output, "ERROR"), "no framework error: " + child);
        return Console.lines(child.output).stream()
                .filter(line -> line.message().contains("LogTide") || line.logger().startsWith("dev.logtide.spring.boot.Log"))
                .collect(Collectors.toList());
    }

    private static String messages(IngestServer server) {
        return server.entries().stream().map(e -> e.path("message").asText()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static ChildJvm.Running start(List<String> springArguments) throws Exception {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--management.endpoints.web.exposure.include=health,metrics", "--management.endpoint.health.show-details=always"));
        args.addAll(springArguments);
        // C1 only: the application runs for seconds, and two shared cores start it faster this way.
        return ChildJvm.start(StarterApplication.class, List.of("-XX:TieredStopAtLevel=1"), args, Environment.withoutLogTide());
    }

    private static int awaitStarted(ChildJvm.Running app) throws InterruptedException {
        return Integer.parseInt(app.awaitOutput(STARTED, START_WAIT_MS).group(1));
    }

    private String get(int port, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
