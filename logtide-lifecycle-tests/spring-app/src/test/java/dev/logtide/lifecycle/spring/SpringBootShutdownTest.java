package dev.logtide.lifecycle.spring;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** spring.application.name, which logback-spring.xml / log4j2-spring.xml make the service. */
    private static final String SERVICE = "lifecycle-app";
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)[\\s\\S]*Started LifecycleApplication in");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

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
             ChildJvm.Running app = start(SpringArguments.shippingTo(server), Environment.withoutLogTide())) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            Console.assertPrinted(stopped, "hello request served");
            Console.assertPrinted(stopped, "Commencing graceful shutdown");
            Console.assertPrinted(stopped, "Graceful shutdown complete");
            Console.assertEveryLineArrived(stopped, server.entries(), SERVICE);
        }
    }

    @Test
    void aRequestStillRunningAtSigtermIsLoggedCompletelyWithItsException() throws Exception {
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = start(SpringArguments.shippingTo(server), Environment.withoutLogTide())) {
            int port = awaitStarted(app);
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            app.awaitOutput(Pattern.compile(Pattern.quote("|slow request started@@")), START_WAIT_MS);

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            assertEquals("slow", slow.get(10, TimeUnit.SECONDS).body(), "the graceful shutdown let the request finish");
            Console.assertPrinted(stopped, "slow request finishing while the application stops");
            Console.assertPrinted(stopped, "slow request failed while the application stops");
            Console.assertPrinted(stopped, "Graceful shutdown complete");
            Console.assertEveryLineArrived(stopped, server.entries(), SERVICE);

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
        try (ChildJvm.Running app = start(List.of(), Environment.withoutLogTide())) {
            int port = awaitStarted(app);
            assertEquals("hello", get(port, "/hello"));

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            Console.assertPrinted(stopped, "hello request served");
            Console.assertInactiveWithOneWarning(stopped);
        }
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
}
