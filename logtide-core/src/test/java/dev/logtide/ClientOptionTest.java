package dev.logtide;

import dev.logtide.diagnostics.DiagnosticListener;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The option table: its rows are the builder's options, its defaults and bounds are the ones applied. */
class ClientOptionTest {
    private static final String KEY = "lp_s3cr3tKey0123456789";

    private static ClientOptions.Builder valid() {
        return ClientOptions.builder().apiUrl("https://logs.example.com").apiKey(KEY);
    }

    private static Object comparable(Object value) {
        return value instanceof Collection ? new HashSet<>((Collection<?>) value) : value;
    }

    @Test
    void namesAreUniqueAndTheDsnComesFirst() {
        List<String> names = ClientOption.all().stream().map(ClientOption::name).collect(Collectors.toList());
        assertEquals(names.size(), new HashSet<>(names).size(), names.toString());
        assertEquals("dsn", names.get(0), "dsn fills apiUrl and apiKey, which explicit values then override");
        for (ClientOption<?> option : ClientOption.all()) {
            assertSame(option, ClientOption.named(option.name()).orElseThrow());
            assertFalse(option.description().isEmpty(), option.name());
        }
        assertTrue(ClientOption.named("batchsize").isEmpty());
    }

    @Test
    void theBuilderStartsFromTheTablesDefaults() {
        ClientOptions built = valid().build();
        for (ClientOption<?> option : ClientOption.all()) {
            if (option != ClientOption.API_URL && option != ClientOption.API_KEY && option != ClientOption.DSN) {
                assertEquals(comparable(option.defaultValue()), comparable(option.valueIn(built)), option.name());
            }
        }
        assertSame(PayloadLimits.defaults(), built.payloadLimits());
    }

    /** An option added to the builder without a row in the table fails here. */
    @Test
    void everyOptionSetterOfTheBuilderIsARow() {
        Set<String> notOptions = Set.of("payloadLimits", "diagnosticListener", "beforeSend", "environmentDefaults");
        Set<String> setters = Arrays.stream(ClientOptions.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == ClientOptions.Builder.class)
                .map(Method::getName)
                .filter(name -> !notOptions.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> rows = ClientOption.all().stream().map(ClientOption::name).collect(Collectors.toCollection(TreeSet::new));
        rows.removeAll(Set.of("maxFieldSize", "maxLogSize", "excludeFields", "truncationMarker")); // PayloadLimits'
        assertEquals(rows, setters);
    }

    @Test
    void boundMessagesNameTheOptionTheBoundAndTheValue() {
        assertMessage("batchSize must be between 1 and 1000, was 0", b -> b.batchSize(0));
        assertMessage("batchSize must be between 1 and 1000, was 1001", b -> b.batchSize(1001));
        assertMessage("flushIntervalMs must be positive, was 0", b -> b.flushIntervalMs(0));
        assertMessage("maxBufferBytes must be at least 1024, was 5", b -> b.maxBufferBytes(5));
        assertMessage("maxBatchBytes must be at least 65536, was 1", b -> b.maxBatchBytes(1));
        assertMessage("maxRetries must not be negative, was -1", b -> b.maxRetries(-1));
        assertMessage("maxRetryDelayMs must be at least retryDelayMs, was 10", b -> b.retryDelayMs(5000).maxRetryDelayMs(10));
        assertMessage("closeTimeoutMs must not be negative, was -2", b -> b.closeTimeoutMs(-2));
        assertEquals("maxFieldSize must be at least 16 characters, was 3", assertThrows(IllegalArgumentException.class,
                () -> PayloadLimits.builder().maxFieldSize(3).build()).getMessage());
        assertEquals("maxLogSize must be at least 1024 bytes, was 100", assertThrows(IllegalArgumentException.class,
                () -> PayloadLimits.builder().maxLogSize(100).build()).getMessage());
    }

    private static void assertMessage(String expected, Consumer<ClientOptions.Builder> tune) {
        ClientOptions.Builder b = valid();
        tune.accept(b);
        assertEquals(expected, assertThrows(IllegalArgumentException.class, b::build).getMessage());
    }

    @Test
    void everyBoundIsEnforcedAndItsEdgeAccepted() {
        for (ClientOption<?> option : ClientOption.all()) {
            if (option.minimum().isPresent()) {
                long min = option.minimum().getAsLong();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withNumber(option, min - 1),
                        option.name());
                assertTrue(e.getMessage().startsWith(option.name() + " must "), e.getMessage());
                assertEquals(min, ((Number) option.valueIn(withNumber(option, min))).longValue(), option.name());
            }
            if (option.maximum().isPresent()) {
                long max = option.maximum().getAsLong();
                assertThrows(IllegalArgumentException.class, () -> withNumber(option, max + 1), option.name());
                assertEquals(max, ((Number) option.valueIn(withNumber(option, max))).longValue(), option.name());
            }
        }
    }

