package dev.logtide.jul;

import dev.logtide.testing.ModularApp;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.Collections;

/**
 * An application whose module-info.java only {@code requires dev.logtide.jul}, everything on the module
 * path, configured by a logging.properties: the handler starts and all 10 entries arrive.
 */
class ModulePathTest {
    @Test
    void aModularApplicationDeliversEveryEntry() throws Exception {
        ModularApp.assertDeliversEveryEntry("dev.logtide.jul", 10, Collections.singletonList(
                "-Djava.util.logging.config.file=" + Paths.get("src/test/modular-app/logging.properties").toAbsolutePath()));
    }
}
