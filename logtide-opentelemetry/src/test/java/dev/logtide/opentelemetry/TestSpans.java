package dev.logtide.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/** Spans from a real OpenTelemetry SDK (exported nowhere) for the correlation tests. */
final class TestSpans {
    // An SDK without a span processor makes only invalid spans: give it one that exports nowhere.
    private static final Tracer SAMPLED = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build().get("logtide-test");
    private static final Tracer UNSAMPLED = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
            .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build().get("logtide-test");

    private TestSpans() {
    }

    /** @return the tracer of {@link #start}'s sampled spans, for spans of another kind or with a parent */
    static Tracer tracer() {
        return SAMPLED;
    }

    /** @return a started, sampled root span (make it current, end it) */
    static Span start(String name) {
        return SAMPLED.spanBuilder(name).startSpan();
    }

    /** @return a started root span that was not sampled: it still has valid ids */
    static Span startUnsampled(String name) {
        return UNSAMPLED.spanBuilder(name).startSpan();
    }
}
