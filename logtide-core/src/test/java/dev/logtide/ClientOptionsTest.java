package dev.logtide;

import dev.logtide.diagnostics.DiagnosticListener;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientOptionsTest {
    private static final String KEY = "lp_s3cr3tKey0123456789";

    private static ClientOptions.Builder valid() {
        return ClientOptions.builder().apiUrl("https://logs.example.com").apiKey(KEY);
    }

    private static Function<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m::get;
    }

    /** Asserts that building fails with a message naming {@code option} and never showing the key. */
    private static void assertRejected(String option, Consumer<ClientOptions.Builder> tune) {
        ClientOptions.Builder b = valid();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            tune.accept(b);
            b.build();
        });
        assertTrue(e.getMessage().contains(option), "message should name " + option + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), "message shows the key: " + e.getMessage());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ClientOptions o = valid().build();
        assertEquals("https://logs.example.com", o.apiUrl());
        assertEquals(KEY, o.apiKey());
        assertNull(o.service());
        assertEquals(100, o.batchSize());
        assertEquals(5000, o.flushIntervalMs());
        assertEquals(500_000, o.maxBufferSize());
        assertEquals(64L * 1024 * 1024, o.maxBufferBytes());
        assertEquals(0, o.blockWhenFullMs());
        assertEquals(3, o.maxRetries());
        assertEquals(1000, o.retryDelayMs());
        assertEquals(5, o.circuitBreakerThreshold());
        assertEquals(30_000, o.circuitBreakerResetMs());
        assertTrue(o.globalMetadata().isEmpty());
        assertFalse(o.autoTraceId());
        assertSame(PayloadLimits.defaults(), o.payloadLimits());
        assertFalse(o.debug());
        assertEquals(5000, o.closeTimeoutMs());
        assertTrue(o.registerShutdownHook());
        assertNull(o.diagnosticListener());
        assertTrue(o.maxBatchBytes() >= 64 * 1024);
        assertTrue(o.maxRetryDelayMs() >= o.retryDelayMs());
        assertTrue(o.connectTimeoutMs() > 0 && o.readTimeoutMs() > 0 && o.writeTimeoutMs() > 0);
    }

    @Test
    void everySetterIsKept() {
        DiagnosticListener listener = (s, m, e) -> { };
        PayloadLimits limits = PayloadLimits.builder().maxFieldSize(100).build();
        ClientOptions o = valid().service("svc").batchSize(7).flushIntervalMs(8).maxBufferSize(9)
                .maxBufferBytes(10_000).blockWhenFullMs(11).maxBatchBytes(70_000).maxRetries(12).retryDelayMs(13)
                .maxRetryDelayMs(14).circuitBreakerThreshold(15).circuitBreakerResetMs(16)
                .globalMetadata("a", 1).globalMetadata(Collections.singletonMap("b", "2")).autoTraceId(true)
                .payloadLimits(limits).debug(true).connectTimeoutMs(17).readTimeoutMs(18).writeTimeoutMs(19)
                .closeTimeoutMs(20).registerShutdownHook(false).diagnosticListener(listener).build();
        assertEquals("svc", o.service());
        assertEquals(7, o.batchSize());
        assertEquals(8, o.flushIntervalMs());
        assertEquals(9, o.maxBufferSize());
        assertEquals(10_000, o.maxBufferBytes());
        assertEquals(11, o.blockWhenFullMs());
        assertEquals(70_000, o.maxBatchBytes());
        assertEquals(12, o.maxRetries());
        assertEquals(13, o.retryDelayMs());
        assertEquals(14, o.maxRetryDelayMs());
        assertEquals(15, o.circuitBreakerThreshold());
        assertEquals(16, o.circuitBreakerResetMs());
        assertEquals(1, o.globalMetadata().get("a"));
        assertEquals("2", o.globalMetadata().get("b"));
        assertTrue(o.autoTraceId());
        assertSame(limits, o.payloadLimits());
        assertTrue(o.debug());
        assertEquals(17, o.connectTimeoutMs());
        assertEquals(18, o.readTimeoutMs());
        assertEquals(19, o.writeTimeoutMs());
        assertEquals(20, o.closeTimeoutMs());
        assertFalse(o.registerShutdownHook());
        assertSame(listener, o.diagnosticListener());
    }

    @Test
    void globalMetadataIsACopy() {
        Map<String, Object> mine = new HashMap<>();
        mine.put("a", 1);
        ClientOptions o = valid().globalMetadata(mine).build();
        mine.put("b", 2);
        assertEquals(Collections.singletonMap("a", 1), o.globalMetadata());
        assertThrows(UnsupportedOperationException.class, () -> o.globalMetadata().put("c", 3));
    }

    @Test
    void apiUrlIsTrimmedAndLosesTrailingSlashes() {
        assertEquals("http://localhost:8080/base", valid().apiUrl("  http://localhost:8080/base// ").build().apiUrl());
        assertEquals("HTTPS://Logs.example.com", valid().apiUrl("HTTPS://Logs.example.com/").build().apiUrl());
    }

    @Test
    void dsnGivesUrlAndKey() {
        ClientOptions plain = ClientOptions.builder().dsn("https://" + KEY + "@logs.example.com").build();
        assertEquals("https://logs.example.com", plain.apiUrl());
        assertEquals(KEY, plain.apiKey());
        ClientOptions port = ClientOptions.builder().dsn("http://" + KEY + "@localhost:8080").build();
        assertEquals("http://localhost:8080", port.apiUrl());
        ClientOptions base = ClientOptions.builder().dsn(" https://" + KEY + "@logs.example.com:8443/logtide/ ").build();
        assertEquals("https://logs.example.com:8443/logtide", base.apiUrl());
        assertEquals(KEY, base.apiKey());
        ClientOptions ipv6 = ClientOptions.builder().dsn("http://" + KEY + "@[::1]:9000").build();
        assertEquals("http://[::1]:9000", ipv6.apiUrl());
        ClientOptions withPassword = ClientOptions.builder().dsn("https://" + KEY + ":ignored@host").build();
        assertEquals(KEY, withPassword.apiKey());
    }

    @Test
    void explicitSettingsAfterTheDsnWin() {
        ClientOptions o = ClientOptions.builder().dsn("https://" + KEY + "@logs.example.com").apiKey("lp_other").build();
        assertEquals("lp_other", o.apiKey());
        assertEquals("https://logs.example.com", o.apiUrl());
    }

    @Test
    void theKeyNeverAppearsInToString() {
        String viaKey = valid().build().toString();
        String viaDsn = ClientOptions.builder().dsn("https://" + KEY + "@logs.example.com/x").build().toString();
        for (String s : new String[] {viaKey, viaDsn}) {
            assertFalse(s.contains("s3cr3t"), s);
            assertTrue(s.contains("logs.example.com"), s);
        }
    }

    @Test
    void invalidDsnsAreRejectedNamingTheDsn() {
        for (String dsn : new String[] {"https://logs.example.com", "not a url", "https://" + KEY + "@",
                "ftp://" + KEY + "@logs.example.com", KEY + "@logs.example.com"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClientOptions.builder().dsn(dsn).build(), dsn);
            assertTrue(e.getMessage().contains("dsn"), dsn + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        }
        assertRejected("apiUrl", b -> b.apiUrl(null).dsn("   "));
    }

    @Test
    void aUrlCarryingCredentialsIsRejectedWithoutShowingThem() {
        assertRejected("apiUrl", b -> b.apiUrl("https://" + KEY + "@logs.example.com"));
        assertRejected("apiUrl", b -> b.apiUrl(KEY)); // key and URL swapped by mistake
    }

    @Test
    void everyInvalidOptionIsNamed() {
        assertRejected("apiUrl", b -> b.apiUrl(null));
        assertRejected("apiUrl", b -> b.apiUrl("   "));
        assertRejected("apiUrl", b -> b.apiUrl("ftp://logs.example.com"));
        assertRejected("apiUrl", b -> b.apiUrl("logs.example.com"));
        assertRejected("apiUrl", b -> b.apiUrl("https://"));
        assertRejected("apiUrl", b -> b.apiUrl("http://bad host"));
        assertRejected("apiKey", b -> b.apiKey(null));
        assertRejected("apiKey", b -> b.apiKey(" "));
        assertRejected("batchSize", b -> b.batchSize(0));
        assertRejected("batchSize", b -> b.batchSize(1001));
        assertRejected("batchSize", b -> b.batchSize(-5));
        assertRejected("flushIntervalMs", b -> b.flushIntervalMs(0));
        assertRejected("maxBufferSize", b -> b.maxBufferSize(0));
        assertRejected("maxBufferSize", b -> b.maxBufferSize(-1));
        assertRejected("maxBufferBytes", b -> b.maxBufferBytes(-1));
        assertRejected("blockWhenFullMs", b -> b.blockWhenFullMs(-1));
        assertRejected("maxBatchBytes", b -> b.maxBatchBytes(-1));
        assertRejected("maxRetries", b -> b.maxRetries(-1));
        assertRejected("retryDelayMs", b -> b.retryDelayMs(-1));
        assertRejected("maxRetryDelayMs", b -> b.retryDelayMs(5000).maxRetryDelayMs(10));
        assertRejected("circuitBreakerThreshold", b -> b.circuitBreakerThreshold(0));
        assertRejected("circuitBreakerResetMs", b -> b.circuitBreakerResetMs(-1));
        assertRejected("connectTimeoutMs", b -> b.connectTimeoutMs(-1));
        assertRejected("readTimeoutMs", b -> b.readTimeoutMs(-1));
        assertRejected("writeTimeoutMs", b -> b.writeTimeoutMs(-1));
        assertRejected("closeTimeoutMs", b -> b.closeTimeoutMs(-1));
        assertRejected("payloadLimits", b -> b.payloadLimits(null));
    }

    @Test
    void boundariesAreAccepted() {
        valid().batchSize(1).build();
        valid().batchSize(1000).build();
        valid().maxRetries(0).retryDelayMs(0).maxRetryDelayMs(0).build();
        valid().flushIntervalMs(1).maxBufferSize(1).build();
    }

    // ---- environment ----

    @Test
    void environmentDefaultsFillWhatIsUnset() {
        ClientOptions o = ClientOptions.builder().environmentDefaults(env("LOGTIDE_API_URL", "http://h:1",
                "LOGTIDE_API_KEY", KEY, "LOGTIDE_SERVICE", "from-env")).build();
        assertEquals("http://h:1", o.apiUrl());
        assertEquals(KEY, o.apiKey());
        assertEquals("from-env", o.service());
    }

    @Test
    void explicitValuesWinOverTheEnvironment() {
        ClientOptions o = ClientOptions.builder().apiUrl("http://mine:1").apiKey("lp_mine").service("mine")
                .environmentDefaults(env("LOGTIDE_API_URL", "http://env:1", "LOGTIDE_API_KEY", KEY,
                        "LOGTIDE_SERVICE", "env", "LOGTIDE_DSN", "https://lp_dsn@dsn-host")).build();
        assertEquals("http://mine:1", o.apiUrl());
        assertEquals("lp_mine", o.apiKey());
        assertEquals("mine", o.service());
    }

    @Test
    void theDsnVariableWinsOverUrlAndKeyVariables() {
        ClientOptions o = ClientOptions.builder().environmentDefaults(env("LOGTIDE_DSN", "https://lp_dsn@dsn-host",
                "LOGTIDE_API_URL", "http://env:1", "LOGTIDE_API_KEY", KEY)).build();
        assertEquals("https://dsn-host", o.apiUrl());
        assertEquals("lp_dsn", o.apiKey());
    }

    @Test
    void theDsnVariableFillsTheHalfThatIsStillUnset() {
        ClientOptions keyGiven = ClientOptions.builder().apiKey("lp_mine")
                .environmentDefaults(env("LOGTIDE_DSN", "https://lp_dsn@dsn-host")).build();
        assertEquals("lp_mine", keyGiven.apiKey());
        assertEquals("https://dsn-host", keyGiven.apiUrl());
        ClientOptions urlGiven = ClientOptions.builder().apiUrl("http://mine:1")
                .environmentDefaults(env("LOGTIDE_DSN", "https://lp_dsn@dsn-host")).build();
        assertEquals("http://mine:1", urlGiven.apiUrl());
        assertEquals("lp_dsn", urlGiven.apiKey());
    }

    @Test
    void blankEnvironmentValuesCountAsUnset() {
        ClientOptions o = valid().environmentDefaults(env("LOGTIDE_DSN", " ", "LOGTIDE_SERVICE", "")).build();
        assertNull(o.service());
        assertRejected("apiKey", b -> b.apiKey(null).environmentDefaults(env("LOGTIDE_API_KEY", "  ")));
    }

    @Test
    void aBadDsnVariableIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientOptions.builder().environmentDefaults(env("LOGTIDE_DSN", "https://no-key-host")).build());
        assertTrue(e.getMessage().contains("LOGTIDE_DSN"), e.getMessage());
    }

    @Test
    void missingEverythingNamesTheVariablesToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientOptions.builder().environmentDefaults(env()).build());
        assertTrue(e.getMessage().contains("apiUrl") && e.getMessage().contains("LOGTIDE_"), e.getMessage());
    }

    @Test
    void fromEnvironmentReadsTheProcessEnvironment() {
        // Only the fallback order can be asserted without controlling the real environment.
        ClientOptions o = ClientOptions.fromEnvironment().apiUrl("http://explicit:1").apiKey("lp_explicit").build();
        assertEquals("http://explicit:1", o.apiUrl());
        assertEquals(System.getenv("LOGTIDE_SERVICE") == null || System.getenv("LOGTIDE_SERVICE").trim().isEmpty()
                ? null : System.getenv("LOGTIDE_SERVICE").trim(), o.service());
    }
}
