package dev.logtide.lifecycle.plain;

import dev.logtide.lifecycle.Console;
import dev.logtide.lifecycle.Environment;
import dev.logtide.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, row 11 without Spring Boot: a plain Logback application whose logback.xml names
 * ${LOGTIDE_API_URL} / ${LOGTIDE_API_KEY} as the docs show, started where neither is set (a
 * laptop, CI). It runs, and the appender says why it is inactive in one warning.
 */
class MissingSettingsTest {
    @Test
    void withoutUrlOrKeyTheApplicationRunsAndTheAppenderSaysWhyInOneWarning() throws Exception {
        try (ChildJvm.Running app = ChildJvm.start(LogbackApplication.class, List.of(), List.of(), Environment.withoutLogTide())) {
            ChildJvm.Result ended = app.awaitExit(60_000);

            assertTrue(ended.exited, ended::toString);
            assertEquals(0, ended.exitCode, ended::toString);
            Console.assertPrinted(ended, "application ran");
            Console.assertInactiveWithOneWarning(ended);
        }
    }
}
