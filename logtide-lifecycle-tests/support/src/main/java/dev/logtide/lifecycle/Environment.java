package dev.logtide.lifecycle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Environment changes for the applications' child JVMs ({@code ChildJvm.start}). */
public final class Environment {
    private static final List<String> LOGTIDE_VARIABLES =
            List.of("LOGTIDE_DSN", "LOGTIDE_API_URL", "LOGTIDE_API_KEY", "LOGTIDE_SERVICE");

    private Environment() {
    }

    /** @return removes every {@code LOGTIDE_*} variable the adapters fall back to: only the configuration file counts */
    public static Map<String, String> withoutLogTide() {
        Map<String, String> environment = new HashMap<>();
        LOGTIDE_VARIABLES.forEach(name -> environment.put(name, null));
        return environment;
    }
}
