package dev.logtide.http;

import dev.logtide.TraceContext;

import java.security.SecureRandom;
import java.util.function.Function;

/**
 * The trace a request belongs to, read from its headers (SDK contract C15): the W3C
 * {@code traceparent} header gives the trace id and the caller's span id; without a valid one,
 * {@code X-Trace-Id}, then {@code X-Request-Id}, gives the trace id; without any, the span current
 * on the calling thread (a server span of the OpenTelemetry Java agent or of Spring, seen through
 * {@link TraceContext#activeTraceId()}) gives its trace id and span id, the ids the request's
 * entries carry (C26); without one either, a new id is made when asked for.
 */
public final class InboundTrace {
    /** Header values longer than this are not taken as a trace id. */
    static final int MAX_ID_LENGTH = 128;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Where the trace id came from. */
    public enum Source {
        /** A valid W3C {@code traceparent} header. */
        TRACEPARENT,
        /** An {@code X-Trace-Id} or {@code X-Request-Id} header. */
        HEADER,
        /** The span current when the request was read: the request brought no trace header. */
        ACTIVE_SPAN,
        /** Made here: the request brought none. */
        GENERATED
    }

    private final String traceId;
    private final String spanId;
    private final Source source;

    private InboundTrace(String traceId, String spanId, Source source) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.source = source;
    }

    /**
     * Reads a request's trace. Call it on the thread that starts handling the request, where a
     * server span, if any, is current.
     *
     * @param header     a request header's value by name (case-insensitive), {@code null} when absent
     * @param generate   whether to make a new trace id when the request brings none and no span is current
     * @return the trace, or {@code null} when the request brings none, no span is current and
     *     {@code generate} is off
     */
    public static InboundTrace from(Function<String, String> header, boolean generate) {
        InboundTrace parent = parseTraceparent(header.apply("traceparent"));
        if (parent != null) {
            return parent;
        }
        for (String name : new String[] {"X-Trace-Id", "X-Request-Id"}) {
            String id = plainId(header.apply(name));
            if (id != null) {
                return new InboundTrace(id, null, Source.HEADER);
            }
        }
        // Entries built while a span is current take its ids (C26); a made-up id would disagree with them.
        String spanTraceId = TraceContext.activeTraceId();
        if (spanTraceId != null) {
            return new InboundTrace(spanTraceId, TraceContext.activeSpanId(), Source.ACTIVE_SPAN);
        }
        return generate ? new InboundTrace(newTraceId(), null, Source.GENERATED) : null;
    }

    /**
     * Parses a W3C {@code traceparent} value as the SDK contract (C15) validates it: trimmed,
     * exactly {@code vv-<32 hex>-<16 hex>-<2 hex>} in lower case, version {@code ff} refused, an
     * all-zero trace id or parent id refused.
     *
     * @param value the header value, possibly {@code null}
     * @return the trace (id and the caller's span id), or {@code null} when the value is not valid
     */
    public static InboundTrace parseTraceparent(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() != 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return null;
        }
        String version = v.substring(0, 2);
        String traceId = v.substring(3, 35);
        String parentId = v.substring(36, 52);
        String flags = v.substring(53, 55);
        if (!isLowerHex(version) || "ff".equals(version) || !isLowerHex(traceId) || !isLowerHex(parentId)
                || !isLowerHex(flags) || isAllZero(traceId) || isAllZero(parentId)) {
            return null;
        }
        return new InboundTrace(traceId, parentId, Source.TRACEPARENT);
    }

    /**
     * @return a new trace id: 32 lowercase hex characters from a secure random source, never all
     *     zeros (the W3C trace id form, so it can travel on in a {@code traceparent})
     */
    public static String newTraceId() {
        byte[] bytes = new byte[16];
        String id;
        do {
            RANDOM.nextBytes(bytes);
            char[] out = new char[32];
            for (int i = 0; i < 16; i++) {
                out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
                out[2 * i + 1] = HEX[bytes[i] & 0xf];
            }
            id = new String(out);
        } while (isAllZero(id));
        return id;
    }

    /** A request id from a client: kept only when short and made of characters ids are made of. */
    private static String plainId(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > MAX_ID_LENGTH) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return null;
            }
        }
        return v;
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllZero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** @return the trace id: 32 lowercase hex characters, or a client's request id */
    public String traceId() {
        return traceId;
    }

    /**
     * @return the caller's span id from {@code traceparent}, or the current span's id for
     *     {@link Source#ACTIVE_SPAN} (16 lowercase hex characters), or {@code null}
     */
    public String spanId() {
        return spanId;
    }

    /** @return where the trace id came from */
    public Source source() {
        return source;
    }

    @Override
    public String toString() {
        return "InboundTrace{" + traceId + (spanId == null ? "" : "/" + spanId) + " from " + source + "}";
    }
}
