package dev.logtide.internal.config;

import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
import dev.logtide.PayloadLimits;
import dev.logtide.diagnostics.DiagnosticListener;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
     * A text for the option that differs from its default, and the value it must become. Text is
     * a URL, so that apiUrl takes it too (the other text options take any text).
     */
    private static Object[] sample(ClientOption<?> option) {
        Object def = option.defaultValue();
        switch (option.kind()) {
            case INT:
            case LONG:
                long n = ((Number) def).longValue();
                long v = option.maximum().isPresent() && n + 1 > option.maximum().getAsLong() ? n - 1 : n + 1;
                return new Object[] {Long.toString(v), option.kind() == ClientOption.Kind.INT ? (Object) (int) v : (Object) v};
            case DECIMAL:
                return new Object[] {"0.25", 0.25};
            case BOOLEAN:
                return new Object[] {Boolean.toString(!(Boolean) def), !(Boolean) def};
            case LIST:
                return new Object[] {"a, b,,", new HashSet<>(Arrays.asList("a", "b"))};
            case KEY_VALUES:
                Map<String, Object> kv = new LinkedHashMap<>();
                kv.put("k", "v");
                kv.put("expr", "a=b");
                return new Object[] {"k=v, expr=a=b", kv};
            default:
                return new Object[] {"https://text.example.com", "https://text.example.com"};
        }
    }

    @Test
    void everyOptionOfTheTableReachesClientOptions() {
        ClientOptions defaults = minimal().toOptions(NO_ENV);
        for (ClientOption<?> option : ClientOption.all()) {
            if (option == ClientOption.DSN) {
                continue; // kept as apiUrl and apiKey: theDsnAloneGivesUrlAndKey
            }
            Object[] sample = sample(option);
            ClientSettings s = minimal();
            s.set(option.name(), (String) sample[0]);
            Object value = option.valueIn(s.toOptions(NO_ENV));
            Object read = value instanceof Collection ? new HashSet<>((Collection<?>) value) : value;
            assertEquals(sample[1], read, option + " did not reach ClientOptions");
            assertNotEquals(option.valueIn(defaults), value, option + ": the sample is the default");
        }
    }

    @Test
    void textIsParsedAsTheDocsSay() {
        ClientSettings s = minimal();
        s.set("maxBufferSize", "1_000");
        s.set("excludeFields", " password , Token,,");
        s.set("globalMetadata", "env=prod, region = eu-1,expr=a=b");
        s.set("debug", "TRUE");
        s.set("autoTraceId", " true ");
        ClientOptions o = s.toOptions(NO_ENV);
        assertEquals(1000, o.maxBufferSize());
        assertEquals(new HashSet<>(Arrays.asList("password", "token")), o.payloadLimits().excludeFields());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("env", "prod");
        metadata.put("region", "eu-1");
        metadata.put("expr", "a=b");
        assertEquals(metadata, o.globalMetadata());
        assertTrue(o.debug() && o.autoTraceId());
        assertEquals("1_000", s.get("maxBufferSize"));
    }

    @Test
    void theExplicitUrlAndKeyWinOverTheDsn() {
        ClientSettings s = minimal();
        s.set("dsn", "https://lp_fromdsn@dsn.example.com:444/x");
        ClientOptions o = s.toOptions(NO_ENV);
        assertEquals("http://localhost:8080", o.apiUrl());
        assertEquals(KEY, o.apiKey());
        ClientSettings keyOnly = new ClientSettings();
        keyOnly.set("dsn", "https://lp_fromdsn@dsn.example.com:444/x");
        keyOnly.set("apiKey", KEY);
        assertEquals("https://dsn.example.com:444/x", keyOnly.toOptions(NO_ENV).apiUrl());
        assertEquals(KEY, keyOnly.toOptions(NO_ENV).apiKey());
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
        for (ClientOption<?> option : ClientOption.all()) {
            switch (option.kind()) {
                case INT:
                case LONG:
                case DECIMAL:
                    bad.put(option.name(), "ten");
                    break;
                case BOOLEAN:
                    bad.put(option.name(), "maybe");
                    break;
                case KEY_VALUES:
                    bad.put(option.name(), "env=prod,oops");
                    break;
                default:
                    break; // any text is text; lists take any text
            }
        }
        assertTrue(bad.keySet().containsAll(Arrays.asList("batchSize", "maxLogSize", "debug", "globalMetadata")), bad.toString());
        bad.put("debug", "1");
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
        Map<String, String> below = new LinkedHashMap<>();
        Map<String, String> above = new LinkedHashMap<>();
        for (ClientOption<?> option : ClientOption.all()) {
            option.minimum().ifPresent(min -> below.put(option.name(), Long.toString(min - 1)));
            option.maximum().ifPresent(max -> above.put(option.name(), Long.toString(max + 1)));
        }
        assertTrue(below.keySet().containsAll(Arrays.asList("batchSize", "maxRetries", "maxFieldSize", "maxLogSize")),
                below.toString());
        assertEquals(Set.of("batchSize"), above.keySet());
        below.put("apiUrl", "ftp://x");
        below.put("maxRetryDelayMs", "-1"); // below retryDelayMs
        assertEachNamed(below);
        assertEachNamed(above);
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
