package dev.logtide.benchmarks;

/**
 * The data every benchmark logs, the same for a floor and for LogTide: the call
 * {@code logger.info("order {} paid by {} in {} ms", id, user, ms)} with two MDC entries, and
 * the exception of the exception path (60 frames and one cause).
 */
public final class Fixtures {
    /** The SLF4J / Log4j2 message pattern. */
    public static final String PATTERN = "order {} paid by {} in {} ms";
    /** The same message as a {@code java.util.logging} pattern. */
    public static final String JUL_PATTERN = "order {0} paid by {1} in {2} ms";
    /** The logger name. */
    public static final String LOGGER = "com.example.shop.Checkout";
    /** MDC / ThreadContext keys and values. */
    public static final String MDC_KEY_1 = "request_id";
    public static final String MDC_VALUE_1 = "req-7f3a9c";
    public static final String MDC_KEY_2 = "tenant";
    public static final String MDC_VALUE_2 = "acme";
    /** The API key the sink accepts; a benchmark value, not a secret. */
    public static final String API_KEY = "lp_benchmark";

    private static final int FRAMES = 60;
    private static final int CAUSE_OWN_FRAMES = 12;

    private Fixtures() {
    }

    /**
     * A {@code RuntimeException} with exactly 60 frames, caused by an {@code IOException} whose
     * trace shares all but its top 12 frames with it (the usual shape: a cause thrown deeper in
     * the same call chain). Built once and reused, so the benchmark measures logging it, not
     * creating it.
     *
     * @return the exception
     */
    public static RuntimeException exception() {
        StackTraceElement[] outer = frames("com.example.shop.Checkout", 0, FRAMES);
        StackTraceElement[] inner = new StackTraceElement[FRAMES];
        StackTraceElement[] own = frames("com.example.payments.GatewayClient", 1000, CAUSE_OWN_FRAMES);
        System.arraycopy(own, 0, inner, 0, CAUSE_OWN_FRAMES);
        System.arraycopy(outer, CAUSE_OWN_FRAMES, inner, CAUSE_OWN_FRAMES, FRAMES - CAUSE_OWN_FRAMES);
        java.io.IOException cause = new java.io.IOException("connection reset by peer");
        cause.setStackTrace(inner);
        RuntimeException e = new RuntimeException("payment for order 48213 failed", cause);
        e.setStackTrace(outer);
        return e;
    }

    private static StackTraceElement[] frames(String prefix, int lineBase, int n) {
        StackTraceElement[] frames = new StackTraceElement[n];
        for (int i = 0; i < n; i++) {
            String cls = prefix + (i % 5 == 0 ? "" : "$Step" + (i % 5));
            frames[i] = new StackTraceElement(cls, "handle" + i, cls.substring(cls.lastIndexOf('.') + 1) + ".java",
                    lineBase + 10 + i);
        }
        return frames;
    }
}
