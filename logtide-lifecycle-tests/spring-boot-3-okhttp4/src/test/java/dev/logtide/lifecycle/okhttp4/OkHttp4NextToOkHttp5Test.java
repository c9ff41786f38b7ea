package dev.logtide.lifecycle.okhttp4;

import dev.logtide.lifecycle.Console;
import dev.logtide.lifecycle.Environment;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23's measured case, run as the application: Spring Boot 3.5.7's dependency management with
 * OkHttp 4.12 next to the SDK's OkHttp 5.3.2. Both {@code okhttp-4.12.0.jar} and
 * {@code okhttp-jvm-5.3.2.jar} hold the package {@code okhttp3}, and the first on the class path
 * wins: Maven puts OkHttp 4.12 first, and the SDK works on it, saying so; with OkHttp 5 first it
 * cannot work on the Okio 3.6.0 that came with OkHttp 4.12, and says that at start instead of
 * failing every request in the sender thread. Either way the application runs on.
 */
class OkHttp4NextToOkHttp5Test {
    /** Upper bound only: a Spring Boot start on two shared cores under a parallel build is slow. */
    private static final long RUN_WAIT_MS = 120_000;
    private static final String SERVICE = "okhttp4-app";
    private static final String OKHTTP4 = "okhttp-4.12.0.jar";
    private static final String OKHTTP5 = "okhttp-jvm-5.3.2.jar";

    @Test
    void theClassPathIsWhatSpringBootsDependencyManagementResolved() throws Exception {
        List<String> jars = applicationClassPath().stream().map(entry -> new File(entry).getName())
                .collect(Collectors.toList());
        for (String jar : List.of(OKHTTP4, OKHTTP5, "okio-jvm-3.6.0.jar", "kotlin-stdlib-1.9.25.jar",
                "jackson-databind-2.19.2.jar", "jackson-core-2.19.2.jar", "spring-boot-3.5.7.jar")) {
            assertTrue(jars.contains(jar), jar + " expected on " + jars);
        }
        assertFalse(jars.stream().anyMatch(jar -> jar.startsWith("okio-jvm-3.16")), jars.toString());
        assertTrue(jars.indexOf(OKHTTP4) < jars.indexOf(OKHTTP5), "Maven puts OkHttp 4.12 first: " + jars);
    }

    @Test
    void onOkHttp4TheSdkDeliversEveryLineAndWarnsOnceNamingBothOkHttps() throws Exception {
        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result app = run(applicationClassPath(), server);

            assertEquals(0, app.exitCode, app.toString());
            Console.assertPrinted(app, "checkout failed");
            Console.assertEveryLineArrived(app, server.entries(), SERVICE);
            List<String> warnings = Console.statusLines(app.output, "WARN");
            assertEquals(1, warnings.size(), "one warning about LogTide expected: " + app);
            assertTrue(warnings.get(0).contains("OkHttp 4.12.0 (" + OKHTTP4 + "), not OkHttp 5")
                    && warnings.get(0).contains(OKHTTP5), warnings.get(0));
            assertEquals(List.of(), Console.statusLines(app.output, "ERROR"), app.toString());
        }
    }

    @Test
    void onOkHttp5WithOkHttp4sOkioTheClientDoesNotStartAndSaysWhyNamingTheVersions() throws Exception {
        // The same jars with OkHttp 5 ahead of OkHttp 4, as another packager may order them.
        List<String> classPath = applicationClassPath();
        String okhttp4 = classPath.stream().filter(entry -> entry.endsWith(OKHTTP4)).findFirst().orElseThrow();
        classPath.remove(okhttp4);
        classPath.add(okhttp4);
        try (IngestServer server = new IngestServer()) {
            ChildJvm.Result app = run(classPath, server);

            assertEquals(0, app.exitCode, "the application runs on: " + app);
            Console.assertPrinted(app, "checkout failed");
            assertTrue(app.output.contains("OkHttp 5.3.2 (" + OKHTTP5 + ") cannot run on Okio 3.6.0 (okio-jvm-3.6.0.jar)"
                    + ", which lacks okio.Okio.socket(Socket); declare com.squareup.okio:okio-jvm 3.16.4"), app.toString());
            assertFalse(app.output.contains("NoSuchMethodError"), "not an error per request: " + app);
            assertEquals(List.of(), server.requests(), "a client that cannot work does not start");
        }
    }

    private static ChildJvm.Result run(List<String> classPath, IngestServer server) throws Exception {
        List<String> args = List.of("--logtide.url=" + server.url(), "--logtide.key=" + IngestServer.API_KEY);
        // C1 only: the application runs for seconds, and two shared cores start it faster this way.
        try (ChildJvm.Running app = ChildJvm.start(String.join(File.pathSeparator, classPath),
                OrderApplication.class.getName(), List.of("-XX:TieredStopAtLevel=1"), args, Environment.withoutLogTide())) {
            return app.awaitExit(RUN_WAIT_MS);
        }
    }

    /** The application's own classes, then its dependencies in the order Maven resolved them. */
    private static List<String> applicationClassPath() throws Exception {
        List<String> entries = new ArrayList<>();
        entries.add(System.getProperty("logtide.test.applicationClasses"));
        String resolved = Files.readString(Path.of(System.getProperty("logtide.test.applicationClasspath"))).trim();
        entries.addAll(Arrays.asList(resolved.split(File.pathSeparator)));
        return entries;
    }
}
