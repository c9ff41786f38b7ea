package dev.logtide.benchmarks;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the Logback and Log4j2 caller-cost benchmarks share: the setups (the framework's own
 * asynchronous appender as the floor, LogTide with a healthy sink, LogTide with a refusing one),
 * the payloads, and the sink's lifecycle.
 */
@State(Scope.Benchmark)
public abstract class FrameworkCaller {
    /** floor, logtide, logtideDown. */
    @Param({"floor", "logtide", "logtideDown"})
    public String setup;
    /** plain, or exception (60 frames and a cause, at ERROR). */
    @Param({"plain", "exception"})
    public String payload;

    /** The exception of the exception payload, or {@code null}. */
    protected Throwable error;
    private SinkProcess sink;

    /**
     * Starts the sink the setup needs and publishes its URL as {@code logtide.bench.url}.
     *
     * @return whether this is the floor
     * @throws Exception when the sink does not start
     */
    protected boolean prepare() throws Exception {
        String url = setup.equals("logtide") ? (sink = SinkProcess.start(0)).url() : SinkProcess.refusingUrl();
        System.setProperty("logtide.bench.url", url);
        error = payload.equals("exception") ? Fixtures.exception() : null;
        return setup.equals("floor");
    }

    /** @throws Exception when the sink does not stop */
    protected void stopSink() throws Exception {
        if (sink != null) {
            sink.close();
        }
    }
}
