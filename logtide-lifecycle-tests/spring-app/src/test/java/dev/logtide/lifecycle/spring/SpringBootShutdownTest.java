package dev.logtide.lifecycle.spring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.logging.LoggingSystem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application in a child JVM, configured only through its logging file, stopped with SIGTERM
 * as a container runtime or systemd stops it: every line it printed on its console must have
 * reached the receiver (issue 12, rows 6 to 8), and without any LogTide URL or key it must start,
 * serve, and say why LogTide is inactive in one warning (row 11).
 *
 * <p>The module's pom says which Spring Boot version and logging framework this run is on; the
 * same test runs for each.
 */
class SpringBootShutdownTest {
    /** Upper bounds only: starting Spring Boot on two shared cores under a parallel build is slow. */
    private static final long START_WAIT_MS = 120_000;
    private static final long STOP_WAIT_MS = 60_000;

    /** {@code logging.pattern.console} in application.properties: one match per event. */
    private static final Pattern CONSOLE_LINE = Pattern.compile(
            "@@(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\|([^|\\n]*)\\|(.*?)@@", Pattern.DOTALL);
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)[\\s\\S]*Started LifecycleApplication in");

    private static final List<String> LOGTIDE_VARIABLES =
            List.of("LOGTIDE_DSN", "LOGTIDE_API_URL", "LOGTIDE_API_KEY", "LOGTIDE_SERVICE");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One event as the application's console showed it. */
    record ConsoleLine(String level, String logger, String message) {
        boolean sameAs(JsonNode entry) {
            return message.equals(entry.path("message").asText())
                    && logger.equals(entry.path("metadata").path("logger").asText())
                    && logTideLevel().equals(entry.path("level").asText());
        }

        private String logTideLevel() {
            switch (level) {
                case "FATAL": return "critical";
                case "TRACE": return "debug";
                default: return level.toLowerCase(Locale.ROOT);
            }
        }

        @Override
        public String toString() {
            return level + " " + logger + ": " + message;
        }
    }

    @Test
    void runsOnTheSpringBootVersionAndLoggingFrameworkThePomNames() {
        assertEquals(System.getProperty("logtide.test.expectedSpringBootVersion"), SpringBootVersion.getVersion());
        String loggingSystem = LoggingSystem.get(getClass().getClassLoader()).getClass().getSimpleName();
        assertTrue(loggingSystem.toLowerCase(Locale.ROOT).startsWith(System.getProperty("logtide.test.expectedLoggingSystem")),
                loggingSystem);
    }

    @Test
    void afterServingARequestEveryConsoleLineArrivesWhenTheApplicationIsStoppedWithSigterm() throws Exception {
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = start(shippingTo(server), withoutLogTideVariables())) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            List<ConsoleLine> printed = consoleLines(stopped.output);
            assertPrinted(printed, stopped, "hello request served");
            assertPrinted(printed, stopped, "Commencing graceful shutdown");
            assertPrinted(printed, stopped, "Graceful shutdown complete");
            assertEveryLineArrived(printed, server, stopped);
        }
    }

    @Test
    void aRequestStillRunningAtSigtermIsLoggedCompletelyWithItsException() throws Exception {
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = start(shippingTo(server), withoutLogTideVariables())) {
            int port = awaitStarted(app);
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            app.awaitOutput(Pattern.compile(Pattern.quote("|slow request started@@")), START_WAIT_MS);

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            assertEquals("slow", slow.get(10, TimeUnit.SECONDS).body(), "the graceful shutdown let the request finish");
            List<ConsoleLine> printed = consoleLines(stopped.output);
            assertPrinted(printed, stopped, "slow request finishing while the application stops");
            assertPrinted(printed, stopped, "slow request failed while the application stops");
            assertPrinted(printed, stopped, "Graceful shutdown complete");
            assertEveryLineArrived(printed, server, stopped);

            JsonNode error = server.entryWithMessage("slow request failed while the application stops");
            assertEquals("error", error.path("level").asText());
            JsonNode exception = error.path("metadata").path("exception");
            assertEquals("java.lang.IllegalStateException", exception.path("type").asText(), error.toString());
            assertEquals("payment gateway closed", exception.path("message").asText(), error.toString());
            assertEquals("java", exception.path("language").asText(), error.toString());
            assertTrue(exception.path("stacktrace").size() > 0, error.toString());
            assertEquals("java.io.IOException", exception.path("cause").path("type").asText(), error.toString());
            assertEquals("connection reset by peer", exception.path("cause").path("message").asText(), error.toString());
            assertTrue(exception.path("raw").asText().contains("Caused by: java.io.IOException: connection reset by peer"),
                    error.toString());
        }
    }

    @Test
    void withoutAnyLogTideUrlOrKeyTheApplicationStartsServesAndSaysWhyInOneWarning() throws Exception {
        try (ChildJvm.Running app = start(List.of(), withoutLogTideVariables())) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            assertPrinted(consoleLines(stopped.output), stopped, "hello request served");
            List<String> warnings = statusLines(stopped.output, "WARN");
            assertEquals(1, warnings.size(), "one warning from the appender: " + warnings + "\n" + stopped);
            assertTrue(warnings.get(0).contains("apiUrl") || warnings.get(0).contains("apiKey"),
                    "the warning names the missing option: " + warnings.get(0));
            assertEquals(List.of(), statusLines(stopped.output, "ERROR"), "no errors about LogTide: " + stopped);
        }
    }

    private static List<String> shippingTo(IngestServer server) {
        return List.of("--logtide.url=" + server.url(), "--logtide.key=" + IngestServer.API_KEY);
    }

    /** The child's environment without any LOGTIDE_* variable: only the logging file configures LogTide. */
    private static Map<String, String> withoutLogTideVariables() {
        Map<String, String> environment = new HashMap<>();
        LOGTIDE_VARIABLES.forEach(name -> environment.put(name, null));
        return environment;
    }

    private static ChildJvm.Running start(List<String> springArguments, Map<String, String> environment) throws Exception {
        List<String> args = new ArrayList<>(List.of("--server.port=0"));
        args.addAll(springArguments);
        // C1 only: the application runs for seconds, and two shared cores start it faster this way.
        return ChildJvm.start(LifecycleApplication.class, List.of("-XX:TieredStopAtLevel=1"), args, environment);
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

    private static List<ConsoleLine> consoleLines(String output) {
        List<ConsoleLine> lines = new ArrayList<>();
        Matcher m = CONSOLE_LINE.matcher(output);
        while (m.find()) {
            lines.add(new ConsoleLine(m.group(1), m.group(2), m.group(3)));
        }
        return lines;
    }

    /** Lines of the logging framework's own status output (not application events) about LogTide at a level. */
    private static List<String> statusLines(String output, String level) {
        Pattern atLevel = Pattern.compile("(^|[^A-Za-z])" + level + "([^A-Za-z]|$)");
        return output.lines()
                .filter(line -> !line.startsWith("@@") && !line.startsWith("\tat "))
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("logtide") && atLevel.matcher(line).find())
                .collect(Collectors.toList());
    }

    private static void assertPrinted(List<ConsoleLine> printed, ChildJvm.Result child, String messageStart) {
        assertTrue(printed.stream().anyMatch(line -> line.message().startsWith(messageStart)),
                "the application did not print '" + messageStart + "': " + child);
    }

    /** Each console line must match one entry (level, logger, message); the failure lists the lost lines. */
    private static void assertEveryLineArrived(List<ConsoleLine> printed, IngestServer server, ChildJvm.Result child) {
        List<JsonNode> unmatched = new ArrayList<>(server.entries());
        List<ConsoleLine> lost = new ArrayList<>();
        for (ConsoleLine line : printed) {
            JsonNode match = unmatched.stream().filter(line::sameAs).findFirst().orElse(null);
            if (match == null) {
                lost.add(line);
            } else {
                unmatched.remove(match);
            }
        }
        assertFalse(printed.isEmpty(), "no console line found: " + child);
        assertTrue(lost.isEmpty(), (printed.size() - lost.size()) + "/" + printed.size() + " console lines arrived; lost:\n  "
                + lost.stream().map(ConsoleLine::toString).collect(Collectors.joining("\n  ")) + "\n" + child);
        for (JsonNode entry : server.entries()) {
            assertEquals("lifecycle-app", entry.path("service").asText(), "service from spring.application.name: " + entry);
        }
    }
}
