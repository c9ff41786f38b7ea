package dev.logtide.internal.diagnostics;

import dev.logtide.diagnostics.DiagnosticListener.Severity;
import dev.logtide.diagnostics.DiagnosticListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosticsTest {
    private final List<String> reports = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final DiagnosticListener recorder = (severity, message, error) -> {
        reports.add(severity + " " + message);
        errors.add(error);
    };

    private PrintStream originalErr;
    private ByteArrayOutputStream err;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private String stderr() {
        return new String(err.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void debugAndInfoOnlyWhenDebugIsOn() {
        Diagnostics quiet = new Diagnostics(false, recorder);
        quiet.debug("d");
        quiet.info("i");
        assertTrue(reports.isEmpty(), reports.toString());
        assertFalse(quiet.isDebug());

        Diagnostics loud = new Diagnostics(true, recorder);
        loud.debug("d");
        loud.info("i");
        assertEquals(List.of("DEBUG d", "INFO i"), reports);
        assertTrue(loud.isDebug());
    }

    @Test
    void warningsAndErrorsAreRateLimitedPerMessage() {
        Diagnostics d = new Diagnostics(false, recorder);
        d.warn("server unreachable", null);
        d.warn("server unreachable", null);
        d.error("API key rejected", null);
        d.error("API key rejected", null);
        d.warn("other problem", null);
        assertEquals(List.of("WARN server unreachable", "ERROR API key rejected", "WARN other problem"), reports);
    }

    @Test
    void rateLimitsAreIndependentPerInstance() {
        new Diagnostics(false, recorder).warn("same", null);
        new Diagnostics(false, recorder).warn("same", null);
        assertEquals(2, reports.size());
    }

    @Test
    void debugModeShowsEveryRepeat() {
        Diagnostics d = new Diagnostics(true, recorder);
        for (int i = 0; i < 3; i++) {
            d.warn("again", null);
        }
        assertEquals(3, reports.size());
    }

    @Test
    void theErrorIsPassedOn() {
        IllegalStateException cause = new IllegalStateException("why");
        new Diagnostics(false, recorder).error("failed", cause);
        assertSame(cause, errors.get(0));
    }

    @Test
    void withoutAListenerReportsGoToStderrWithAPrefix() {
        Diagnostics d = new Diagnostics(false, null);
        d.warn("to stderr", new IllegalStateException("cause text"));
        d.debug("not shown");
        String out = stderr();
        assertTrue(out.contains("[logtide]"), out);
        assertTrue(out.contains("to stderr"), out);
        assertTrue(out.contains("cause text"), out);
        assertFalse(out.contains("not shown"), out);
    }

    @Test
    void aThrowingListenerFallsBackToStderr() {
        Diagnostics d = new Diagnostics(false, (severity, message, error) -> {
            throw new IllegalStateException("listener broke");
        });
        d.error("must still be seen", null);
        String out = stderr();
        assertTrue(out.contains("[logtide]") && out.contains("must still be seen"), out);
    }

    @Test
    void aListenerThrowingAnErrorFallsBackToStderrToo() {
        Diagnostics d = new Diagnostics(false, (severity, message, error) -> {
            throw new NoClassDefFoundError("status system missing");
        });
        d.warn("still seen", null);
        assertTrue(stderr().contains("still seen"), stderr());
    }

    @Test
    void severitiesAreReportedAsGiven() {
        List<Severity> seen = new ArrayList<>();
        Diagnostics d = new Diagnostics(true, (severity, message, error) -> seen.add(severity));
        d.debug("a");
        d.info("b");
        d.warn("c", null);
        d.error("d", null);
        assertEquals(List.of(Severity.DEBUG, Severity.INFO, Severity.WARN, Severity.ERROR), seen);
    }
}
