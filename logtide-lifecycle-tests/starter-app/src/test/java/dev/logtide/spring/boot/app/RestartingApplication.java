package dev.logtide.spring.boot.app;

import dev.logtide.LogTideClient;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts, closes and starts {@link StarterApplication} again in the same JVM, as a DevTools
 * restart does, and prints after each start how many LogTide sender threads and client beans
 * there are.
 */
public final class RestartingApplication {
    private RestartingApplication() {
    }

    /**
     * @param args Spring Boot arguments
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        for (int run = 1; run <= 3; run++) {
            ConfigurableApplicationContext context = SpringApplication.run(StarterApplication.class, args);
            System.out.println("run " + run + ": sender threads " + senderThreads()
                    + ", clients " + context.getBeansOfType(LogTideClient.class).size());
            context.close();
        }
    }

    /** Live sender threads; a closed client's thread may take a moment to end, so this waits up to 10 s for one. */
    private static long senderThreads() throws InterruptedException {
        long count = 0;
        for (int i = 0; i < 100; i++) {
            count = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().equals("logtide-sender")).count();
            if (count <= 1) {
                break;
            }
            Thread.sleep(100);
        }
        return count;
    }
}
