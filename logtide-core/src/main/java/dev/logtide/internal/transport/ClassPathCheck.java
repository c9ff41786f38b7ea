package dev.logtide.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.internal.diagnostics.Diagnostics;
import dev.logtide.internal.entry.SdkInfo;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Manifest;

/**
 * Checks, once per JVM and before a client first touches OkHttp, the OkHttp, Okio, Kotlin stdlib
 * and Jackson that the application's dependency management put on the class path, and names the
 * versions found when they are not what the SDK can run on (docs/compatibility.md).
 *
 * <p>Each rule tests for what the SDK or OkHttp 5 actually calls, found by running the delivery and
 * query paths on the versions named: OkHttp 5 on an Okio without {@code Okio.socket(Socket)}
 * (Okio 3.6.0, which OkHttp 4.12 brings) fails every request with a {@code NoSuchMethodError} in
 * the sender thread; on a Kotlin stdlib without {@code kotlin.enums} (before 1.8.20) it cannot
 * create a client. Those stop the client at start. OkHttp 4.12 ahead of OkHttp 5 on the class path
 * (both use the package {@code okhttp3}) delivers and queries, but is not what the SDK is built
 * for; Jackson before 2.15 delivers but fails every query. Those are warnings.
 */
public final class ClassPathCheck {
    private final List<String> stops = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private ClassPathCheck() {
    }

    /** The class path does not change while the JVM runs: inspected once, when the first client starts. */
    private static final class Once {
        static final ClassPathCheck RESULT = inspect();
    }

    /**
     * Reports what is wrong with the class path, in one message.
     *
     * @param diagnostics where a combination that works but is not the one the SDK is built for is
     *                    reported, as a warning
     * @throws IllegalStateException naming the versions found, when OkHttp cannot run on them: the
     *                               client must not start (its message is the diagnostic)
     */
    public static void verify(Diagnostics diagnostics) {
        ClassPathCheck result = Once.RESULT;
        if (!result.stops.isEmpty()) {
            List<String> all = new ArrayList<>(result.stops);
            all.addAll(result.warnings);
            throw new IllegalStateException("LogTide cannot send from this class path: " + String.join("; ", all)
                    + " (docs/compatibility.md)");
        }
        if (!result.warnings.isEmpty()) {
            diagnostics.warn("LogTide runs on a class path it is not built for: " + String.join("; ", result.warnings)
                    + " (docs/compatibility.md)", null);
        }
    }

    private static ClassPathCheck inspect() {
        ClassPathCheck check = new ClassPathCheck();
        try {
            check.okHttp();
            check.jackson();
        } catch (RuntimeException | LinkageError e) {
            // A check that cannot look must not be what stops the client.
            check.warnings.add("the class path could not be checked: " + e);
        }
        return check;
    }

    private void okHttp() {
        ClassLoader loader = OkHttpClient.class.getClassLoader();
        String okhttp = okHttpVersion(loader);
        String okhttpJar = jarOf(OkHttpClient.class);
        List<String> copies = jarsHolding(loader, "okhttp3/OkHttpClient.class");
        if (!okhttp.startsWith("5.")) {
            warnings.add("the okhttp3 classes in use are OkHttp " + okhttp + " (" + okhttpJar + "), not OkHttp 5"
                    + (copies.size() > 1 ? "; okhttp3 is in " + String.join(", ", copies) + " and the first wins" : "")
                    + "; declare com.squareup.okhttp3:okhttp " + SdkInfo.BUILT_OKHTTP + " (OkHttp 5's okhttp"
                    + " holds no classes) or exclude the older okhttp");
            return; // what follows is what OkHttp 5 needs
        }
        if (copies.size() > 1) {
            warnings.add("okhttp3 is in " + String.join(", ", copies) + "; OkHttp " + okhttp + " from " + okhttpJar
                    + " is used, and a class it lacks may come from the other copy; keep one OkHttp");
        }
        if (!hasMethod("okio.Okio", loader, "socket", Socket.class)) {
            stops.add("OkHttp " + okhttp + " (" + okhttpJar + ") cannot run on " + okioVersion()
                    + ", which lacks okio.Okio.socket(Socket); declare com.squareup.okio:okio-jvm " + SdkInfo.BUILT_OKIO
                    + ", the version okhttp-jvm " + SdkInfo.BUILT_OKHTTP + " asks for");
        }
        if (!hasClass("kotlin.enums.EnumEntriesKt", loader)) {
            stops.add("OkHttp " + okhttp + " (" + okhttpJar + ") needs Kotlin stdlib 1.8.20 or newer (kotlin.enums), found "
                    + kotlinVersion(loader) + "; declare org.jetbrains.kotlin:kotlin-stdlib " + SdkInfo.BUILT_KOTLIN
                    + ", the version okhttp-jvm " + SdkInfo.BUILT_OKHTTP + " asks for");
        }
    }

