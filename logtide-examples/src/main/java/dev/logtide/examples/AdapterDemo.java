package dev.logtide.examples;

import dev.logtide.ClientMetrics;

import java.util.concurrent.TimeUnit;

/**
 * One logging framework in the demo: configured from its own file in the resources, logging
 * through its normal API, and reporting the LogTide client's counters.
 */
interface AdapterDemo {
    /** Entries {@link #logStory(String)} logs. */
    int STORY_ENTRIES = 3;

    /** @return the framework's name, for the output */
    String name();

    /** @return the service name its configuration file sets */
    String service();

    /**
     * Loads the framework's configuration file.
     *
     * @throws IllegalStateException when its LogTide appender or handler is not running, with
     *     the reason (the framework also reports it on its own status channel)
     */
    void start();

    /**
     * Logs one checkout request, all under the trace id: an info, a warn with key-values and an
     * error with a chained exception ({@link #STORY_ENTRIES} entries).
     *
     * @param traceId the request's trace id
     */
    void logStory(String traceId);

    /** @param count how many info events to log in a tight loop */
    void logBurst(int count);

    /**
     * @param timeout how long to wait
     * @param unit    its unit
     * @return whether everything logged so far was sent (or given up) in time
     */
    boolean flush(long timeout, TimeUnit unit);

    /** @return the client's counters */
    ClientMetrics metrics();

    /** @return the circuit breaker's state */
    String circuitState();

    /** Shuts the framework down the way an application does at exit; its client flushes and closes. */
    void stop();
}
