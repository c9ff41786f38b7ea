package dev.logtide.log4j2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM logs and exits without stopping Log4j2: Log4j2's shutdown hook stops the appender,
 * which delivers everything. With synchronous loggers, behind an {@code <Async>} appender, and with
 * all loggers asynchronous (AsyncLoggerContextSelector on the LMAX disruptor). OkHttp's logging is
 * bridged into Log4j2 in each run, so the feedback guard is exercised on the delivering thread,
 * on OkHttp's threads and, where Log4j2 appends on a thread of its own, by the event's thread.
 * The test server runs in this JVM, out of the bridge's reach (its own OkHttp logging would
 * otherwise be legitimate events that loop through the test).
 */
class JvmExitTest {
    private IngestServer server;

    @BeforeEach
    void start() {
        server = new IngestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void synchronousLoggersDeliverEverythingAtExit() throws Exception {
        String out = runChild("sync", "LOGTIDE", 100);
        assertTrue(out.contains("context=org.apache.logging.log4j.core.LoggerContext"), out);
        assertDelivered(100);
    }

    @Test
    void asyncAppenderDeliversEverythingAtExit() throws Exception {
        runChild("async-appender", "ASYNC", 100);
        assertDelivered(100);
    }

    @Test
    void allAsyncLoggersDeliverEverythingAtExit() throws Exception {
        String out = runChild("async-loggers", "LOGTIDE", 300,
                "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector");
        assertTrue(out.contains("context=org.apache.logging.log4j.core.async.AsyncLoggerContext"), out);
        assertDelivered(300);
    }

    private void assertDelivered(int count) {
        List<JsonNode> got = server.entries();
        assertEquals(count, got.size(), "every event and nothing else (OkHttp's own logging stays out)");
        for (int i = 0; i < count; i++) {
            // The async ring buffer reuses its events: each entry must still carry its own values.
            JsonNode e = server.entryWithMessage("child event " + i);
            assertEquals(String.valueOf(i), e.path("metadata").path("i").asText());
            assertEquals("main", e.path("metadata").path("thread").asText());
            assertEquals("child-test", e.path("service").asText());
        }
    }

    private String runChild(String name, String appender, int count, String... jvmArgs) throws Exception {
        Path okhttpLog = Paths.get("target", "child-okhttp-" + name + ".log").toAbsolutePath();
        Files.deleteIfExists(okhttpLog);
        List<String> options = new ArrayList<>(List.of(
                // A short-lived JVM: the C1 compiler alone and the serial collector start it much faster.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlogtide.test.url=" + server.url(),
                "-Dlogtide.test.key=" + IngestServer.API_KEY,
                "-Dlogtide.test.file=" + okhttpLog,
                "-Dlogtide.test.appender=" + appender));
        options.addAll(List.of(jvmArgs));
        ChildJvm.Result result = ChildJvm.run(ChildMain.class, options,
                List.of("log4j2-child.xml", String.valueOf(count)), 60_000);
        assertTrue(result.exited, result.toString());
        assertEquals(0, result.exitCode, result.toString());
        String bridged = new String(Files.readAllBytes(okhttpLog), StandardCharsets.UTF_8);
        assertTrue(bridged.contains("|okhttp3."), "OkHttp's logging must reach Log4j2 in the child: " + bridged + result);
        return result.output;
    }
}
