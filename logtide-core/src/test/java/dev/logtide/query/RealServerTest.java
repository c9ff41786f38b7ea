package dev.logtide.query;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link ReadApiScenarios} against a real LogTide server: {@code ./mvnw -B -ntp -Preal-server -pl
 * logtide-core -am verify} with {@code LOGTIDE_API_URL} and {@code LOGTIDE_API_KEY} set. Skipped
 * without them; the default build leaves this class out (tag {@code real-server}).
 */
@Tag("real-server")
@EnabledIfEnvironmentVariable(named = "LOGTIDE_API_URL", matches = ".+")
@EnabledIfEnvironmentVariable(named = "LOGTIDE_API_KEY", matches = ".+")
class RealServerTest extends ReadApiScenarios {
    @Override
    String apiUrl() {
        return System.getenv("LOGTIDE_API_URL");
    }

    @Override
    String apiKey() {
        return System.getenv("LOGTIDE_API_KEY");
    }

    @Override
    String measuredOn() {
        return "the real server " + apiUrl().replaceAll("//[^@/]*@", "//");
    }
}
