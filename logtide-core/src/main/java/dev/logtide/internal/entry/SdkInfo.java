package dev.logtide.internal.entry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The SDK's name and version, sent as {@code metadata.sdk} and in the User-Agent header, and the
 * OkHttp, Okio and Kotlin versions it was built with.
 */
public final class SdkInfo {
    private static final Properties BUILD = read();

    /** The SDK name. */
    public static final String NAME = "logtide-java";
    /** The SDK version, from the build. */
    public static final String VERSION = BUILD.getProperty("version", "unknown");
    /** The {@code okhttp-jvm} version the SDK is built with. */
    public static final String BUILT_OKHTTP = BUILD.getProperty("okhttp", "unknown");
    /** The {@code okio-jvm} version that {@link #BUILT_OKHTTP} declares. */
    public static final String BUILT_OKIO = BUILD.getProperty("okio", "unknown");
    /** The {@code kotlin-stdlib} version that {@link #BUILT_OKHTTP} declares. */
    public static final String BUILT_KOTLIN = BUILD.getProperty("kotlin", "unknown");

    private SdkInfo() {
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = SdkInfo.class.getResourceAsStream("/dev/logtide/sdk.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // a missing resource only loses the version strings
        }
        return p;
    }
}
