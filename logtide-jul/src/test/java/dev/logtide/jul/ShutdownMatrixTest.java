package dev.logtide.jul;

import dev.logtide.testing.ShutdownMatrix;
import dev.logtide.testing.ShutdownMatrix.Condition;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Paths;
import java.util.Collections;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JUL's rows of the shutdown matrix, in child JVMs configured by a real logging.properties: the
 * JVM's exit (LogManager's own hook resets it, which closes the handler) and an application that
 * resets the LogManager itself; plus lines an application's own shutdown hook logs.
 */
class ShutdownMatrixTest extends ShutdownMatrix {
    /**
     * The child: logs, then resets the LogManager (args[0] = "reset"), or registers a shutdown
     * hook that logs {@link #FROM_HOOK} lines as fast as it can ("hook": the reset at exit falls
     * between two of them), or just returns.
     */
    public static final class Child {
        /** Held strongly: JUL keeps loggers weakly. */
        private static final Logger LOG = Logger.getLogger("child.Main");
        static final int FROM_HOOK = 3_000;

        public static void main(String[] args) {
            for (int i = 0; i < ShutdownMatrix.LOGGED; i++) {
                LOG.info(ShutdownMatrix.MESSAGE_PREFIX + i);
            }
            if ("reset".equals(args[0])) {
                LogManager.getLogManager().reset();
            }
            if ("hook".equals(args[0])) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    for (int i = 0; i < FROM_HOOK; i++) {
                        LOG.info("from the application's shutdown hook " + i);
                    }
                }));
            }
        }
    }

    private void run(Condition condition, String lifecycle) throws Exception {
        run(condition, Child.class, Collections.singletonList("-Djava.util.logging.config.file="
                + Paths.get("target", "test-classes", "matrix-logging.properties").toAbsolutePath()),
                Collections.singletonList(lifecycle));
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void jvmExitResetsTheLogManager(Condition condition) throws Exception {
        run(condition, "return");
    }

    /** JUL's reset at exit runs at the same time as the application's hooks: repeated, for the race. */
    @RepeatedTest(3)
    void linesLoggedByTheApplicationsShutdownHookArrive() throws Exception {
        run(Condition.HEALTHY, "hook");
        long fromHook = server.entries().stream()
                .filter(e -> e.path("message").asText().startsWith("from the application's shutdown hook")).count();
        assertEquals(Child.FROM_HOOK, fromHook);
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void applicationResetsTheLogManager(Condition condition) throws Exception {
        run(condition, "reset");
    }
}
