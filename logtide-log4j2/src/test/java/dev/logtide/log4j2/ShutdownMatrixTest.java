package dev.logtide.log4j2;

import dev.logtide.testing.ShutdownMatrix;
import dev.logtide.testing.ShutdownMatrix.Condition;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Collections;

/**
 * Log4j2's rows of the shutdown matrix, in child JVMs configured by a real log4j2.xml: Log4j2's
 * own shutdown hook stopping the appender at exit, and an application that disabled it and calls
 * {@code LogManager.shutdown()} (the no-argument form, which gives appenders a tiny stop budget).
 */
class ShutdownMatrixTest extends ShutdownMatrix {
    /** The child: logs, then calls {@code LogManager.shutdown()} (args[0] = "shutdown") or just returns. */
    public static final class Child {
        public static void main(String[] args) {
            Logger log = LogManager.getLogger("child.Main");
            for (int i = 0; i < ShutdownMatrix.LOGGED; i++) {
                log.info(ShutdownMatrix.MESSAGE_PREFIX + i);
            }
            if ("shutdown".equals(args[0])) {
                LogManager.shutdown();
            }
        }
    }

    private void run(Condition condition, String config, String lifecycle) throws Exception {
        run(condition, Child.class, Collections.singletonList("-Dlog4j2.configurationFile=" + config),
                Collections.singletonList(lifecycle));
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void log4jShutdownHook(Condition condition) throws Exception {
        run(condition, "log4j2-matrix-hook.xml", "return");
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void logManagerShutdownWithTheHookDisabled(Condition condition) throws Exception {
        run(condition, "log4j2-matrix-nohook.xml", "shutdown");
    }
}
