package dev.logtide.internal.transport;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.testing.ChildJvm;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large entries in a child JVM with a small heap: the sender reserves and keeps memory for what it
 * sends of them, not for their full messages, and lets it go once the batch is settled.
 */
class LargeBatchMemoryTest {
    private static final int ENTRIES = 200;
    private static final int MESSAGE_CHARS = 1_000_000;
    private final IngestServer server = new IngestServer();

    @AfterEach
    void stop() {
        server.close();
    }

    /** Logs 200 one-megabyte messages (cut to maxLogSize when sent), flushes, then prints the heap in use. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String message = String.join("", Collections.nCopies(MESSAGE_CHARS / 10, "0123456789"));
            try (LogTideClient client = new LogTideClient(ClientOptions.builder().apiUrl(args[0]).apiKey(IngestServer.API_KEY)
                    .batchSize(1000).maxBatchBytes(Integer.MAX_VALUE).registerShutdownHook(false)
                    .maxBufferBytes(1L << 30).build())) { // one shared string, estimated per entry
                for (int i = 0; i < ENTRIES; i++) {
                    client.info("large", message);
                }
                client.flush();
                System.gc();
                Runtime rt = Runtime.getRuntime();
                System.out.println("SENT " + client.getMetrics().logsSent() + " DROPPED " + client.getMetrics().logsDropped()
                        + " USED_MB " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
            }
        }
    }

    @Test
    void largeMessagesAreSentWithoutReservingTheirFullSizeAndTheBatchIsNotKeptAfterwards() throws Exception {
        // 200 messages of 1,000,000 characters: 200 MB if reserved in full, 160 MB of heap.
        ChildJvm.Result r = ChildJvm.run(Child.class, Arrays.asList("-Xmx160m", "-XX:+UseSerialGC"),
                Collections.singletonList(server.url()), 120_000);
        Matcher m = Pattern.compile("SENT (\\d+) DROPPED (\\d+) USED_MB (\\d+)").matcher(r.output);
        assertTrue(r.exited && m.find(), r::toString);
        assertEquals(ENTRIES + " 0", m.group(1) + " " + m.group(2), r::toString);
        assertEquals(ENTRIES, server.entries().size());
        // Sent, each entry is cut to maxLogSize (100 KiB): 20 MB of JSON in a 32 MB array, not kept.
        assertTrue(Integer.parseInt(m.group(3)) < 24, "heap in use after the flush: " + r);
    }
}
