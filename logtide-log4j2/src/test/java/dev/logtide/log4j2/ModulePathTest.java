package dev.logtide.log4j2;

import dev.logtide.testing.ModularApp;
import org.junit.jupiter.api.Test;

import java.util.Collections;

/**
 * An application whose module-info.java only {@code requires dev.logtide.log4j2}, everything on the module
 * path, configured by its own log4j2.xml: the plugin is found, starts, and all 10 entries arrive.
 */
class ModulePathTest {
    @Test
    void aModularApplicationDeliversEveryEntry() throws Exception {
        ModularApp.assertDeliversEveryEntry("dev.logtide.log4j2", 10, Collections.emptyList());
    }
}
