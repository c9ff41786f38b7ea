package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import dev.logtide.testing.ShutdownMatrix;
import dev.logtide.testing.ShutdownMatrix.Condition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;

/**
 * Logback's rows of the shutdown matrix, in child JVMs configured by a real logback.xml: an
 * application that returns from {@code main} without stopping Logback, and one that stops its
 * {@code LoggerContext}.
 */
class ShutdownMatrixTest extends ShutdownMatrix {
    /** The child: logs, then stops Logback (args[0] = "stop") or just returns. */
    public static final class Child {
        public static void main(String[] args) {
            Logger log = LoggerFactory.getLogger("child.Main");
            for (int i = 0; i < ShutdownMatrix.LOGGED; i++) {
                log.info(ShutdownMatrix.MESSAGE_PREFIX + i);
            }
            if ("stop".equals(args[0])) {
                ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
            }
        }
    }

    private void run(Condition condition, String lifecycle) throws Exception {
        run(condition, Child.class, Collections.singletonList("-Dlogback.configurationFile=child-matrix.xml"),
                Collections.singletonList(lifecycle));
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void returningFromMainWithoutStoppingLogback(Condition condition) throws Exception {
        run(condition, "return");
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void stoppingTheLoggerContext(Condition condition) throws Exception {
        run(condition, "stop");
    }
}
