package dev.logtide.log4j2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.IngestServer;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Loads the test configuration files with Log4j2's own configurator. */
final class Log4j2Configs {
    private Log4j2Configs() {
    }

    /**
     * Points {@code ${sys:logtide.test.url}} / {@code ${sys:logtide.test.key}} at the server and
     * initialises a logger context from a configuration file on the test classpath.
     *
     * @param resource the file name under src/test/resources
     * @param server   the ingest server
     * @return the started context
     */
    static LoggerContext start(String resource, IngestServer server) {
        System.setProperty("logtide.test.url", server.url());
        System.setProperty("logtide.test.key", IngestServer.API_KEY);
        URI location = uri(resource);
        LoggerContext ctx = Configurator.initialize("logtide-" + resource, Log4j2Configs.class.getClassLoader(), location);
        assertNotNull(ctx, "Log4j2 returned no context for " + resource);
        // A context left running by an earlier test would silently keep its old configuration.
        assertEquals(location, ctx.getConfiguration().getConfigurationSource().getURI(),
                "the context runs another configuration: an earlier test did not stop it");
        return ctx;
    }

    /** @return the URI of a test classpath resource */
    static URI uri(String resource) {
        URL url = Log4j2Configs.class.getClassLoader().getResource(resource);
        assertNotNull(url, "missing test resource " + resource);
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the context the way an application does at exit, flushing every appender. */
    static void stop(LoggerContext ctx) {
        if (ctx != null) {
            Configurator.shutdown(ctx, 10, TimeUnit.SECONDS);
        }
    }

    /** @return the entries whose metadata.logger is the given name, in arrival order */
    static List<JsonNode> entriesOf(IngestServer server, String logger) {
        return server.entries().stream()
                .filter(e -> logger.equals(e.path("metadata").path("logger").asText(null)))
                .collect(Collectors.toList());
    }

    /** @return the started LogTide appender of that name */
    static LogTideAppender appender(LoggerContext ctx, String name) {
        LogTideAppender appender = ctx.getConfiguration().getAppender(name);
        assertNotNull(appender, "no appender " + name + " in " + ctx.getConfiguration().getAppenders().keySet());
        return appender;
    }
}