    /** Built options with one number option set through the table, as the adapters set it. */
    @SuppressWarnings("unchecked")
    private static ClientOptions withNumber(ClientOption<?> option, long value) {
        ClientOptions.Builder b = valid();
        PayloadLimits.Builder limits = PayloadLimits.builder();
        if (option.kind() == ClientOption.Kind.INT) {
            ((ClientOption<Integer>) option).set(b, limits, (int) value);
        } else {
            ((ClientOption<Long>) option).set(b, limits, value);
        }
        return b.payloadLimits(limits.build()).build();
    }

    @Test
    void theEnvironmentVariablesAreTheDeploymentSettings() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (ClientOption<?> option : ClientOption.all()) {
            if (option.environmentVariable() != null) {
                variables.put(option.name(), option.environmentVariable());
            }
        }
        assertEquals(Map.of("dsn", "LOGTIDE_DSN", "apiUrl", "LOGTIDE_API_URL", "apiKey", "LOGTIDE_API_KEY",
                "service", "LOGTIDE_SERVICE", "sampleRate", "LOGTIDE_SAMPLE_RATE", "spoolDir", "LOGTIDE_SPOOL_DIR"), variables);
    }

    @Test
    void aVariableStandsInOnlyForWhatTheBuilderLeftUnset() {
        Map<String, String> env = Map.of("LOGTIDE_SERVICE", "from-env", "LOGTIDE_SAMPLE_RATE", "0.5");
        ClientOptions fromEnv = valid().environmentDefaults(env::get).build();
        assertEquals("from-env", fromEnv.service());
        assertEquals(0.5, fromEnv.sampleRate());
        ClientOptions set = valid().service("svc").sampleRate(0.75).environmentDefaults(env::get).build();
        assertEquals("svc", set.service());
        assertEquals(0.75, set.sampleRate());
        assertEquals(0.75, set.toBuilder().environmentDefaults(env::get).build().sampleRate(),
                "built options are settled: the environment does not change a copy");
    }

    @Test
    void theSpoolDirectoryComesFromItsVariableWhenTheConfigurationLeavesItUnset() {
        Map<String, String> env = Map.of("LOGTIDE_API_URL", "http://localhost:1", "LOGTIDE_API_KEY", "lp_k",
                "LOGTIDE_SPOOL_DIR", "/var/spool/app");
        assertEquals("/var/spool/app", ClientOptions.builder().environmentDefaults(env::get).build().spoolDir());
        assertEquals("/elsewhere", ClientOptions.builder().spoolDir("/elsewhere").environmentDefaults(env::get)
                .build().spoolDir());
        assertEquals(null, ClientOptions.builder().environmentDefaults(Map.of("LOGTIDE_API_URL", "http://localhost:1",
                "LOGTIDE_API_KEY", "lp_k")::get).build().spoolDir(), "off by default");
    }

    @Test
    void toStringShowsEveryOptionKeptButNoSecretAndNoMetadataValue() {
        String text = valid().globalMetadata("team", "payments-secret-team").build().toString();
        for (ClientOption<?> option : ClientOption.all()) {
            if (option != ClientOption.DSN) {
                assertTrue(text.contains(option.name() + "="), option.name() + ": " + text);
            }
        }
        assertTrue(text.contains("apiKey=****") && text.contains("globalMetadata=[team]"), text);
        assertFalse(text.contains("s3cr3t") || text.contains("payments-secret-team"), text);
    }

    @Test
    void toBuilderKeepsEveryOption() {
        DiagnosticListener listener = (severity, message, error) -> { };
        PayloadLimits limits = PayloadLimits.builder().maxFieldSize(99).build();
        ClientOptions original = valid().service("svc").batchSize(7).maxRetryDelayMs(40_000).globalMetadata("a", 1)
                .autoTraceId(true).registerShutdownHook(false).payloadLimits(limits).diagnosticListener(listener).build();
        ClientOptions copy = original.toBuilder().build();
        for (ClientOption<?> option : ClientOption.all()) {
            assertEquals(comparable(option.valueIn(original)), comparable(option.valueIn(copy)), option.name());
        }
        assertSame(listener, copy.diagnosticListener());
        assertSame(limits, copy.payloadLimits());
        ClientOptions changed = original.toBuilder().batchSize(9).globalMetadata("b", 2).build();
        assertEquals(9, changed.batchSize());
        assertEquals(7, original.batchSize(), "the original is not changed");
        assertEquals(Map.of("a", 1, "b", 2), changed.globalMetadata());
        assertEquals(Map.of("a", 1), original.globalMetadata());
    }
}
