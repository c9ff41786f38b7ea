package dev.logtide.query;

import dev.logtide.ClientOptions;
import dev.logtide.internal.transport.HttpClients;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a child JVM with a small heap ({@link QueryLimitsTest}): tails the URL given for a few
 * seconds with a slow callback, then prints how many logs arrived.
 */
public final class LiveTailMemoryChild {
    private LiveTailMemoryChild() {
    }

    public static void main(String[] args) throws Exception {
        ClientOptions options = ClientOptions.builder().apiUrl(args[0]).apiKey(ServerShapes.KEY).build();
        QueryClient client = new QueryClient(HttpClients.forOptions(options), args[0], ServerShapes.KEY, null);
        AtomicLong delivered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        LiveTail tail = client.stream(record -> {
            delivered.incrementAndGet();
            try {
                Thread.sleep(20); // a slow callback: the stream backs up behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, error -> failed.incrementAndGet(), LiveTailOptions.defaults());
        Thread.sleep(Long.parseLong(args[1]));
        tail.close();
        System.out.println("delivered=" + delivered.get() + " failed=" + failed.get() + " running=" + tail.isRunning()
                + " usedMiB=" + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024));
        System.exit(0);
    }
}