    /** The query API reads JSON with JsonNode.properties() and StreamReadConstraints, both from Jackson 2.15. */
    private void jackson() {
        ClassLoader loader = JsonNode.class.getClassLoader();
        if (!hasMethod(JsonNode.class.getName(), loader, "properties")
                || !hasClass("com.fasterxml.jackson.core.StreamReadConstraints", loader)) {
            warnings.add("jackson-databind " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION
                    + " and jackson-core " + com.fasterxml.jackson.core.json.PackageVersion.VERSION
                    + " deliver, but the query API (query, stats, live tail) needs 2.15 or newer");
        }
    }

    /** {@code OkHttp.VERSION} is a compile-time constant: only reflection reads the one on the class path. */
    private static String okHttpVersion(ClassLoader loader) {
        try {
            return String.valueOf(Class.forName("okhttp3.OkHttp", false, loader).getField("VERSION").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return "of unknown version";
        }
    }

    private static String okioVersion() {
        try {
            Class<?> okio = Class.forName("okio.Buffer", false, OkHttpClient.class.getClassLoader());
            return "Okio " + manifestVersion(okio) + " (" + jarOf(okio) + ")";
        } catch (ClassNotFoundException | LinkageError e) {
            return "a class path without Okio";
        }
    }

    private static String kotlinVersion(ClassLoader loader) {
        try {
            Class<?> version = Class.forName("kotlin.KotlinVersion", false, loader);
            return "Kotlin stdlib " + version.getField("CURRENT").get(null) + " (" + jarOf(version) + ")";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "no Kotlin stdlib";
        }
    }

    private static boolean hasClass(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean hasMethod(String className, ClassLoader loader, String method, Class<?>... parameters) {
        try {
            Class.forName(className, false, loader).getMethod(method, parameters);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** Okio states its version only as the OSGi Bundle-Version of its jar's manifest. */
    private static String manifestVersion(Class<?> type) {
        URL classFile = type.getResource(type.getSimpleName() + ".class");
        String url = classFile == null ? "" : classFile.toString();
        int end = url.lastIndexOf("!/");
        if (end < 0) {
            return "of unknown version";
        }
        try (InputStream in = new URL(url.substring(0, end + 2) + "META-INF/MANIFEST.MF").openStream()) {
            String version = new Manifest(in).getMainAttributes().getValue("Bundle-Version");
            return version == null ? "of unknown version" : version;
        } catch (IOException | RuntimeException e) {
            return "of unknown version";
        }
    }

    /** The file name of the jar (or directory) a class was loaded from: no path, which may name the user. */
    private static String jarOf(Class<?> type) {
        URL classFile = type.getResource(type.getSimpleName() + ".class");
        return classFile == null ? "an unknown jar" : fileName(classFile);
    }

    private static List<String> jarsHolding(ClassLoader loader, String resource) {
        List<String> jars = new ArrayList<>();
        try {
            Enumeration<URL> found = loader == null ? Collections.emptyEnumeration() : loader.getResources(resource);
            while (found.hasMoreElements()) {
                jars.add(fileName(found.nextElement()));
            }
        } catch (IOException e) {
            // the count is advice only
        }
        return jars;
    }

    /** {@code jar:file:/m2/okhttp-4.12.0.jar!/okhttp3/OkHttpClient.class} is {@code okhttp-4.12.0.jar}. */
    private static String fileName(URL url) {
        String s = url.toString();
        int end = s.lastIndexOf("!/");
        String container = end < 0 ? s : s.substring(0, end);
        if (end < 0) {
            // a directory: drop the class's own path
            int pkg = container.lastIndexOf('/', container.lastIndexOf('/') - 1);
            container = pkg < 0 ? container : container.substring(0, pkg);
        }
        return container.substring(container.lastIndexOf('/') + 1);
    }
}
