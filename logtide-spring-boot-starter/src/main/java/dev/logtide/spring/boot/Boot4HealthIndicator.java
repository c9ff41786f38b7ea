package dev.logtide.spring.boot;

import dev.logtide.LogTideClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** {@link LogTideHealth} through Spring Boot 4's health API ({@code org.springframework.boot.health.contributor}). */
final class Boot4HealthIndicator implements HealthIndicator {
    private final LogTideClient client;

    Boot4HealthIndicator(LogTideClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        return Health.status(new Status(LogTideHealth.status(client))).withDetails(LogTideHealth.details(client)).build();
    }
}
