package dev.logtide.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.MDC;

/**
 * Per-thread state of the caller-cost benchmarks: the diagnostic context of a request being
 * served (two entries, set once, as a servlet filter would), the call's arguments (boxed once,
 * so that neither a floor nor LogTide pays for boxing), and the bytes the calling thread itself
 * allocates per call. JMH's {@code -prof gc} reports the whole JVM's allocation per call, which
 * also holds the background threads' (LogTide's sender, the AsyncAppender's worker);
 * {@link #callerBytesPerCall} is what the application's own thread pays.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CallerThread {
    final Object id = 48213L;
    final Object user = "alice@example.com";
    final Object ms = 87;
    /** The arguments as an array, for the JUL call. */
    final Object[] params = {id, user, ms};
    /** Calls in this iteration; the benchmark counts them. */
    long calls;
    private long bytesAtStart;

    /** Bytes allocated by the calling thread per call in the last iteration (an aux counter). */
    public double callerBytesPerCall;

    /** Runs on the benchmark thread, so the context belongs to it. */
    @Setup
    public void context() {
        MDC.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1);
        MDC.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);
        org.apache.logging.log4j.ThreadContext.put(Fixtures.MDC_KEY_1, Fixtures.MDC_VALUE_1);
        org.apache.logging.log4j.ThreadContext.put(Fixtures.MDC_KEY_2, Fixtures.MDC_VALUE_2);
    }

    /** Starts counting this iteration's calls and bytes. */
    @Setup(Level.Iteration)
    public void beginIteration() {
        calls = 0;
        bytesAtStart = Allocation.currentThread();
    }

    /** Publishes this iteration's bytes per call. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        callerBytesPerCall = calls == 0 ? 0 : (Allocation.currentThread() - bytesAtStart) / (double) calls;
    }
}
