package dev.logtide;

import dev.logtide.testing.IngestServer;
import dev.logtide.testing.ShutdownMatrix;
import dev.logtide.testing.ShutdownMatrix.Condition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Collections;

/**
 * The client's rows of the shutdown matrix, in child JVMs: {@code close()} called by the
 * application, and {@code main} returning without it (the client's own shutdown hook closes).
 */
class ClientShutdownMatrixTest extends ShutdownMatrix {
    /** The child: logs, then closes the client (args[1] = "close") or just returns. */
    public static final class Child {
        public static void main(String[] args) {
            LogTideClient client = new LogTideClient(ClientOptions.builder()
                    .apiUrl(args[0]).apiKey(IngestServer.API_KEY).service("child")
                    .batchSize(ShutdownMatrix.BATCH_SIZE).closeTimeoutMs(ShutdownMatrix.CLOSE_TIMEOUT_MS).build());
            for (int i = 0; i < ShutdownMatrix.LOGGED; i++) {
                client.info(null, ShutdownMatrix.MESSAGE_PREFIX + i);
            }
            if ("close".equals(args[1])) {
                client.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void closeDeliversEverything(Condition condition) throws Exception {
        run(condition, Child.class, Collections.emptyList(), Arrays.asList("{url}", "close"));
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void returningFromMainDeliversEverything(Condition condition) throws Exception {
        run(condition, Child.class, Collections.emptyList(), Arrays.asList("{url}", "return"));
    }
}
