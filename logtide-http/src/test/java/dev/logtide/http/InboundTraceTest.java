package dev.logtide.http;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inbound trace rules of the SDK contract's C15, value by value. */
class InboundTraceTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static Function<String, String> headers(String... nameValue) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i].toLowerCase(Locale.ROOT), nameValue[i + 1]);
        }
        return name -> m.get(name.toLowerCase(Locale.ROOT));
    }

    @Test
    void c15ValidTraceparentGivesTraceIdAndTheCallersSpanId() {
        InboundTrace t = InboundTrace.from(headers("traceparent", "  " + VALID + " "), true);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", t.traceId());
        assertEquals("00f067aa0ba902b7", t.spanId());
        assertEquals(InboundTrace.Source.TRACEPARENT, t.source());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
                InboundTrace.parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").traceId(),
                "a later version in the same form is read");
    }

    @Test
    void c15InvalidTraceparentsAreIgnored() {
        String[] invalid = {
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // 31 hex
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
            "",
        };
        for (String v : invalid) {
            assertNull(InboundTrace.parseTraceparent(v), v);
        }
        assertNull(InboundTrace.parseTraceparent(null));
    }

    @Test
    void c15WithoutAValidTraceparentXTraceIdThenXRequestIdGiveTheTraceId() {
        InboundTrace t = InboundTrace.from(headers("traceparent", "garbage", "X-Request-Id", "req-1", "X-Trace-Id", "trace-1"), true);
        assertEquals("trace-1", t.traceId());
        assertNull(t.spanId());
        assertEquals(InboundTrace.Source.HEADER, t.source());
        assertEquals("req-1", InboundTrace.from(headers("x-request-id", " req-1 "), false).traceId());
    }

    @Test
    void requestIdsThatAreNotPlainIdsAreNotTaken() {
        String tooLong = "a".repeat(InboundTrace.MAX_ID_LENGTH + 1);
        for (String v : new String[] {tooLong, "has space", "new\nline", "<script>", "  "}) {
            assertNull(InboundTrace.from(headers("X-Request-Id", v), false), v);
        }
        assertEquals("a".repeat(InboundTrace.MAX_ID_LENGTH),
                InboundTrace.from(headers("X-Request-Id", "a".repeat(InboundTrace.MAX_ID_LENGTH)), false).traceId());
    }

    @Test
    void c15WithoutAnyIdANewW3cIdIsMadeOnlyWhenAskedFor() {
        assertNull(InboundTrace.from(headers(), false));
        InboundTrace a = InboundTrace.from(headers(), true);
        InboundTrace b = InboundTrace.from(headers(), true);
        assertEquals(InboundTrace.Source.GENERATED, a.source());
        assertTrue(a.traceId().matches("[0-9a-f]{32}"), a.traceId());
        assertNotEquals(a.traceId(), b.traceId());
        assertNull(a.spanId());
    }
}
