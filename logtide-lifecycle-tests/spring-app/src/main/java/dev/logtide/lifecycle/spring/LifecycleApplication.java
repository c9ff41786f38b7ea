package dev.logtide.lifecycle.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A small Spring Boot web application as users write them: it logs through SLF4J, and LogTide is
 * configured only in {@code logback-spring.xml} / {@code log4j2-spring.xml}.
 */
@SpringBootApplication
@RestController
public class LifecycleApplication {
    private static final Logger log = LoggerFactory.getLogger(LifecycleApplication.class);

    /** Opens when Spring starts closing the context (after SIGTERM), before the graceful shutdown waits. */
    private final CountDownLatch closing = new CountDownLatch(1);

    /**
     * @param args Spring Boot arguments, such as {@code --server.port=0 --logtide.api-url=...}
     */
    public static void main(String[] args) {
        SpringApplication.run(LifecycleApplication.class, args);
    }

    @EventListener(ContextClosedEvent.class)
    void onClose() {
        closing.countDown();
    }

    /** @return a greeting, after logging one INFO */
    @GetMapping("/hello")
    public String hello() {
        log.info("hello request served");
        return "hello";
    }

    /**
     * A request that is still running when the application is told to stop, and logs an INFO and
     * an ERROR with an exception once the shutdown has begun.
     *
     * @return the answer, sent while the graceful shutdown waits for this request
     * @throws InterruptedException when interrupted
     */
    @GetMapping("/slow")
    public String slow() throws InterruptedException {
        log.info("slow request started");
        if (!closing.await(60, TimeUnit.SECONDS)) {
            log.warn("slow request: the application was not stopped within 60 s");
        }
        log.info("slow request finishing while the application stops");
        log.error("slow request failed while the application stops",
                new IllegalStateException("payment gateway closed", new IOException("connection reset by peer")));
        return "slow";
    }
}
