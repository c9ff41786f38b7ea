package dev.logtide.lifecycle.jul;

import dev.logtide.lifecycle.Console;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.RepeatedTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, row 9: an embedded Tomcat 11 application with the JUL handler from a real
 * logging.properties, whose own shutdown hook stops Tomcat and logs, stopped with SIGTERM. JUL's
 * own shutdown hook resets the LogManager at the same time, which removes the console handler:
 * every line the console printed must arrive, and so must what the application's hook and Tomcat
 * log after that reset (the handler stays on the root logger through it). The race between the
 * hooks is what loses entries, so the test runs more than once.
 */
class TomcatShutdownTest {
    private static final long START_WAIT_MS = 60_000;
    private static final long STOP_WAIT_MS = 60_000;
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)@@");

    @RepeatedTest(3)
    void everyLineTheConsolePrintedBeforeTheLogManagerResetArrives() throws Exception {
        String config = Paths.get(TomcatShutdownTest.class.getResource("/tomcat-logging.properties").toURI())
                .toAbsolutePath().toString();
        try (IngestServer server = new IngestServer();
             ChildJvm.Running app = ChildJvm.start(TomcatApplication.class,
                     List.of("-Djava.util.logging.config.file=" + config, "-Duser.language=en"), List.of(),
                     Map.of("LOGTIDE_API_URL", server.url(), "LOGTIDE_API_KEY", IngestServer.API_KEY))) {
            int port = Integer.parseInt(app.awaitOutput(LISTENING, START_WAIT_MS).group(1));
            HttpResponse<String> hello = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hello", hello.body());

            ChildJvm.Result stopped = app.terminate(STOP_WAIT_MS);

            assertTrue(stopped.exited, "the application did not exit within " + STOP_WAIT_MS + " ms: " + stopped);
            Console.assertPrinted(stopped, "hello request served");
            Console.assertEveryLineArrived(stopped, server.entries(), "tomcat-app");
            // Logged on the application's hook thread, before, during and after Tomcat stops.
            assertArrived(server, TomcatApplication.class.getName(), "shutdown hook: stopping Tomcat", stopped);
            assertArrived(server, "org.apache.catalina.core.StandardService", "Stopping service [Tomcat]", stopped);
            assertArrived(server, TomcatApplication.class.getName(), "shutdown hook: Tomcat stopped", stopped);
        }
    }

    private static void assertArrived(IngestServer server, String logger, String message, ChildJvm.Result child) {
        assertTrue(server.entries().stream().anyMatch(e -> message.equals(e.path("message").asText())
                        && logger.equals(e.path("metadata").path("logger").asText())),
                "'" + message + "' from " + logger + " did not arrive; arrived: "
                        + server.entries().stream().map(e -> e.path("message").asText()).collect(Collectors.toList())
                        + "\n" + child);
    }
}
