package dev.logtide.entry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The SDK's name and version, sent as {@code metadata.sdk} and in the User-Agent header. */
public final class SdkInfo {
    /** The SDK name. */
    public static final String NAME = "logtide-java";
    /** The SDK version, from the build. */
    public static final String VERSION = readVersion();

    private SdkInfo() {
    }

    private static String readVersion() {
        try (InputStream in = SdkInfo.class.getResourceAsStream("/dev/logtide/sdk.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException ignored) {
            // fall through: a missing resource only loses the version string
        }
        return "unknown";
    }
}
