package dev.logtide.contract;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.LogTideScope;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * VirtualThreadScopeTest's child, run on Java 21 or later: 1,000 virtual threads each push a scope,
 * sleep (so they leave their carrier thread and come back, possibly on another one) and log; then
 * log again without it; and one scope is handed to a virtual thread with {@code wrap}. The
 * virtual-thread executor is looked up by reflection: the tests compile for Java 11.
 * Arguments: the ingest server's URL and key.
 */
public final class VirtualThreadScopeMain {
    static final int TASKS = 1_000;

    private VirtualThreadScopeMain() {
    }

    public static void main(String[] args) throws Exception {
        LogTideClient client = new LogTideClient(ClientOptions.builder().apiUrl(args[0]).apiKey(args[1])
                .service("virtual").maxBufferSize(10_000).registerShutdownHook(false).build());
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            String id = Integer.toString(i);
            done.add(virtual.submit(() -> {
                start.await();
                try (LogTideScope scope = LogTideScope.push()) {
                    scope.setTag("task", id).setExtra("taskExtra", id);
                    Thread.sleep(1); // unmounted here; mounted again later, maybe on another carrier
                    client.info(null, "virtual task " + id + " on " + Thread.currentThread());
                }
                client.info(null, "virtual after task " + id);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        try (LogTideScope handed = LogTideScope.push()) {
            handed.setTag("task", "handed");
            virtual.submit(handed.wrap(() -> client.info(null, "virtual handed"))).get(60, TimeUnit.SECONDS);
        }
        virtual.shutdown();
        client.close();
        System.out.println("virtual threads done: " + client.getMetrics());
    }
}
