package dev.logtide.spring.boot;

import dev.logtide.CircuitState;
import dev.logtide.ClientMetrics;
import dev.logtide.DropReason;
import dev.logtide.LogTideClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The client's figures ({@link LogTideClient#getMetrics()}) as Micrometer meters, read when the
 * registry is scraped:
 * <ul>
 *   <li>{@code logtide.logs.sent}, {@code logtide.logs.truncated}: counters, entries;</li>
 *   <li>{@code logtide.logs.dropped}: a counter per {@code reason} tag ({@link DropReason} in
 *       lower case: {@code buffer_full}, {@code retries_exhausted}, ...);</li>
 *   <li>{@code logtide.logs.spooled}, {@code logtide.logs.drained}, {@code logtide.spool.corrupt}:
 *       counters, the disk spool's entries written, read back, and records skipped as torn;</li>
 *   <li>{@code logtide.spool.pending.bytes}: gauge, bytes in the spool not yet accepted;</li>
 *   <li>{@code logtide.retries}, {@code logtide.errors}, {@code logtide.circuit.breaker.trips}: counters;</li>
 *   <li>{@code logtide.buffered.entries}, {@code logtide.buffered.bytes}: gauges, what waits in memory;</li>
 *   <li>{@code logtide.latency.average}: gauge, average request latency in milliseconds;</li>
 *   <li>{@code logtide.circuit.breaker.state}: a gauge per {@code state} tag
 *       ({@code closed}, {@code open}, ...), 1 for the current state, 0 for the others.</li>
 * </ul>
 */
public final class LogTideMeters implements MeterBinder {
    private final LogTideClient client;

    /** @param client the client whose figures are shown */
    public LogTideMeters(LogTideClient client) {
        this.client = client;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "logtide.logs.sent", "Entries the server accepted", ClientMetrics::logsSent);
        counter(registry, "logtide.logs.truncated", "Entries sent with a field truncated", ClientMetrics::logsTruncated);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("logtide.logs.dropped", client, c -> c.getMetrics().logsDropped(reason))
                    .description("Entries dropped, by reason").baseUnit("entries")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        counter(registry, "logtide.logs.spooled", "Entries written to the disk spool", ClientMetrics::logsSpooled);
        counter(registry, "logtide.logs.drained", "Entries read back from the disk spool and sent or dropped",
                ClientMetrics::logsDrained);
        counter(registry, "logtide.spool.corrupt", "Torn or corrupt spool records skipped", ClientMetrics::spoolCorruptRecords);
        counter(registry, "logtide.retries", "Requests retried", ClientMetrics::retries);
        counter(registry, "logtide.errors", "Failed requests", ClientMetrics::errors);
        counter(registry, "logtide.circuit.breaker.trips", "Times the circuit breaker opened", ClientMetrics::circuitBreakerTrips);
        gauge(registry, "logtide.buffered.entries", "Entries waiting in memory", "entries", ClientMetrics::bufferedEntries);
        gauge(registry, "logtide.buffered.bytes", "Bytes (estimated) waiting in memory", "bytes", ClientMetrics::bufferedBytes);
        gauge(registry, "logtide.spool.pending.bytes", "Bytes in the disk spool not yet accepted by the server", "bytes",
                ClientMetrics::spoolPendingBytes);
        gauge(registry, "logtide.latency.average", "Average request latency", "milliseconds", ClientMetrics::avgLatencyMs);
        for (CircuitState state : CircuitState.values()) {
            Gauge.builder("logtide.circuit.breaker.state", client, c -> c.getCircuitBreakerState() == state ? 1 : 0)
                    .description("1 for the circuit breaker's current state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ClientMetrics> value) {
        FunctionCounter.builder(name, client, c -> value.applyAsDouble(c.getMetrics()))
                .description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<ClientMetrics> value) {
        Gauge.builder(name, client, c -> value.applyAsDouble(c.getMetrics()))
                .description(description).baseUnit(unit).register(registry);
    }
}
