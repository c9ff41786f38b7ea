package dev.logtide.internal.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.PayloadLimits;
import dev.logtide.ThrowableView;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.logtide.internal.entry.Encoded.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code metadata.exception}: the shape the server groups errors by. */
class ExceptionEncodingTest {

    static final class BoomException extends RuntimeException {
        BoomException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code make} on a fresh thread, so the trace is short and independent of the test runner. */
    private static <T extends Throwable> T onFreshThread(Supplier<T> make) {
        AtomicReference<T> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(make.get()), "maker");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return result.get();
    }

    private static JsonNode exceptionOf(Object throwable) {
        LogEntry.Builder b = LogEntry.builder(LogLevel.ERROR, "failed");
        if (throwable instanceof Throwable) {
            b.throwable((Throwable) throwable);
        } else {
            b.exception((ThrowableView) throwable);
        }
        Encoded out = encode(b.build());
        assertEquals(EntryEncoder.Result.OK, out.result, out.json.toString());
        return out.metadata().get("exception");
    }

    /** The innermost {@code cause} of a structured exception. */
    private static JsonNode deepest(JsonNode ex) {
        JsonNode level = ex;
        while (level.has("cause")) {
            level = level.get("cause");
        }
        return level;
    }

    private static String printed(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().replace(System.lineSeparator(), "\n");
    }

    static IllegalStateException thrower() {
        return new IllegalStateException("thrown here");
    }

    @Test
    void typeMessageLanguageAndFrames() {
        IllegalStateException e = thrower();
        JsonNode ex = exceptionOf(e);
        assertEquals("java.lang.IllegalStateException", ex.get("type").asText());
        assertEquals("thrown here", ex.get("message").asText());
        assertEquals("java", ex.get("language").asText());
        JsonNode top = ex.get("stacktrace").get(0);
        assertEquals("ExceptionEncodingTest.java", top.get("file").asText());
        assertEquals("dev.logtide.internal.entry.ExceptionEncodingTest.thrower", top.get("function").asText());
        assertEquals(e.getStackTrace()[0].getLineNumber(), top.get("line").intValue());
        assertEquals(e.getStackTrace().length, ex.get("stacktrace").size());
        assertEquals(3, top.size());
    }

    @Test
    void nestedClassNamesAreFullyQualified() {
        assertEquals("dev.logtide.internal.entry.ExceptionEncodingTest$BoomException",
                exceptionOf(new BoomException("b", null)).get("type").asText());
    }

    @Test
    void messageIsNeverEmpty() {
        assertEquals("java.lang.RuntimeException", exceptionOf(new RuntimeException()).get("message").asText());
        assertEquals("java.lang.RuntimeException", exceptionOf(new RuntimeException("")).get("message").asText());
        assertEquals("java.lang.RuntimeException", exceptionOf(new RuntimeException("\u0000")).get("message").asText());
    }

    @Test
    void framesAreCappedAt100() {
        RuntimeException deep = recurse(300);
        JsonNode ex = exceptionOf(deep);
        assertEquals(ExceptionSerializer.MAX_FRAMES, ex.get("stacktrace").size());
        assertTrue(ex.get("raw").asText().contains("more\n"));
    }

    private static RuntimeException recurse(int n) {
        return n == 0 ? new RuntimeException("deep") : recurse(n - 1);
    }

    @Test
    void framesWithoutFileOrLineStayWellFormed() {
        RuntimeException e = new RuntimeException("x");
        e.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("a.B", "nativeCall", null, -2),
                new StackTraceElement("a.B", "unknown", "B.java", -1)});
        JsonNode frames = exceptionOf(e).get("stacktrace");
        assertEquals("a.B.nativeCall", frames.get(0).get("function").asText());
        assertTrue(frames.get(0).get("file").isTextual());
        assertTrue(frames.get(0).get("line").intValue() >= 0);
        assertEquals("B.java", frames.get(1).get("file").asText());
    }

    @Test
    void rawIsWhatPrintStackTracePrints() {
        Exception e = onFreshThread(() -> {
            IllegalArgumentException root = new IllegalArgumentException("root cause");
            BoomException mid = new BoomException("middle", root);
            IllegalStateException top = new IllegalStateException("top", mid);
            top.addSuppressed(new UnsupportedOperationException("suppressed one"));
            mid.addSuppressed(new RuntimeException((String) null));
            return top;
        });
        String raw = exceptionOf(e).get("raw").asText();
        assertEquals(printed(e), raw);
        assertTrue(raw.contains("Caused by: dev.logtide.internal.entry.ExceptionEncodingTest$BoomException: middle"));
        assertTrue(raw.contains("\tSuppressed: java.lang.UnsupportedOperationException: suppressed one"));
        assertTrue(raw.contains("... 1 more") || raw.matches("(?s).*\\.\\.\\. \\d+ more.*"), raw);
    }

    @Test
    void rawIsBounded() {
        RuntimeException e = recurse(1000);
        for (int i = 0; i < 50; i++) {
            e = new RuntimeException("level " + i + " " + EntryNormalisationTest.repeat('x', 500), e);
        }
        String raw = exceptionOf(e).get("raw").asText();
        assertTrue(raw.length() <= Math.max(PayloadLimits.DEFAULT_MAX_FIELD_SIZE, 32 * 1024)
                + PayloadLimits.DEFAULT_TRUNCATION_MARKER.length(), "raw is " + raw.length());
        assertTrue(raw.startsWith("java.lang.RuntimeException: level 49"));
    }

    @Test
    void causesNestAtMostTenDeep() {
        Throwable e = new RuntimeException("bottom");
        for (int i = 0; i < 30; i++) {
            e = new RuntimeException("level " + i, e);
        }
        JsonNode ex = exceptionOf(e);
        int depth = 1;
        while (ex.has("cause")) {
            ex = ex.get("cause");
            depth++;
            assertEquals("java", ex.get("language").asText());
            assertFalse(ex.get("message").asText().isEmpty());
        }
        assertTrue(depth <= ExceptionSerializer.MAX_CAUSE_DEPTH, "depth " + depth);
        assertTrue(depth >= 5, "depth " + depth);
        assertTrue(exceptionOf(e).get("cause").has("stacktrace"));
    }

    @Test
    void aChainDeeperThanTenKeepsItsFirstLevelsAndItsRoot() {
        // issue 13, row 5: 11 wrappers around SQLException("db down"); the root appeared nowhere.
        assertFirstLevelsAndRoot(11);
    }

    @Test
    void aChainOfThousandsOfCausesStillEndsAtItsRoot() {
        // A chain longer than the 1,024 causes once followed lost its root.
        assertFirstLevelsAndRoot(5000);
    }

    /** {@code wrappers} wrappers around SQLException("db down"): the first 9 and the root are written. */
    private static void assertFirstLevelsAndRoot(int wrappers) {
        Throwable e = new java.sql.SQLException("db down");
        for (int i = 1; i <= wrappers; i++) {
            e = new RuntimeException("wrapper " + i, e);
        }
        int omitted = wrappers + 1 - ExceptionSerializer.MAX_CAUSE_DEPTH;
        JsonNode ex = exceptionOf(e);
        int depth = 1;
        JsonNode level = ex;
        while (level.has("cause")) {
            if (level.get("cause").has("cause")) {
                assertFalse(level.has("causes_omitted"), level.toString());
            }
            assertEquals("wrapper " + (wrappers + 1 - depth), level.get("message").asText());
            if (!level.get("cause").has("cause")) {
                assertEquals(omitted, level.get("causes_omitted").intValue(), "the levels between are left out");
            }
            level = level.get("cause");
            depth++;
        }
        assertEquals(ExceptionSerializer.MAX_CAUSE_DEPTH, depth);
        assertEquals("java.sql.SQLException", level.get("type").asText());
        assertEquals("db down", level.get("message").asText());

        String raw = ex.get("raw").asText();
        assertTrue(raw.contains("Caused by: java.lang.RuntimeException: wrapper " + (wrappers - 8) + "\n"), raw);
        assertFalse(raw.contains("wrapper " + (wrappers - 9) + "\n"), raw);
        assertTrue(raw.contains("[" + omitted + " causes omitted]\nCaused by: java.sql.SQLException: db down\n"), raw);
    }

    @Test
    void aLongChainThatLoopsBackEndsAtItsLastDistinctCauseAndSaysItIsCircular() {
        RuntimeException loopTarget = new RuntimeException("wrapper 1500");
        Throwable e = new IllegalStateException("last distinct", loopTarget);
        Throwable below = e;
        for (int i = 1499; i >= 1; i--) {
            below = new RuntimeException("wrapper " + i, below);
        }
        loopTarget.initCause(below); // wrapper 1500 -> wrapper 1499 ... -> wrapper 1 -> last distinct -> wrapper 1500
        Throwable top = loopTarget;
        for (int i = 1501; i <= 3000; i++) {
            top = new RuntimeException("wrapper " + i, top);
        }
        JsonNode ex = exceptionOf(top);
        JsonNode level = deepest(ex);
        assertEquals("last distinct", level.get("message").asText());
        String raw = ex.get("raw").asText();
        assertTrue(raw.contains("[2991 causes omitted]\nCaused by: java.lang.IllegalStateException: last distinct\n"), raw);
        assertTrue(raw.endsWith("Caused by: [CIRCULAR REFERENCE: java.lang.RuntimeException: wrapper 1500]\n"), raw);
    }

    @Test
    void theRootOfADeepChainKeepsItsSuppressedExceptions() {
        Throwable root = new java.sql.SQLException("db down");
        root.addSuppressed(new IllegalStateException("rollback failed"));
        Throwable e = root;
        for (int i = 1; i <= 11; i++) {
            e = new RuntimeException("wrapper " + i, e);
        }
        JsonNode ex = exceptionOf(e);
        JsonNode level = deepest(ex);
        assertEquals("db down", level.get("message").asText());
        assertEquals("rollback failed", level.get("suppressed").get(0).get("message").asText(), level.toString());
        assertTrue(ex.get("raw").asText().contains("Caused by: java.sql.SQLException: db down\n"), ex.get("raw").asText());
        assertTrue(ex.get("raw").asText().contains("\tSuppressed: java.lang.IllegalStateException: rollback failed\n"),
                ex.get("raw").asText());
    }

    @Test
    void suppressedExceptionsBeyondTenAreCounted() {
        Exception e = new Exception("main");
        for (int i = 1; i <= 15; i++) {
            e.addSuppressed(new IllegalStateException("close " + i));
        }
        JsonNode ex = exceptionOf(e);
        assertEquals(10, ex.get("suppressed").size());
        assertEquals("close 10", ex.get("suppressed").get(9).get("message").asText());
        assertEquals(5, ex.get("suppressed_omitted").intValue());
        assertTrue(ex.get("raw").asText().contains("\tSuppressed: java.lang.IllegalStateException: close 10\n"));
        assertTrue(ex.get("raw").asText().contains("\t[5 suppressed omitted]\n"), ex.get("raw").asText());
        assertFalse(exceptionOf(new Exception("none")).has("suppressed_omitted"));
    }

    @Test
    void typeAndFrameNamesAreNotCutByMaxFieldSize() {
        // Cut names merged different error groups: every class below shares its first 16 characters.
        IllegalStateException e = thrower();
        Encoded out = encode(Encoded.options(b -> b.payloadLimits(PayloadLimits.builder().maxFieldSize(16).build())),
                LogEntry.builder(LogLevel.ERROR, "failed").throwable(new RuntimeException("wrapped because the call failed", e)).build());
        JsonNode ex = out.metadata().get("exception");
        assertEquals("java.lang.RuntimeException", ex.get("type").asText());
        assertEquals("java.lang.IllegalStateException", ex.get("cause").get("type").asText());
        assertEquals("dev.logtide.internal.entry.ExceptionEncodingTest.thrower",
                ex.get("cause").get("stacktrace").get(0).get("function").asText());
        assertEquals("ExceptionEncodingTest.java", ex.get("cause").get("stacktrace").get(0).get("file").asText());
        assertEquals("wrapped because " + PayloadLimits.DEFAULT_TRUNCATION_MARKER, ex.get("message").asText(),
                "a message is a field: cut at maxFieldSize");
    }

    @Test
    void theRootCauseEndsRawEvenWhenRawIsCut() {
        // A trace far longer than raw's limit: the middle is cut, the root cause still ends it.
        Throwable root = new java.sql.SQLException("db down");
        Throwable e = root;
        for (int i = 0; i < 5; i++) {
            RuntimeException wrapper = new RuntimeException("wrapper " + i + " " + EntryNormalisationTest.repeat('w', 10_000), e);
            e = wrapper;
        }
        String raw = exceptionOf(e).get("raw").asText();
        assertTrue(raw.length() <= 32 * 1024 + 2 * (PayloadLimits.DEFAULT_TRUNCATION_MARKER.length() + 1), "raw is " + raw.length());
        assertTrue(raw.length() > 32 * 1024 - 100, "raw keeps its own limit, above maxFieldSize: " + raw.length());
        assertTrue(raw.startsWith("java.lang.RuntimeException: wrapper 4"), raw.substring(0, 100));
        assertTrue(raw.contains(PayloadLimits.DEFAULT_TRUNCATION_MARKER + "\nCaused by: java.sql.SQLException: db down\n"), raw);
    }

    @Test
    void suppressedExceptionsAreKept() {
        Exception e = new Exception("main");
        e.addSuppressed(new IllegalStateException("close failed"));
        e.addSuppressed(new IllegalArgumentException());
        JsonNode suppressed = exceptionOf(e).get("suppressed");
        assertEquals(2, suppressed.size());
        assertEquals("java.lang.IllegalStateException", suppressed.get(0).get("type").asText());
        assertEquals("close failed", suppressed.get(0).get("message").asText());
        assertEquals("java.lang.IllegalArgumentException", suppressed.get(1).get("message").asText());
    }

    @Test
    void aCauseCycleTerminates() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        JsonNode ex = exceptionOf(a);
        assertEquals("b", ex.get("cause").get("message").asText());
        assertFalse(ex.get("cause").has("cause"));
        assertTrue(ex.get("raw").asText().contains("[CIRCULAR REFERENCE: java.lang.RuntimeException: a]"));
    }

    @Test
    void aSelfSuppressingGraphTerminates() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b");
        a.addSuppressed(b);
        b.addSuppressed(a);
        JsonNode ex = exceptionOf(a);
        assertEquals("b", ex.get("suppressed").get(0).get("message").asText());
    }

    @Test
    void hostileAccessorsDoNotBreakEncoding() {
        RuntimeException hostile = new RuntimeException("ignored") {
            @Override
            public String getMessage() {
                throw new IllegalStateException("getMessage");
            }

            @Override
            public StackTraceElement[] getStackTrace() {
                throw new IllegalStateException("getStackTrace");
            }

            @Override
            public synchronized Throwable getCause() {
                throw new IllegalStateException("getCause");
            }

            @Override
            public String toString() {
                throw new IllegalStateException("toString");
            }
        };
        JsonNode ex = exceptionOf(hostile);
        assertFalse(ex.get("message").asText().isEmpty());
        assertEquals(0, ex.get("stacktrace").size());
        assertTrue(ex.get("raw").asText().length() > 0);
        Encoded out = encode(LogEntry.builder(LogLevel.ERROR, null).throwable(hostile).build());
        assertFalse(out.text("message").isEmpty());
    }

    @Test
    void aStackTraceWithNullFramesKeepsTheStructuredException() {
        RuntimeException e = new RuntimeException("x") {
            @Override
            public StackTraceElement[] getStackTrace() {
                return new StackTraceElement[] {null, new StackTraceElement("a.B", "m", "B.java", 3)};
            }
        };
        JsonNode ex = exceptionOf(e);
        assertEquals("a.B.m", ex.get("stacktrace").get(0).get("function").asText());
        JsonNode asCause = exceptionOf(new RuntimeException("outer", e)).get("cause");
        assertEquals("a.B.m", asCause.get("stacktrace").get(0).get("function").asText());
    }

    @Test
    void aThrowableViewIsSerialisedLikeAThrowable() {
        ThrowableView view = new ThrowableView() {
            @Override
            public String className() {
                return "org.example.Proxy";
            }

            @Override
            public String message() {
                return null;
            }

            @Override
            public StackTraceElement[] frames() {
                return new StackTraceElement[] {new StackTraceElement("org.example.C", "run", "C.java", 7)};
            }

            @Override
            public int commonFrames() {
                return 0;
            }

            @Override
            public ThrowableView cause() {
                return this; // a cycle through a view with identity() = itself
            }

            @Override
            public List<ThrowableView> suppressed() {
                return Collections.emptyList();
            }
        };
        JsonNode ex = exceptionOf(view);
        assertEquals("org.example.Proxy", ex.get("type").asText());
        assertEquals("org.example.Proxy", ex.get("message").asText());
        assertEquals("org.example.C.run", ex.get("stacktrace").get(0).get("function").asText());
        assertTrue(ex.get("raw").asText().startsWith("org.example.Proxy\n\tat org.example.C.run(C.java:7)\n"));
    }

    @Test
    void aSloppyThrowableViewStillGivesTheServerATypeAndAMessage() {
        ThrowableView sloppy = new ThrowableView() {
            @Override
            public String className() {
                return null;
            }

            @Override
            public String message() {
                return null;
            }

            @Override
            public StackTraceElement[] frames() {
                return null;
            }

            @Override
            public int commonFrames() {
                return 5;
            }

            @Override
            public ThrowableView cause() {
                return null;
            }

            @Override
            public List<ThrowableView> suppressed() {
                return null;
            }
        };
        JsonNode ex = exceptionOf(sloppy);
        assertFalse(ex.get("type").asText().isEmpty(), ex.toString());
        assertTrue(ex.get("type").isTextual(), ex.toString());
        assertFalse(ex.get("message").asText().isEmpty(), ex.toString());
        assertEquals(0, ex.get("stacktrace").size());
        Encoded out = encode(LogEntry.builder(LogLevel.ERROR, "").exception(sloppy).build());
        assertFalse(out.text("message").isEmpty());
    }

    @Test
    void aThrowableViewThatMakesFreshViewsEndlesslyIsBounded() {
        JsonNode root = exceptionOf(new Endless(0));
        JsonNode ex = root;
        int depth = 1;
        while (ex.has("cause")) {
            ex = ex.get("cause");
            depth++;
        }
        assertTrue(depth <= ExceptionSerializer.MAX_CAUSE_DEPTH, "depth " + depth);
        int objects = count(root);
        assertTrue(objects <= 64, objects + " exception objects"); // a cause and a suppressed per level: 2^10
    }

    private static int count(JsonNode ex) {
        int n = 1;
        if (ex.has("cause")) {
            n += count(ex.get("cause"));
        }
        if (ex.has("suppressed")) {
            for (JsonNode s : ex.get("suppressed")) {
                n += count(s);
            }
        }
        return n;
    }

    static RuntimeException wrap(Throwable cause) {
        return new RuntimeException("wrapper", cause);
    }

    @Test
    void causesListOnlyTheFramesTheyDoNotShareWithTheEnclosingException() {
        IllegalStateException inner = thrower();
        RuntimeException outer = wrap(inner);
        JsonNode causeFrames = exceptionOf(outer).get("cause").get("stacktrace");
        // Below this method both traces are the same; printStackTrace prints them as "... N more".
        assertEquals(2, causeFrames.size(), causeFrames.toString());
        assertEquals("dev.logtide.internal.entry.ExceptionEncodingTest.thrower", causeFrames.get(0).get("function").asText());
        assertEquals("dev.logtide.internal.entry.ExceptionEncodingTest.causesListOnlyTheFramesTheyDoNotShareWithTheEnclosingException",
                causeFrames.get(1).get("function").asText());
        assertEquals(Math.min(ExceptionSerializer.MAX_FRAMES, outer.getStackTrace().length),
                exceptionOf(outer).get("stacktrace").size());
    }

    private static final class Endless implements ThrowableView {
        private final int n;

        Endless(int n) {
            this.n = n;
        }

        @Override
        public String className() {
            return "x.Endless";
        }

        @Override
        public String message() {
            return "level " + n;
        }

        @Override
        public StackTraceElement[] frames() {
            return new StackTraceElement[0];
        }

        @Override
        public int commonFrames() {
            return 0;
        }

        @Override
        public ThrowableView cause() {
            return new Endless(n + 1);
        }

        @Override
        public List<ThrowableView> suppressed() {
            return Collections.singletonList(new Endless(n + 1));
        }
    }
}
