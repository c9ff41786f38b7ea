package dev.logtide.examples;

import dev.logtide.ClientMetrics;
import dev.logtide.LogTideClient;

import java.util.concurrent.TimeUnit;

/** An {@link AdapterDemo} reaching its client through the adapter's {@code getClient()}, as all three offer. */
abstract class ClientBackedDemo implements AdapterDemo {
    /** Set by {@link #start()}. */
    protected LogTideClient client;

    @Override
    public boolean flush(long timeout, TimeUnit unit) {
        return client.flush(timeout, unit);
    }

    @Override
    public ClientMetrics metrics() {
        return client.getMetrics();
    }

    @Override
    public String circuitState() {
        return client.getCircuitBreakerState().name();
    }
}
