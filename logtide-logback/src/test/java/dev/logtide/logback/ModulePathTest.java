package dev.logtide.logback;

import dev.logtide.testing.ModularApp;
import org.junit.jupiter.api.Test;

import java.util.Collections;

/**
 * An application whose module-info.java {@code requires dev.logtide.logback} (and SLF4J), everything on
 * the module path, configured by its own logback.xml: the appender starts and all 11 entries arrive.
 */
class ModulePathTest {
    @Test
    void aModularApplicationDeliversEveryEntry() throws Exception {
        ModularApp.assertDeliversEveryEntry("dev.logtide.logback", 11, Collections.emptyList());
    }
}
