package dev.logtide.spring.boot.otel;

import dev.logtide.opentelemetry.LogTideOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application with logtide-opentelemetry on the class path and only
 * {@code logtide.*} properties: the starter's {@link LogTideOpenTelemetry} bean traces a request;
 * with Micrometer Tracing's OpenTelemetry bridge (module starter-boot-3-micrometer-otel) there is
 * no such bean and the request runs in the span Spring Boot's observation opened.
 */
@SpringBootApplication
@RestController
public class TracedApplication {
    private static final Logger log = LoggerFactory.getLogger(TracedApplication.class);

    private final LogTideOpenTelemetry openTelemetry;

    /** @param openTelemetry the starter's bean, absent with Micrometer Tracing */
    public TracedApplication(ObjectProvider<LogTideOpenTelemetry> openTelemetry) {
        this.openTelemetry = openTelemetry.getIfAvailable();
    }

    /** @param args Spring Boot arguments, such as {@code --logtide.api-url=...} */
    public static void main(String[] args) {
        SpringApplication.run(TracedApplication.class, args);
    }

    /** @return the trace id of the span the request ran in, after logging one INFO inside it */
    @GetMapping("/checkout")
    public String checkout() {
        if (openTelemetry == null) {
            log.info("charging the card");
            return Span.current().getSpanContext().getTraceId();
        }
        Span span = openTelemetry.tracer("traced-app").spanBuilder("checkout").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            log.info("charging the card");
            return span.getSpanContext().getTraceId();
        } finally {
            span.end();
        }
    }
}
