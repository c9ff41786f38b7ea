package dev.logtide.lifecycle;

import dev.logtide.testing.ChildJvm;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12, row 11 for applications that run to the end of {@code main} by themselves. */
public final class MissingSettings {
    private MissingSettings() {
    }

    /**
     * Runs an application in a child JVM without any {@code LOGTIDE_*} variable: it must log
     * "application ran", exit 0, and the appender must say why it is inactive in one warning
     * ({@link Console#assertInactiveWithOneWarning}).
     *
     * @param mainClass the application
     * @throws Exception when the child cannot be run
     */
    public static void assertRunsAndWarnsOnce(Class<?> mainClass) throws Exception {
        try (ChildJvm.Running app = ChildJvm.start(mainClass, List.of(), List.of(), Environment.withoutLogTide())) {
            ChildJvm.Result ended = app.awaitExit(60_000);

            assertTrue(ended.exited, ended::toString);
            assertEquals(0, ended.exitCode, ended::toString);
            Console.assertPrinted(ended, "application ran");
            Console.assertInactiveWithOneWarning(ended);
        }
    }
}
