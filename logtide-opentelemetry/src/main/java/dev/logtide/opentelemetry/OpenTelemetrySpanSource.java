package dev.logtide.opentelemetry;

import dev.logtide.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Gives every LogTide entry built while an OpenTelemetry span is current that span's trace and
 * span ids (SDK contract C26). The core finds it with {@link java.util.ServiceLoader} when this
 * module is on the class path or module path; there is nothing to call.
 *
 * <p>The current span is the one in OpenTelemetry's current {@code Context}: a span made current
 * with {@code span.makeCurrent()}, the Java agent's spans (the agent bridges this API), Spring
 * Boot's spans through Micrometer Tracing's OpenTelemetry bridge. A span that was not sampled
 * still has valid ids and still correlates, as the Java agent's MDC keys do.
 */
public final class OpenTelemetrySpanSource implements TraceContext.SpanSource {
    /**
     * Created by {@link java.util.ServiceLoader}. Touches the OpenTelemetry API so that, when the
     * API is not on the class path, loading fails here (the core then skips this source) instead
     * of on every log call.
     */
    public OpenTelemetrySpanSource() {
        SpanContext.getInvalid();
    }

    /** @return the current span's trace id (32 lowercase hex characters), or {@code null} when none is current */
    @Override
    public String currentTraceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    /** @return the current span's id (16 lowercase hex characters), or {@code null} when none is current */
    @Override
    public String currentSpanId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getSpanId() : null;
    }
}
