package dev.logtide.spring.boot.app;

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
 * A Spring Boot web application with logtide-spring-boot-starter and no logging file at all:
 * LogTide is configured only through {@code logtide.*} properties (here, command-line arguments).
 */
@SpringBootApplication
@RestController
public class StarterApplication {
    private static final Logger log = LoggerFactory.getLogger(StarterApplication.class);

    /** @param args Spring Boot arguments, such as {@code --server.port=0 --logtide.api-url=...} */
    public static void main(String[] args) {
        SpringApplication.run(StarterApplication.class, args);
    }

    /** Opens when Spring starts closing the context (after SIGTERM), before the graceful shutdown waits. */
    private final CountDownLatch closing = new CountDownLatch(1);

    @EventListener(ContextClosedEvent.class)
    void onClose() {
        closing.countDown();
    }

    /**
     * A request still running when the application is told to stop (servlet applications only:
     * it blocks its thread), logging an INFO once the shutdown has begun.
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
        return "slow";
    }

    /** @return a greeting, after logging one INFO */
    @GetMapping("/hello")
    public String hello() {
        log.info("hello request served");
        return "hello";
    }

    /** @return an answer, after logging an ERROR with an exception and its cause */
    @GetMapping("/fail")
    public String fail() {
        log.error("payment failed",
                new IllegalStateException("payment gateway closed", new IOException("connection reset by peer")));
        return "failed";
    }
}
