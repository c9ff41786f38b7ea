package dev.logtide.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.Method;

/** Allocated-bytes and CPU-time counters of HotSpot's {@code com.sun.management.ThreadMXBean}. */
final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** {@code getTotalThreadAllocatedBytes} (JDK 14+) also counts threads that have ended. */
    private static final Method TOTAL = totalMethod();

    private Allocation() {
    }

    private static Method totalMethod() {
        try {
            Method m = com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
            m.invoke(THREADS);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** @return bytes allocated by the calling thread so far */
    static long currentThread() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** @return bytes allocated by every thread of the JVM so far (live ones only before JDK 14) */
    static long allThreads() {
        if (TOTAL != null) {
            try {
                return (Long) TOTAL.invoke(THREADS);
            } catch (ReflectiveOperationException e) {
                // fall through to the live-thread sum
            }
        }
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** @return CPU nanoseconds used so far by the calling thread */
    static long currentThreadCpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** @return CPU nanoseconds used so far by the live thread named {@code name}, 0 when there is none */
    static long threadCpuNanos(String name) {
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals(name)) {
                return Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return 0;
    }

    /** @return CPU nanoseconds used by the whole process so far */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
