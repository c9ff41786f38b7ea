package dev.logtide.lifecycle.okhttp4;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.io.IOException;

/**
 * A Spring Boot application without a web server that logs a few events and ends (the JVM's
 * shutdown hooks deliver what is buffered). LogTide is configured only in
 * {@code logback-spring.xml}; the class path is what Spring Boot's dependency management resolved
 * next to OkHttp 4.12 (see the pom).
 */
@SpringBootApplication
public class OrderApplication {
    private static final Logger log = LoggerFactory.getLogger(OrderApplication.class);

    /**
     * @param args Spring Boot arguments, such as {@code --logtide.url=...}
     */
    public static void main(String[] args) {
        SpringApplication.run(OrderApplication.class, args);
    }

    /** Runs once the context is up; the events the tests look for at the receiver. */
    @EventListener(ApplicationReadyEvent.class)
    void logOrder() {
        log.info("order A-1042 placed");
        log.warn("payment provider slow");
        log.error("checkout failed", new IllegalStateException("payment declined", new IOException("connection reset")));
    }
}
