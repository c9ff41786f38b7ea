package dev.logtide.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Contract C20 on virtual threads: scopes of 1,000 concurrent virtual threads, each unmounted and
 * mounted again between setting its scope and logging, never mix, and a scope handed over with
 * {@code wrap} reaches a virtual thread. The build runs on Java 17, so the child runs on a Java 21+
 * JDK: this one when it is new enough, else one installed beside it (under {@code /usr/lib/jvm}, or
 * {@code -Dlogtide.test.jdk21=<java home>}); without one the test is skipped and says so.
 */
class VirtualThreadScopeTest {
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    @Test
    void c20_scopesOfConcurrentVirtualThreadsNeverMix() throws Exception {
        Optional<String> java = java21();
        assumeTrue(java.isPresent(), "no Java 21+ JDK found for the virtual-thread child (set -Dlogtide.test.jdk21)");
        try (IngestServer server = new IngestServer();
             ChildJvm.Running child = ChildJvm.start(java.get(), System.getProperty("java.class.path"),
                     VirtualThreadScopeMain.class.getName(), Collections.emptyList(),
                     List.of(server.url(), IngestServer.API_KEY), Collections.emptyMap())) {
            ChildJvm.Result result = child.awaitExit(120_000);
            assertEquals(0, result.exitCode, result.toString());
            List<JsonNode> entries = server.entries();
            assertEquals(2 * VirtualThreadScopeMain.TASKS + 1, entries.size(), result.toString());
            int virtual = 0;
            for (JsonNode e : entries) {
                String message = e.get("message").asText();
                JsonNode md = e.get("metadata");
                if (message.startsWith("virtual task ")) {
                    String id = message.substring("virtual task ".length(), message.indexOf(" on "));
                    assertEquals(id, md.get("tags").get("task").asText(), message);
                    assertEquals(id, md.get("taskExtra").asText(), message);
                    virtual += message.contains("VirtualThread") ? 1 : 0;
                } else if (message.equals("virtual handed")) {
                    assertEquals("handed", md.get("tags").get("task").asText(), e.toString());
                } else {
                    assertFalse(md.has("tags") || md.has("taskExtra"), "leaked: " + e);
                }
            }
            assertEquals(VirtualThreadScopeMain.TASKS, virtual, "every task ran on a virtual thread");
        }
    }

    /** A {@code java} launcher of Java 21 or later, if this machine has one. */
    private static Optional<String> java21() throws IOException {
        if (Runtime.version().feature() >= 21) {
            return Optional.of(launcher(Paths.get(System.getProperty("java.home"))).toString());
        }
        String configured = System.getProperty("logtide.test.jdk21");
        if (configured != null && !configured.isEmpty()) {
            return Optional.of(launcher(Paths.get(configured)).toString());
        }
        Path jvms = Paths.get("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms)) {
            for (Path home : homes) {
                Path release = home.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(launcher(home))) {
                    Matcher m = VERSION.matcher(new String(Files.readAllBytes(release), StandardCharsets.UTF_8));
                    if (m.find() && Integer.parseInt(m.group(1)) >= 21) {
                        return Optional.of(launcher(home).toString());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Path launcher(Path home) {
        return home.resolve("bin").resolve("java");
    }
}
