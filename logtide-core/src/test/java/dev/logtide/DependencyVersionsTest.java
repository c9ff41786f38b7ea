package dev.logtide;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logtide.diagnostics.DiagnosticListener.Severity;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The compatibility executions (docs/compatibility.md) really run on the versions they name: each
 * passes the Jackson, Kotlin, OkHttp and Okio versions it put on the class path. And the start-time
 * class path check finds nothing wrong with any of them.
 */
class DependencyVersionsTest {
    @Test
    void jacksonKotlinOkHttpAndOkioAreTheVersionsTheExecutionNames() throws Exception {
        assertEquals(System.getProperty("logtide.test.jacksonVersion"), new ObjectMapper().version().toString());
        // Reflection: the core's module does not read kotlin.stdlib, OkHttp's does.
        Object kotlin = Class.forName("kotlin.KotlinVersion").getField("CURRENT").get(null);
        assertEquals(System.getProperty("logtide.test.kotlinVersion"), kotlin.toString());
        // OkHttp.VERSION is a compile-time constant: only reflection reads the one on the class path.
        assertEquals(System.getProperty("logtide.test.okhttpVersion"),
                Class.forName("okhttp3.OkHttp").getField("VERSION").get(null));
        URL buffer = okio.Buffer.class.getResource("Buffer.class");
        String jar = buffer.toString().substring(0, buffer.toString().lastIndexOf("!/") + 2);
        try (InputStream in = new URL(jar + "META-INF/MANIFEST.MF").openStream()) {
            assertEquals(System.getProperty("logtide.test.okioVersion"),
                    new Manifest(in).getMainAttributes().getValue("Bundle-Version"));
        }
    }

    @Test
    void theClassPathCheckFindsNothingWrongWithTheseVersions() {
        List<String> reported = new CopyOnWriteArrayList<>();
        try (LogTideClient client = new LogTideClient(ClientOptions.builder()
                .apiUrl("http://127.0.0.1:9").apiKey("lp_test").registerShutdownHook(false)
                .diagnosticListener((Severity severity, String message, Throwable error) -> {
                    if (severity == Severity.WARN || severity == Severity.ERROR) {
                        reported.add(message);
                    }
                }).build())) {
            assertEquals(List.of(), reported);
        }
    }
}
