package dev.logtide;

import dev.logtide.ThrowableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogEntryTest {
    @AfterEach
    void clear() {
        TraceContext.setTraceId(null);
    }

    @Test
    void buildCapturesTheTimeWhenNoneWasSet() {
        Instant before = Instant.now();
        LogEntry e = LogEntry.builder(LogLevel.INFO, "m").build();
        Instant after = Instant.now();
        assertFalse(e.time().isBefore(before));
        assertFalse(e.time().isAfter(after));
        assertEquals(e.time(), Instant.ofEpochSecond(e.epochSecond(), e.nano()));
    }

    @Test
    void explicitTimes() {
        Instant t = Instant.parse("2020-02-29T12:34:56.789123456Z");
        assertEquals(t, LogEntry.builder(LogLevel.INFO, "m").time(t).build().time());
        assertEquals(Instant.ofEpochMilli(-1), LogEntry.builder(LogLevel.INFO, "m").timeMillis(-1).build().time());
        assertEquals(Instant.ofEpochSecond(9, 999_999_999),
                LogEntry.builder(LogLevel.INFO, "m").time(10, -1).build().time());
        LogEntry nullTime = LogEntry.builder(LogLevel.INFO, "m").time(null).build();
        assertTrue(nullTime.time().isAfter(Instant.parse("2020-01-01T00:00:00Z")), "null keeps the capture time");
    }

    @Test
    void fieldsAsGiven() {
        RuntimeException error = new RuntimeException("x");
        LogEntry e = LogEntry.builder(LogLevel.WARN, "msg").service("svc").traceId("t").spanId("s")
                .logger("L").thread("T").throwable(error).build();
        assertEquals(LogLevel.WARN, e.level());
        assertEquals("msg", e.message());
        assertEquals("svc", e.service());
        assertEquals("t", e.traceId());
        assertEquals("s", e.spanId());
        assertEquals("L", e.logger());
        assertEquals("T", e.thread());
        assertSame(error, e.throwable());
        assertEquals(RuntimeException.class.getName(), e.exception().className());
        assertEquals("x", e.exception().message());
        ThrowableView view = ThrowableView.of(error);
        LogEntry framework = LogEntry.builder(LogLevel.WARN, "m").exception(view).build();
        assertSame(view, framework.exception());
        assertNull(framework.throwable(), "a framework's snapshot is not a Throwable");
    }

    @Test
    void nullsBecomeEmptyDefaults() {
        LogEntry e = LogEntry.builder(null, null).context(null).metadata(null).build();
        assertEquals(LogLevel.INFO, e.level());
        assertNull(e.message());
        assertTrue(e.context().isEmpty());
        assertTrue(e.metadata().isEmpty());
        assertNull(e.throwable());
        assertNull(e.exception());
    }

    @Test
    void putNeverWritesIntoTheCallersMap() {
        Map<String, Object> mine = new HashMap<>();
        mine.put("a", 1);
        LogEntry e = LogEntry.builder(LogLevel.INFO, "m").metadata(mine).put("b", 2).build();
        assertEquals(Collections.singletonMap("a", 1), mine);
        assertEquals(2, e.metadata().size());
        LogEntry immutable = LogEntry.builder(LogLevel.INFO, "m").metadata(Collections.singletonMap("a", 1))
                .put("b", 2).build();
        assertEquals(2, immutable.metadata().get("b"));
    }

    @Test
    void metadataReplacesWhatWasPutBefore() {
        LogEntry e = LogEntry.builder(LogLevel.INFO, "m").put("a", 1)
                .metadata(Collections.singletonMap("b", 2)).put("c", 3).build();
        assertFalse(e.metadata().containsKey("a"));
        assertEquals(3, e.metadata().get("c"));
    }

    @Test
    void anExplicitTraceIdWinsOverTheContext() {
        try (TraceContext.Scope s = TraceContext.withTraceId("ctx")) {
            assertEquals("explicit", LogEntry.builder(LogLevel.INFO, "m").traceId("explicit").build().traceId());
            assertEquals("ctx", LogEntry.builder(LogLevel.INFO, "m").build().traceId());
        }
    }

    @Test
    void aBlankExplicitTraceIdCountsAsUnset() {
        // An adapter passing an empty MDC value must not hide the thread's trace id.
        try (TraceContext.Scope s = TraceContext.withTraceId("ctx")) {
            assertEquals("ctx", LogEntry.builder(LogLevel.INFO, "m").traceId("").build().traceId());
            assertEquals("ctx", LogEntry.builder(LogLevel.INFO, "m").traceId("  ").build().traceId());
        }
    }

    @Test
    void toStringShowsLevelServiceAndMessage() {
        String s = LogEntry.builder(LogLevel.ERROR, "boom").service("svc").build().toString();
        assertTrue(s.contains("ERROR") && s.contains("svc") && s.contains("boom"), s);
    }

    @Test
    void levelWireNames() {
        assertEquals("warn", LogLevel.WARN.wireName());
        assertEquals(LogLevel.CRITICAL, LogLevel.fromWireName(" Fatal "));
        assertEquals(LogLevel.WARN, LogLevel.fromWireName("warning"));
        assertEquals(LogLevel.DEBUG, LogLevel.fromWireName("TRACE"));
        for (LogLevel l : LogLevel.values()) {
            assertEquals(l, LogLevel.fromWireName(l.wireName()));
            assertEquals(l.name().toLowerCase(java.util.Locale.ROOT), l.wireName());
        }
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LogLevel.fromWireName("verbose")).getMessage().contains("verbose"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LogLevel.fromWireName(null));
    }
}
