package dev.logtide.opentelemetry;

import dev.logtide.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;

import java.security.SecureRandom;

/**
 * The W3C {@code traceparent} value an outgoing request of the calling thread should carry (SDK
 * contract C25), shared by the HTTP client integrations of this module: {@link
 * TraceparentInterceptor} (OkHttp), {@link JdkHttpTraceparent} (the JDK {@code HttpClient}) and the
 * Spring ones in {@code dev.logtide.opentelemetry.spring}.
 *
 * <p>The value is {@code 00-<trace id>-<parent id>-01}: version {@code 00}, flags {@code 01}
 * (sampled). The ids come from the OpenTelemetry span current on the calling thread; without one,
 * from {@link TraceContext}'s trace id when it is a W3C trace id (32 lowercase hex characters, not
 * all zeros, as the HTTP filters of logtide-http generate and accept), with a random span id made
 * for the hop. Any other {@code TraceContext} id (a UUID from {@code withNewTraceId()}, a client's
 * request id) is not a W3C trace id and is not sent: rewriting it would give the downstream
 * service a trace id that matches none of this service's entries.
 */
public final class Traceparent {
    /** The header's name. */
    public static final String HEADER = "traceparent";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Traceparent() {
    }

    /**
     * @return the {@code traceparent} value for a request sent now from this thread, or {@code null}
     *     when there is no active trace (no valid current span, no W3C trace id in {@link TraceContext})
     */
    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return value(span.getTraceId(), span.getSpanId());
        }
        String traceId = TraceContext.getTraceId();
        if (traceId != null && TraceId.isValid(traceId)) {
            return value(traceId, newSpanId());
        }
        return null;
    }

    private static String value(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    /** A span id for one hop: 16 lowercase hex characters from a secure random source, never all zeros. */
    static String newSpanId() {
        byte[] bytes = new byte[8];
        String id;
        do {
            RANDOM.nextBytes(bytes);
            char[] out = new char[16];
            for (int i = 0; i < 8; i++) {
                out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
                out[2 * i + 1] = HEX[bytes[i] & 0xf];
            }
            id = new String(out);
        } while (!SpanId.isValid(id));
        return id;
    }
}
