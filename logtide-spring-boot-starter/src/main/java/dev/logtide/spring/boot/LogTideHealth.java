package dev.logtide.spring.boot;

import dev.logtide.CircuitState;
import dev.logtide.ClientMetrics;
import dev.logtide.LogTideClient;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the health contributor {@code logTide} reports, for both Spring Boot health APIs: status
 * {@value #UP} while the circuit breaker is closed, {@value #DEGRADED} while it is open or
 * probing.
 *
 * <p>Why a status of its own and not {@code DOWN} or {@code OUT_OF_SERVICE}: a log server that
 * is unreachable must not take the application out of its load balancer or get it restarted by
 * a liveness probe. Spring Boot's aggregation ({@code management.endpoint.health.status.order},
 * default {@code DOWN, OUT_OF_SERVICE, UP, UNKNOWN}) ranks a status it does not list below those,
 * so the application's overall health stays {@code UP} (HTTP 200) while {@code /actuator/health/logTide}
 * says {@code DEGRADED}. Add {@code DEGRADED} to that order (and to
 * {@code management.endpoint.health.status.http-mapping}) to make it count.
 */
final class LogTideHealth {
    static final String UP = "UP";
    static final String DEGRADED = "DEGRADED";

    private LogTideHealth() {
    }

    static String status(LogTideClient client) {
        return client.getCircuitBreakerState() == CircuitState.CLOSED ? UP : DEGRADED;
    }

    static Map<String, Object> details(LogTideClient client) {
        ClientMetrics m = client.getMetrics();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("circuitBreaker", client.getCircuitBreakerState().name().toLowerCase(Locale.ROOT));
        details.put("sent", m.logsSent());
        details.put("dropped", m.logsDropped());
        details.put("errors", m.errors());
        details.put("buffered", m.bufferedEntries());
        return details;
    }
}
