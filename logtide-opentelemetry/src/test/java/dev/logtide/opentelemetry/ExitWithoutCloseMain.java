package dev.logtide.opentelemetry;

/** A child JVM's application that ends a span and returns from main without closing the preset. */
public final class ExitWithoutCloseMain {
    private ExitWithoutCloseMain() {
    }

    public static void main(String[] args) {
        LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder()
                .apiUrl(System.getProperty("logtide.test.url"))
                .apiKey(args[0])
                .service("exiting")
                .build();
        otel.tracer("child").spanBuilder("left-queued").startSpan().end();
        // no close(): the shutdown hook must export the span (the batch processor waits 5 s otherwise)
    }
}
