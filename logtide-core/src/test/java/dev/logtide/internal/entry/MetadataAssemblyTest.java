package dev.logtide.internal.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.logtide.internal.entry.Encoded.encode;
import static dev.logtide.internal.entry.Encoded.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How metadata is put together: logger, thread, context (MDC), metadata, exception, global keys, sdk. */
class MetadataAssemblyTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void traceContextsCopyInTheContextIsNotAMetadataKey() {
        Encoded out = encode(LogEntry.builder(LogLevel.INFO, "m").traceId("t-1")
                .context(java.util.Collections.singletonMap(dev.logtide.TraceContext.CONTEXT_KEY, "t-1")).build());
        assertEquals("t-1", out.text("trace_id"));
        assertFalse(out.metadata().has(dev.logtide.TraceContext.CONTEXT_KEY), out.metadata().toString());
    }

    @Test
    void everyEntryCarriesTheSdkBlock() {
        JsonNode sdk = encode(LogEntry.builder(LogLevel.INFO, "m").build()).metadata().get("sdk");
        assertEquals("logtide-java", sdk.get("name").asText());
        assertEquals(SdkInfo.VERSION, sdk.get("version").asText());
        assertTrue(SdkInfo.VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), "version from the build: " + SdkInfo.VERSION);
        assertEquals(2, sdk.size());
    }

    @Test
    void anSdkKeyAlreadyPresentIsKept() {
        assertEquals("mine", encode(LogEntry.builder(LogLevel.INFO, "m").put("sdk", "mine").build())
                .metadata().get("sdk").asText());
        ClientOptions global = options(b -> b.globalMetadata("sdk", Collections.singletonMap("name", "wrapper")));
        assertEquals("wrapper", encode(global, LogEntry.builder(LogLevel.INFO, "m").build())
                .metadata().get("sdk").get("name").asText());
    }

    @Test
    void globalMetadataIsMergedAndEntryKeysWin() {
        ClientOptions options = options(b -> b.globalMetadata(map("env", "prod", "region", "eu", "user", "g")));
        Encoded out = encode(options, LogEntry.builder(LogLevel.INFO, "m").put("env", "dev")
                .context(Collections.singletonMap("user", "alice")).build());
        assertEquals("dev", out.metadata().get("env").asText());
        assertEquals("eu", out.metadata().get("region").asText());
        assertEquals("alice", out.metadata().get("user").asText());
    }

    @Test
    void anEntryKeyThatOnlyDiffersByAStrippedCharacterStillWinsOverAGlobalKey() {
        ClientOptions options = options(b -> b.globalMetadata("env", "prod"));
        Encoded out = encode(options, LogEntry.builder(LogLevel.INFO, "m").put("env\u0000", "dev").build());
        assertEquals("dev", out.metadata().get("env").asText()); // the parser also rejects a duplicate key
    }

    @Test
    void loggerAndThreadAreMetadataKeys() {
        JsonNode md = encode(LogEntry.builder(LogLevel.INFO, "m").logger("com.acme.Shop").thread("main").build())
                .metadata();
        assertEquals("com.acme.Shop", md.get("logger").asText());
        assertEquals("main", md.get("thread").asText());
        JsonNode none = encode(LogEntry.builder(LogLevel.INFO, "m").build()).metadata();
        assertFalse(none.has("logger"));
        assertFalse(none.has("thread"));
    }

    @Test
    void contextKeysAreTopLevelAndNoMdcObjectWithoutCollisions() {
        JsonNode md = encode(LogEntry.builder(LogLevel.INFO, "m")
                .context(map("requestId", "r-1", "user", "bob")).put("other", 1).build()).metadata();
        assertEquals("r-1", md.get("requestId").asText());
        assertEquals("bob", md.get("user").asText());
        assertEquals(1, md.get("other").asInt());
        assertFalse(md.has("mdc"));
    }

    @Test
    void contextKeysCollidingWithReservedKeysGoUnderMdc() {
        Map<String, Object> context = new LinkedHashMap<>();
        for (String reserved : Arrays.asList("logger", "thread", "exception", "sdk", "mdc", "markers")) {
            context.put(reserved, "ctx-" + reserved);
        }
        context.put("plain", "p");
        JsonNode md = encode(LogEntry.builder(LogLevel.ERROR, "m").logger("L").thread("T")
                .throwable(new RuntimeException("boom")).context(context).build()).metadata();
        assertEquals("L", md.get("logger").asText());
        assertEquals("T", md.get("thread").asText());
        assertEquals("java.lang.RuntimeException", md.get("exception").get("type").asText());
        assertEquals("logtide-java", md.get("sdk").get("name").asText());
        assertEquals("p", md.get("plain").asText());
        assertFalse(md.has("markers"));
        JsonNode mdc = md.get("mdc");
        assertTrue(mdc.isObject(), "mdc: " + mdc);
        for (String reserved : Arrays.asList("logger", "thread", "exception", "sdk", "mdc", "markers")) {
            assertEquals("ctx-" + reserved, mdc.get(reserved).asText(), reserved);
        }
        assertFalse(mdc.has("plain"));
    }

    @Test
    void contextKeysReservedEvenWhenTheEntryHasNoLoggerOrThread() {
        JsonNode md = encode(LogEntry.builder(LogLevel.INFO, "m").context(map("logger", "x")).build()).metadata();
        assertFalse(md.has("logger"));
        assertEquals("x", md.get("mdc").get("logger").asText());
    }

    @Test
    void contextKeysCollidingWithMetadataKeysGoUnderMdc() {
        JsonNode md = encode(LogEntry.builder(LogLevel.INFO, "m").context(map("user", "from-mdc"))
                .put("user", "from-metadata").build()).metadata();
        assertEquals("from-metadata", md.get("user").asText());
        assertEquals("from-mdc", md.get("mdc").get("user").asText());
    }

    @Test
    void metadataLoggerWinsOverTheEntryLogger() {
        JsonNode md = encode(LogEntry.builder(LogLevel.INFO, "m").logger("L").put("logger", "mine").build()).metadata();
        assertEquals("mine", md.get("logger").asText());
    }

    @Test
    void theThrowableWinsOverAMetadataExceptionKeyWhichIsKeptOtherwise() {
        JsonNode withThrowable = encode(LogEntry.builder(LogLevel.ERROR, "m").put("exception", "text")
                .throwable(new IllegalArgumentException("x")).build()).metadata();
        assertEquals("java.lang.IllegalArgumentException", withThrowable.get("exception").get("type").asText());
        JsonNode without = encode(LogEntry.builder(LogLevel.ERROR, "m").put("exception", "text").build()).metadata();
        assertEquals("text", without.get("exception").asText());
    }

    @Test
    void aThrowableAsMetadataValueIsStructured() {
        JsonNode md = encode(LogEntry.builder(LogLevel.WARN, "m").put("lastError", new IllegalStateException("e"))
                .build()).metadata();
        assertEquals("java.lang.IllegalStateException", md.get("lastError").get("type").asText());
        assertEquals("java", md.get("lastError").get("language").asText());
    }

    @Test
    void globalMetadataValuesAreRenderedAndLimitedLikeEntryValues() {
        ClientOptions options = options(b -> b.globalMetadata(map("password", "secret", "nested",
                map("Password", "s2", "n", 5)))
                .payloadLimits(dev.logtide.PayloadLimits.builder().excludeFields("password").build()));
        JsonNode md = encode(options, LogEntry.builder(LogLevel.INFO, "m").build()).metadata();
        assertEquals("[EXCLUDED]", md.get("password").asText());
        assertEquals("[EXCLUDED]", md.get("nested").get("Password").asText());
        assertEquals(5, md.get("nested").get("n").asInt());
    }
}
