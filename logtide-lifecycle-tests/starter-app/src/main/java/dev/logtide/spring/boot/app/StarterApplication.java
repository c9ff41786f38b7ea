package dev.logtide.spring.boot.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

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
