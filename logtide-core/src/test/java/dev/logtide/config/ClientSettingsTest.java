package dev.logtide.config;

import dev.logtide.ClientOptions;
import dev.logtide.PayloadLimits;
import dev.logtide.diagnostics.DiagnosticListener;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSettingsTest {
    private static final String KEY = "lp_s3cr3tKey0123456789";
    private static final Function<String, String> NO_ENV = name -> null;

    private static ClientSettings minimal() {
        ClientSettings s = new ClientSettings();
        s.set("apiUrl", "http://localhost:8080");
        s.set("apiKey", KEY);
        return s;
    }

    /**
     * For every option: a text that differs from the default, and how to see it in the options.
     * The test below fails when an option is added to OPTION_NAMES without an entry here.
     */
    private static Map<String, Object[]> cases() {
        Map<String, Object[]> c = new LinkedHashMap<>();
        c.put("apiUrl", row("https://other.example.com:9443/base/", (Predicate<ClientOptions>) o ->
                o.apiUrl().equals("https://other.example.com:9443/base")));
        c.put("apiKey", row("lp_other", (Predicate<ClientOptions>) o -> o.apiKey().equals("lp_other")));
        c.put("dsn", row("https://lp_fromdsn@dsn.example.com:444/x", (Predicate<ClientOptions>) o ->
                // apiUrl and apiKey are set too in these cases, and they win over the DSN
                o.apiUrl().equals("http://localhost:8080") && o.apiKey().equals(KEY)));
        c.put("service", row("checkout", (Predicate<ClientOptions>) o -> "checkout".equals(o.service())));
        c.put("batchSize", row("7", (Predicate<ClientOptions>) o -> o.batchSize() == 7));
        c.put("flushIntervalMs", row("250", (Predicate<ClientOptions>) o -> o.flushIntervalMs() == 250));
        c.put("maxBufferSize", row("1_000", (Predicate<ClientOptions>) o -> o.maxBufferSize() == 1000));
        c.put("maxBufferBytes", row("2000000", (Predicate<ClientOptions>) o -> o.maxBufferBytes() == 2_000_000));
        c.put("blockWhenFullMs", row("15", (Predicate<ClientOptions>) o -> o.blockWhenFullMs() == 15));
        c.put("maxBatchBytes", row("100000", (Predicate<ClientOptions>) o -> o.maxBatchBytes() == 100_000));
        c.put("maxRetries", row("0", (Predicate<ClientOptions>) o -> o.maxRetries() == 0));
        c.put("retryDelayMs", row("20", (Predicate<ClientOptions>) o -> o.retryDelayMs() == 20));
        c.put("maxRetryDelayMs", row("40000", (Predicate<ClientOptions>) o -> o.maxRetryDelayMs() == 40_000));
        c.put("circuitBreakerThreshold", row("2", (Predicate<ClientOptions>) o -> o.circuitBreakerThreshold() == 2));
        c.put("circuitBreakerResetMs", row("60000", (Predicate<ClientOptions>) o -> o.circuitBreakerResetMs() == 60_000));
        c.put("maxFieldSize", row("2048", (Predicate<ClientOptions>) o -> o.payloadLimits().maxFieldSize() == 2048));
        c.put("maxLogSize", row("4096", (Predicate<ClientOptions>) o -> o.payloadLimits().maxLogSize() == 4096));
        c.put("excludeFields", row(" password , Token,,", (Predicate<ClientOptions>) o ->
                o.payloadLimits().excludeFields().equals(new HashSet<>(Arrays.asList("password", "token")))));
        c.put("truncationMarker", row("[cut]", (Predicate<ClientOptions>) o ->
                o.payloadLimits().truncationMarker().equals("[cut]")));
        c.put("globalMetadata", row("env=prod, region = eu-1,expr=a=b", (Predicate<ClientOptions>) o ->
                "prod".equals(o.globalMetadata().get("env")) && "eu-1".equals(o.globalMetadata().get("region"))
                        && "a=b".equals(o.globalMetadata().get("expr"))));
        c.put("autoTraceId", row("true", (Predicate<ClientOptions>) ClientOptions::autoTraceId));
        c.put("debug", row("TRUE", (Predicate<ClientOptions>) ClientOptions::debug));
        c.put("connectTimeoutMs", row("1", (Predicate<ClientOptions>) o -> o.connectTimeoutMs() == 1));
        c.put("readTimeoutMs", row("2", (Predicate<ClientOptions>) o -> o.readTimeoutMs() == 2));
        c.put("writeTimeoutMs", row("3", (Predicate<ClientOptions>) o -> o.writeTimeoutMs() == 3));
        c.put("requestTimeoutMs", row("5", (Predicate<ClientOptions>) o -> o.requestTimeoutMs() == 5));
        c.put("closeTimeoutMs", row("4", (Predicate<ClientOptions>) o -> o.closeTimeoutMs() == 4));
        c.put("registerShutdownHook", row("false", (Predicate<ClientOptions>) o -> !o.registerShutdownHook()));
        return c;
    }

    private static Object[] row(String text, Predicate<ClientOptions> check) {
        return new Object[] {text, check};
    }

    @Test
    void everyOptionNameIsCoveredHere() {
        assertEquals(new HashSet<>(ClientSettings.OPTION_NAMES), cases().keySet());
        assertEquals(ClientSettings.OPTION_NAMES.size(), new HashSet<>(ClientSettings.OPTION_NAMES).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOptionReachesClientOptions() {
        ClientOptions defaults = minimal().toOptions(NO_ENV);
        for (Map.Entry<String, Object[]> c : cases().entrySet()) {
            String name = c.getKey();
            Predicate<ClientOptions> check = (Predicate<ClientOptions>) c.getValue()[1];
            ClientSettings s = minimal();
            s.set(name, (String) c.getValue()[0]);
            assertEquals(c.getValue()[0].toString().trim(), s.get(name), name);
            ClientOptions o = s.toOptions(NO_ENV);
            assertTrue(check.test(o), name + " did not reach ClientOptions: " + o);
            if (!name.equals("dsn")) {
                assertFalse(check.test(defaults), name + ": the check cannot tell the value from the default");
            }
        }
    }

    @Test
    void theDsnAloneGivesUrlAndKey() {
        ClientSettings s = new ClientSettings();
        s.set("dsn", "https://lp_fromdsn@dsn.example.com:444/x");
        ClientOptions o = s.toOptions(NO_ENV);
        assertEquals("https://dsn.example.com:444/x", o.apiUrl());
        assertEquals("lp_fromdsn", o.apiKey());
    }

    @Test
    void unknownOptionsAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientSettings().set("batchsize", "1"));
        assertTrue(e.getMessage().contains("batchsize"), e.getMessage());
    }

    @Test
    void parseErrorsNameTheOption() {
        Map<String, String> bad = new LinkedHashMap<>();
        for (String n : Arrays.asList("batchSize", "flushIntervalMs", "maxBufferSize", "maxBufferBytes",
                "blockWhenFullMs", "maxBatchBytes", "maxRetries", "retryDelayMs", "maxRetryDelayMs",
                "circuitBreakerThreshold", "circuitBreakerResetMs", "maxFieldSize", "maxLogSize",
                "connectTimeoutMs", "readTimeoutMs", "writeTimeoutMs", "requestTimeoutMs", "closeTimeoutMs")) {
            bad.put(n, "ten");
        }
        bad.put("autoTraceId", "yes");
        bad.put("debug", "1");
        bad.put("registerShutdownHook", "maybe");
        bad.put("globalMetadata", "env=prod,oops");
        bad.put("dsn", "https://no-key.example.com");
        assertEachNamed(bad);
        assertEachNamed(Collections.singletonMap("batchSize", "99999999999"));
    }

    /** Each option set alone to its bad text makes toOptions fail with a message naming it. */
    private static void assertEachNamed(Map<String, String> bad) {
        for (Map.Entry<String, String> b : bad.entrySet()) {
            ClientSettings s = minimal();
            s.set(b.getKey(), b.getValue());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.toOptions(NO_ENV),
                    b.getKey());
            assertTrue(e.getMessage().contains(b.getKey()), b.getKey() + ": " + e.getMessage());
        }
    }

    @Test
    void outOfRangeValuesNameTheOption() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("batchSize", "0");
        bad.put("maxRetries", "-1");
        bad.put("maxFieldSize", "3");
        bad.put("maxLogSize", "100");
        bad.put("apiUrl", "ftp://x");
        assertEachNamed(bad);
    }

    @Test
    void blankValuesCountAsUnset() {
        ClientSettings s = minimal();
        s.set("batchSize", "7");
        s.set("batchSize", "   ");
        s.set("service", "");
        s.set("maxFieldSize", null);
        assertNull(s.get("batchSize"));
        ClientOptions o = s.toOptions(name -> name.equals("LOGTIDE_SERVICE") ? "env-service" : null);
        assertEquals(100, o.batchSize());
        assertEquals("env-service", o.service());
        assertEquals(PayloadLimits.DEFAULT_MAX_FIELD_SIZE, o.payloadLimits().maxFieldSize());
    }

    @Test
    void missingUrlAndKeyFallBackToTheEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("LOGTIDE_API_URL", "http://env-host:1");
        env.put("LOGTIDE_API_KEY", KEY);
        ClientOptions o = new ClientSettings().toOptions(env::get);
        assertEquals("http://env-host:1", o.apiUrl());
        assertEquals(KEY, o.apiKey());
        ClientSettings withUrl = new ClientSettings();
        withUrl.set("apiUrl", "http://mine:2");
        assertEquals("http://mine:2", withUrl.toOptions(env::get).apiUrl());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientSettings().toOptions(NO_ENV));
        assertTrue(e.getMessage().contains("apiUrl"), e.getMessage());
        ClientSettings urlOnly = new ClientSettings();
        urlOnly.set("apiUrl", "http://mine:2");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> urlOnly.toOptions(NO_ENV))
                .getMessage().contains("apiKey"));
    }

    @Test
    void globalMetadataFromTextAndFromPairsAreMerged() {
        ClientSettings s = minimal();
        s.set("globalMetadata", "env=prod,team=core");
        s.putGlobalMetadata(" team ", "payments");
        s.putGlobalMetadata("  ", "ignored");
        s.putGlobalMetadata(null, "ignored");
        s.putGlobalMetadata("count", 3);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("env", "prod");
        expected.put("team", "payments");
        expected.put("count", 3);
        assertEquals(expected, s.toOptions(NO_ENV).globalMetadata());
    }

    @Test
    void theDiagnosticListenerReachesTheOptions() {
        DiagnosticListener listener = (severity, message, error) -> { };
        ClientSettings s = minimal();
        s.setDiagnosticListener(listener);
        assertSame(listener, s.toOptions(NO_ENV).diagnosticListener());
    }

    @Test
    void toStringHidesTheKeyAndTheDsn() {
        ClientSettings s = minimal();
        s.set("dsn", "https://lp_dsnS3cret@h");
        s.set("service", "visible");
        String text = s.toString();
        assertFalse(text.contains("s3cr3t"), text);
        assertFalse(text.contains("S3cret"), text);
        assertTrue(text.contains("visible"), text);
    }

    @Test
    void parseHelpers() {
        assertEquals(Arrays.asList("a", "b c"), ClientSettings.parseList(" a ,, b c ,"));
        assertTrue(ClientSettings.parseList(null).isEmpty());
        Map<String, Object> kv = ClientSettings.parseKeyValues("opt", "a=1, b = x=y ,c=");
        assertEquals("1", kv.get("a"));
        assertEquals("x=y", kv.get("b"));
        assertEquals("", kv.get("c"));
        Set<String> messages = new HashSet<>();
        for (String bad : Arrays.asList("=1", "novalue")) {
            messages.add(assertThrows(IllegalArgumentException.class,
                    () -> ClientSettings.parseKeyValues("opt", bad)).getMessage());
        }
        messages.forEach(m -> assertTrue(m.startsWith("opt "), m));
    }
}
