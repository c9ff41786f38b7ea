package dev.logtide.examples;

import dev.logtide.ClientMetrics;
import dev.logtide.LogTideClient;

import java.util.concurrent.TimeUnit;

/** An {@link AdapterDemo} whose framework hands out its {@link LogTideClient}. */
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
