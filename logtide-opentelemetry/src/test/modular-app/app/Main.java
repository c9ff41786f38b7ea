package app;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.opentelemetry.LogTideOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

public class Main {
    public static void main(String[] args) {
        String url = System.getProperty("logtide.test.url");
        String key = System.getProperty("logtide.test.key");
        try (LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder().apiUrl(System.getProperty("logtide.test.otlp"))
                .apiKey(System.getProperty("logtide.test.otlpKey")).service("modular").build();
             LogTideClient client = new LogTideClient(ClientOptions.builder().apiUrl(url).apiKey(key)
                     .service("modular").build())) {
            Span span = otel.tracer("app").spanBuilder("modular-span").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                client.info("modular", "modular 0");
            } finally {
                span.end();
            }
            System.out.println("trace: " + span.getSpanContext().getTraceId());
        }
        System.out.println("modules: " + LogTideOpenTelemetry.class.getModule().getName()
                + " " + okhttp3.OkHttpClient.class.getModule().getName()
                + " " + Main.class.getModule().getName());
    }
}
