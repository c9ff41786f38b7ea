package dev.logtide.http.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ServerRules;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the servlet and WebFlux modules' tests share: a real Logback setup, real HTTP, and reading what arrived. */
public final class HttpTestSupport {
    /** A valid W3C traceparent a caller sends. */
    public static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    /** Its trace id. */
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    /** Its parent (the caller's span) id. */
    public static final String PARENT_ID = "00f067aa0ba902b7";

    private HttpTestSupport() {
    }

    /**
     * Loads a Logback file from the test resources into the application's real context, its LogTide
     * appender pointed at the server through {@code logtide.test.url} and {@code logtide.test.key}.
     */
    public static void configureLogback(String resource, IngestServer server) throws JoranException {
        System.setProperty("logtide.test.url", server.url());
        System.setProperty("logtide.test.key", IngestServer.API_KEY);
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        if (!ctx.isStarted()) {
            ctx.start();
        }
        URL config = Objects.requireNonNull(HttpTestSupport.class.getResource("/" + resource), resource);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(config);
    }

    /** Stops Logback's appenders (delivering what they hold), as an application's shutdown does. */
    public static void stopLogback() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        System.clearProperty("logtide.test.url");
        System.clearProperty("logtide.test.key");
    }

    /** @return an HTTP/1.1 client: one kept-alive connection per server */
    public static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Sends a GET.
     *
     * @param headers name, value, name, value...
     */
    public static HttpResponse<String> get(HttpClient client, String url, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the accepted entries that match, now */
    public static List<JsonNode> matching(IngestServer server, Predicate<JsonNode> match) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : server.entries()) {
            if (match.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Waits (up to 15 s) until at least {@code n} accepted entries match, then checks each against
     * the server's rules.
     *
     * @return the matching entries
     */
    public static List<JsonNode> await(IngestServer server, Predicate<JsonNode> match, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<JsonNode> found = matching(server, match);
        while (found.size() < n && System.nanoTime() < end) {
            Thread.sleep(20);
            found = matching(server, match);
        }
        for (JsonNode e : found) {
            assertNull(ServerRules.violation(e), () -> "the server would reject " + e);
            assertEquals("logtide-java", e.path("metadata").path("sdk").path("name").asText(), e::toString);
        }
        assertEquals(n, found.size(), () -> "expected " + n + " matching entries among " + server.entries());
        return found;
    }

    /** @return a matcher for entries whose message is exactly this */
    public static Predicate<JsonNode> message(String message) {
        return e -> message.equals(e.path("message").asText());
    }

    /** @return a matcher for entries of the request logger whose metadata.path is this */
    public static Predicate<JsonNode> requestPath(String path) {
        return e -> "dev.logtide.http".equals(e.path("metadata").path("logger").asText())
                && path.equals(e.path("metadata").path("path").asText());
    }

    /**
     * Requests each path, then {@code /hello} with the user agent {@code marker}: once that
     * request's entry has arrived, entries of the paths would have too. Fails if any was logged.
     */
    public static void assertNotLogged(IngestServer server, HttpClient http, String base, String marker, String... paths)
            throws IOException, InterruptedException {
        for (String path : paths) {
            get(http, base + path);
        }
        assertEquals(200, get(http, base + "/hello", "User-Agent", marker).statusCode());
        await(server, message("GET /hello").and(e -> marker.equals(e.path("metadata").path("user_agent").asText())), 1);
        for (String path : paths) {
            assertEquals(List.of(), matching(server, requestPath(path)), path);
        }
    }

    /** Fails when any accepted entry contains any of the texts anywhere. */
    public static void assertNothingContains(IngestServer server, String... secrets) {
        for (JsonNode e : server.entries()) {
            String text = e.toString();
            for (String secret : secrets) {
                assertFalse(text.contains(secret), () -> "'" + secret + "' was sent: " + text);
            }
        }
    }
}
