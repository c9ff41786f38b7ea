package dev.logtide;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TraceContextTest {
    @AfterEach
    void clear() {
        TraceContext.setTraceId(null);
    }

    @Test
    void everyChangeReachesTheMirrorsOnTheSameThread() {
        RecordingMirror.SEEN.get().clear();
        try (TraceContext.Scope a = TraceContext.withTraceId("a")) {
            try (TraceContext.Scope b = TraceContext.withTraceId("b")) {
                assertEquals("b", TraceContext.getTraceId());
            }
        }
        assertEquals(java.util.Arrays.asList("a", "b", "a", "null"), RecordingMirror.SEEN.get());
    }

    @Test
    void aFailingMirrorNeverBreaksTheCall() {
        TraceContext.setTraceId(RecordingMirror.BROKEN);
        assertEquals(RecordingMirror.BROKEN, TraceContext.getTraceId());
    }

    @Test
    void setGetAndClear() {
        assertNull(TraceContext.getTraceId());
        TraceContext.setTraceId("t1");
        assertEquals("t1", TraceContext.getTraceId());
        TraceContext.setTraceId(null);
        assertNull(TraceContext.getTraceId());
    }

    @Test
    void scopesNestAndRestoreThePreviousId() {
        TraceContext.setTraceId("outer");
        try (TraceContext.Scope a = TraceContext.withTraceId("a")) {
            assertEquals("a", TraceContext.getTraceId());
            try (TraceContext.Scope b = TraceContext.withTraceId("b")) {
                assertEquals("b", TraceContext.getTraceId());
            }
            assertEquals("a", TraceContext.getTraceId());
            try (TraceContext.Scope none = TraceContext.withTraceId(null)) {
                assertNull(TraceContext.getTraceId());
            }
            assertEquals("a", TraceContext.getTraceId());
        }
        assertEquals("outer", TraceContext.getTraceId());
    }

    @Test
    void aScopeRestoresAnUnsetIdAsUnset() {
        try (TraceContext.Scope s = TraceContext.withTraceId("x")) {
            assertEquals("x", TraceContext.getTraceId());
        }
        assertNull(TraceContext.getTraceId());
    }

    @Test
    void withNewTraceIdGivesAFreshUuid() {
        String first;
        try (TraceContext.Scope s = TraceContext.withNewTraceId()) {
            first = TraceContext.getTraceId();
            assertEquals(first, UUID.fromString(first).toString());
        }
        try (TraceContext.Scope s = TraceContext.withNewTraceId()) {
            assertNotEquals(first, TraceContext.getTraceId());
        }
        assertNull(TraceContext.getTraceId());
    }

    @Test
    void theIdIsPerThread() throws InterruptedException {
        TraceContext.setTraceId("main-thread");
        AtomicReference<String> seen = new AtomicReference<>("unset");
        AtomicReference<String> built = new AtomicReference<>("unset");
        Thread t = new Thread(() -> {
            seen.set(TraceContext.getTraceId());
            TraceContext.setTraceId("other-thread");
            built.set(LogEntry.builder(LogLevel.INFO, "m").build().traceId());
        });
        t.start();
        t.join();
        assertNull(seen.get());
        assertEquals("other-thread", built.get());
        assertEquals("main-thread", TraceContext.getTraceId());
    }

    @Test
    void entriesCaptureTheIdWhenBuilt() {
        LogEntry.Builder b = LogEntry.builder(LogLevel.INFO, "m");
        try (TraceContext.Scope s = TraceContext.withTraceId("at-build")) {
            LogEntry inside = b.build();
            assertEquals("at-build", inside.traceId());
        }
        assertNull(LogEntry.builder(LogLevel.INFO, "m").build().traceId());
    }
}
