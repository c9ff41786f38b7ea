package dev.logtide.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application with its own {@code module-info.java}, compiled and started the way a modular
 * application is: everything on {@code --module-path}, nothing on the class path. The module path is
 * what Maven gives the module under test at run time: its own classes plus the file
 * {@code target/module-path.txt} that the build writes (compile and provided dependencies,
 * which is where the logging framework comes from).
 */
public final class ModularApp {
    private ModularApp() {
    }

    /**
     * Runs the module's test application, {@code src/test/modular-app} (module {@code app}, main class
     * {@code app.Main}, which logs {@code "modular 0"} to {@code "modular <entries - 1>"} through the
     * adapter configured from the system properties {@code logtide.test.url} and {@code logtide.test.key},
     * then prints {@code "modules: <adapter module> <OkHttp's module> <its own module>"}), and asserts that
     * it ran on the module path and that every entry arrived, in order.
     *
     * @param adapterModule the module the application requires, e.g. {@code dev.logtide.logback}
     * @param entries       how many entries it logs
     * @param jvmArgs       further options, such as the framework's configuration file
     * @throws Exception when it cannot be compiled or started
     */
    public static void assertDeliversEveryEntry(String adapterModule, int entries, List<String> jvmArgs) throws Exception {
        try (IngestServer server = new IngestServer()) {
            List<String> options = new ArrayList<>(jvmArgs);
            options.add("-Dlogtide.test.url=" + server.url());
            options.add("-Dlogtide.test.key=" + IngestServer.API_KEY);
            ChildJvm.Result child = run(Paths.get("src/test/modular-app"), modulePath(), "app", "app.Main", options, 60_000);

            assertEquals(0, child.exitCode, child.toString());
            assertTrue(child.output.contains("modules: " + adapterModule + " okhttp3 app"), child.toString());
            // The start-time class path check reads OkHttp, Okio, Kotlin and Jackson on the module path too.
            assertFalse(child.output.contains("class path it is not built for"), child.toString());
            List<JsonNode> received = server.awaitEntries(entries, Duration.ofSeconds(10));
            assertEquals(IntStream.range(0, entries).mapToObj(i -> "modular " + i).collect(Collectors.toList()),
                    received.stream().map(e -> e.get("message").asText()).collect(Collectors.toList()), child.toString());
        }
    }

    /**
     * @return the module under test's classes and its non-test dependencies, as paths
     * @throws IOException when the build did not write {@code target/module-path.txt}
     */
    public static List<Path> modulePath() throws IOException {
        Path target = Paths.get("target");
        List<Path> path = new ArrayList<>();
        path.add(target.resolve("classes").toAbsolutePath());
        String listed = new String(Files.readAllBytes(target.resolve("module-path.txt")), StandardCharsets.UTF_8).trim();
        for (String entry : listed.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                path.add(Paths.get(entry));
            }
        }
        return path;
    }

    /**
     * Compiles the application in {@code sourceDir} ({@code module-info.java}, its packages, and any
     * other file as a resource) against {@code modulePath} and runs {@code module/mainClass}.
     *
     * @param sourceDir  the application's source tree
     * @param modulePath the libraries, as {@link #modulePath()} gives them
     * @param module     the application's module name
     * @param mainClass  its main class
     * @param jvmArgs    options such as {@code -Dkey=value}
     * @param waitMillis how long to wait for it to exit before killing it
     * @return how it ended
     * @throws IOException when it does not compile or cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    public static ChildJvm.Result run(Path sourceDir, List<Path> modulePath, String module, String mainClass,
                                      List<String> jvmArgs, long waitMillis) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("modular-app");
        String libraries = modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        // The JDK's javac launcher: javax.tools would make the core's module read java.compiler for its tests.
        String javac = System.getProperty("java.home") + File.separator + "bin" + File.separator + "javac";
        List<String> compile = new ArrayList<>(Arrays.asList(javac, "--module-path", libraries, "-d", out.toString()));
        try (Stream<Path> files = Files.walk(sourceDir)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                if (file.toString().endsWith(".java")) {
                    compile.add(file.toString());
                } else {
                    Path copy = out.resolve(sourceDir.relativize(file).toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy);
                }
            }
        }
        ChildJvm.Result compiled = ChildJvm.run(compile, 120_000);
        if (compiled.exitCode != 0) {
            throw new IOException("the application does not compile: " + compiled);
        }
        List<String> command = new ArrayList<>(Arrays.asList(ChildJvm.java(),
                "--module-path", out + File.pathSeparator + libraries));
        command.addAll(jvmArgs);
        command.addAll(Arrays.asList("--module", module + "/" + mainClass));
        return ChildJvm.run(command, waitMillis);
    }
}
