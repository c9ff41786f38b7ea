package dev.logtide.spring.boot;

import dev.logtide.LogTideClient;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/** {@link LogTideHealth} through Spring Boot 3's health API ({@code org.springframework.boot.actuate.health}). */
final class Boot3HealthIndicator implements HealthIndicator {
    private final LogTideClient client;

    Boot3HealthIndicator(LogTideClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        return Health.status(new Status(LogTideHealth.status(client))).withDetails(LogTideHealth.details(client)).build();
    }
}
