package dev.logtide.lifecycle.plain;

import dev.logtide.lifecycle.MissingSettings;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, row 11 without Spring Boot: a plain Logback application whose logback.xml names
 * ${LOGTIDE_API_URL} / ${LOGTIDE_API_KEY} as the docs show, started where neither is set (a
 * laptop, CI). It runs, and the appender says why it is inactive in one warning.
 */
class MissingSettingsTest {
    @Test
    void withoutUrlOrKeyTheApplicationRunsAndTheAppenderSaysWhyInOneWarning() throws Exception {
        MissingSettings.assertRunsAndWarnsOnce(LogbackApplication.class);
    }
}
