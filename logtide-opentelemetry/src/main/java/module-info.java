/**
 * OpenTelemetry for LogTide: log entries carry the current span's ids
 * ({@link dev.logtide.opentelemetry.OpenTelemetrySpanSource}, automatic), spans are exported to
 * LogTide ({@link dev.logtide.opentelemetry.LogTideOpenTelemetry}), and outgoing requests carry
 * {@code traceparent} ({@link dev.logtide.opentelemetry.TraceparentInterceptor} for OkHttp,
 * {@link dev.logtide.opentelemetry.JdkHttpTraceparent} for the JDK client, and
 * {@code dev.logtide.opentelemetry.spring} for Spring's RestClient and WebClient).
 */
module dev.logtide.opentelemetry {
    requires transitive dev.logtide;
    requires transitive io.opentelemetry.api;
    requires transitive io.opentelemetry.context;
    requires transitive io.opentelemetry.sdk;
    requires transitive io.opentelemetry.sdk.trace;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.exporter.otlp;
    requires static java.net.http;
    requires static spring.core;
    requires static spring.web;
    requires static spring.webflux;
    requires static reactor.core;

    exports dev.logtide.opentelemetry;
    exports dev.logtide.opentelemetry.spring;

    provides dev.logtide.TraceContext.SpanSource with dev.logtide.opentelemetry.OpenTelemetrySpanSource;
}
