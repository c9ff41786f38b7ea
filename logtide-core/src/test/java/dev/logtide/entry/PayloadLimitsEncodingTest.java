package dev.logtide.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.PayloadLimits;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.logtide.entry.Encoded.encode;
import static dev.logtide.entry.Encoded.options;
import static dev.logtide.entry.EntryNormalisationTest.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Field truncation, base64 removal, excluded fields and the per-entry size limit, as encoded. */
class PayloadLimitsEncodingTest {
    /** A 1x1 PNG, base64: 120 characters. */
    private static final String B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
            + "AAAAAAAAAAAAAAAAAAAAAAAA";

    private static ClientOptions limits(Consumer<PayloadLimits.Builder> tune) {
        PayloadLimits.Builder b = PayloadLimits.builder();
        tune.accept(b);
        PayloadLimits l = b.build();
        return options(o -> o.payloadLimits(l));
    }

    private static JsonNode metadataOf(ClientOptions options, Map<String, Object> metadata) {
        Encoded out = encode(options, LogEntry.builder(LogLevel.INFO, "m").metadata(metadata).build());
        assertEquals(EntryEncoder.Result.OK, out.result);
        return out.metadata();
    }

    private static String words(int chars) {
        StringBuilder b = new StringBuilder();
        while (b.length() < chars) {
            b.append("word ");
        }
        return b.substring(0, chars);
    }

    // ---- maxFieldSize ----

    @Test
    void stringsOverMaxFieldSizeAreTruncatedWithTheMarker() {
        ClientOptions options = limits(l -> l.maxFieldSize(100));
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("long", words(150));
        md.put("exact", words(100));
        md.put("nested", Collections.singletonMap("list", Collections.singletonList(words(101))));
        JsonNode n = metadataOf(options, md);
        assertEquals(words(100) + "...[TRUNCATED]", n.get("long").asText());
        assertEquals(words(100), n.get("exact").asText());
        assertEquals(words(100) + "...[TRUNCATED]", n.get("nested").get("list").get(0).asText());
    }

    @Test
    void theTruncationMarkerIsConfigurable() {
        ClientOptions options = limits(l -> l.maxFieldSize(20).truncationMarker("<cut>"));
        JsonNode n = metadataOf(options, Collections.singletonMap("s", words(50)));
        assertEquals(words(20) + "<cut>", n.get("s").asText());
    }

    @Test
    void defaultMaxFieldSizeIs10KiB() {
        JsonNode n = metadataOf(options(o -> { }), Collections.singletonMap("s", words(20_000)));
        assertEquals(10 * 1024 + PayloadLimits.DEFAULT_TRUNCATION_MARKER.length(), n.get("s").asText().length());
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        ClientOptions options = limits(l -> l.maxFieldSize(20));
        StringBuilder s = new StringBuilder("a");
        for (int i = 0; i < 30; i++) {
            s.append(emoji);
        }
        JsonNode n = metadataOf(options, Collections.singletonMap("s", s.toString()));
        Encoded.assertClean(n.get("s").asText());
        assertTrue(n.get("s").asText().endsWith("...[TRUNCATED]"));
    }

    // ---- base64 ----

    @Test
    void base64LookingStringsAreRemoved() {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("blob", B64);
        md.put("blob100", repeat('A', 100));
        md.put("short", repeat('A', 99));
        md.put("dataUri", "data:image/png;base64,iVBORw0KGgo=");
        md.put("svgUri", "DATA:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%3E");
        md.put("emptyUri", "data:,hello");
        md.put("notAUri", "data: 3 rows, 2 columns");
        md.put("urlSafe", repeat('-', 50) + repeat('_', 50) + "abc");
        md.put("lines", B64.substring(0, 60) + "\n" + B64.substring(60));
        md.put("prose", words(200));
        md.put("nested", Arrays.asList(Collections.singletonMap("img", B64)));
        JsonNode n = metadataOf(options(o -> { }), md);
        assertEquals("[BASE64 DATA REMOVED]", n.get("blob").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("blob100").asText());
        assertEquals(repeat('A', 99), n.get("short").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("dataUri").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("svgUri").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("emptyUri").asText());
        assertEquals("data: 3 rows, 2 columns", n.get("notAUri").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("urlSafe").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("lines").asText());
        assertEquals(words(200), n.get("prose").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("nested").get(0).get("img").asText());
    }

    @Test
    void base64IsRemovedBeforeTruncationSoNoPartOfItIsSent() {
        String big = String.join("", Collections.nCopies(500, B64.substring(0, 64)));
        JsonNode n = metadataOf(limits(l -> l.maxFieldSize(100)), Collections.singletonMap("b", big));
        assertEquals("[BASE64 DATA REMOVED]", n.get("b").asText());
    }

    // ---- excludeFields ----

    @Test
    void excludedFieldsAreReplacedAtAnyDepthIgnoringCase() {
        ClientOptions options = limits(l -> l.excludeFields("password", " Token ").excludeFields(Arrays.asList("API_KEY")));
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("PASSWORD", "p1");
        inner.put("api_key", Collections.singletonMap("whole", "object"));
        inner.put("safe", "password");
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("Password", "p0");
        md.put("token", 12345);
        md.put("user", Collections.singletonMap("profile", inner));
        md.put("list", Arrays.asList(Collections.singletonMap("pAsSwOrD", "p2")));
        Encoded out = encode(options, LogEntry.builder(LogLevel.INFO, "m").metadata(md)
                .context(Collections.singletonMap("token", "ctx")).build());
        JsonNode n = out.metadata();
        assertEquals("[EXCLUDED]", n.get("Password").asText());
        assertEquals("[EXCLUDED]", n.get("token").asText());
        JsonNode profile = n.get("user").get("profile");
        assertEquals("[EXCLUDED]", profile.get("PASSWORD").asText());
        assertEquals("[EXCLUDED]", profile.get("api_key").asText());
        assertEquals("password", profile.get("safe").asText());
        assertEquals("[EXCLUDED]", n.get("list").get(0).get("pAsSwOrD").asText());
        assertEquals("[EXCLUDED]", n.get("mdc").get("token").asText());
    }

    @Test
    void excludedContextKeysAreReplacedToo() {
        ClientOptions options = limits(l -> l.excludeFields("sessionId"));
        JsonNode n = encode(options, LogEntry.builder(LogLevel.INFO, "m")
                .context(Collections.singletonMap("SESSIONID", "abc")).build()).metadata();
        assertEquals("[EXCLUDED]", n.get("SESSIONID").asText());
    }

    @Test
    void aKeyHidingBehindANulIsStillExcluded() {
        JsonNode n = metadataOf(limits(l -> l.excludeFields("password")),
                Collections.singletonMap("pass\u0000word", "secret"));
        assertEquals("[EXCLUDED]", n.get("password").asText());
    }

    // ---- maxLogSize ----

    private static LogEntry bigEntry(int strings, int chars) {
        Map<String, Object> md = new LinkedHashMap<>();
        for (int i = 0; i < strings; i++) {
            md.put("k" + i, words(chars));
        }
        return LogEntry.builder(LogLevel.WARN, "the message").service("svc").traceId("trace-1")
                .spanId("0123456789abcdef").time(Instant.parse("2024-05-06T07:08:09.010Z")).metadata(md).build();
    }

    private static void assertReduced(Encoded out, int maxLogSize) {
        assertEquals(EntryEncoder.Result.TRUNCATED, out.result);
        assertEquals("2024-05-06T07:08:09.010Z", out.text("time"));
        assertEquals("warn", out.text("level"));
        assertEquals("svc", out.text("service"));
        assertEquals("trace-1", out.text("trace_id"));
        JsonNode md = out.metadata();
        assertEquals(2, md.size(), md.toString());
        assertTrue(md.get("_truncated").asBoolean());
        assertTrue(md.get("_original_size").isIntegralNumber());
        assertTrue(md.get("_original_size").longValue() > maxLogSize, md.toString());
        assertTrue(out.size <= maxLogSize, "reduced entry is " + out.size + " bytes");
    }

    @Test
    void anEntryOverMaxLogSizeKeepsItsIdentityAndReportsItsSize() {
        ClientOptions small = limits(l -> l.maxLogSize(2048).maxFieldSize(1000));
        Encoded out = encode(small, bigEntry(10, 500));
        assertReduced(out, 2048);
        assertEquals("the message", out.text("message"));
        int fullSize = encode(limits(l -> l.maxLogSize(1 << 20).maxFieldSize(1000)), bigEntry(10, 500)).size;
        assertEquals(fullSize, out.metadata().get("_original_size").intValue());
    }

    @Test
    void anEntryJustUnderMaxLogSizeIsSentWhole() {
        ClientOptions options = limits(l -> l.maxLogSize(1 << 20));
        Encoded whole = encode(options, bigEntry(3, 300));
        assertEquals(EntryEncoder.Result.OK, whole.result);
        int size = whole.size;
        Encoded atLimit = encode(limits(l -> l.maxLogSize(size)), bigEntry(3, 300));
        assertEquals(EntryEncoder.Result.OK, atLimit.result);
        assertEquals(whole.json, atLimit.json);
        assertEquals(EntryEncoder.Result.TRUNCATED, encode(limits(l -> l.maxLogSize(size - 1)), bigEntry(3, 300)).result);
    }

    @Test
    void aHugeEntryStopsEarlyAndStillReportsASize() {
        // 10,000 strings of 10 KiB: ~100 MiB if written out; the encoder gives up long before.
        Map<String, Object> md = new LinkedHashMap<>();
        String tenK = words(10 * 1024);
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.add(tenK);
        }
        for (int i = 0; i < 10; i++) {
            md.put("list" + i, list);
        }
        LogEntry e = LogEntry.builder(LogLevel.WARN, "the message").service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).metadata(md).build();
        Encoded out = encode(e);
        assertReduced(out, PayloadLimits.DEFAULT_MAX_LOG_SIZE);
    }

    @Test
    void theReducedFormTruncatesTheMessage() {
        ClientOptions options = limits(l -> l.maxLogSize(4096).maxFieldSize(100));
        Encoded out = encode(options, LogEntry.builder(LogLevel.WARN, words(10_000)).service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).build());
        assertReduced(out, 4096);
        assertEquals(words(100) + "...[TRUNCATED]", out.text("message"));
    }

    @Test
    void theReducedFormFitsMaxLogSizeEvenWhenMaxFieldSizeIsLarger() {
        ClientOptions options = limits(l -> l.maxLogSize(1024).maxFieldSize(100_000));
        Encoded out = encode(options, LogEntry.builder(LogLevel.WARN, words(50_000)).service("svc")
                .traceId("trace-1").time(Instant.parse("2024-05-06T07:08:09.010Z")).build());
        assertReduced(out, 1024);
        assertTrue(out.text("message").startsWith("word word"));
    }

    @Test
    void theFullFormBoundsTheMessageByMaxLogSize() {
        // A long message alone may exceed maxFieldSize: it is the payload people read.
        Encoded out = encode(limits(l -> l.maxFieldSize(100)), LogEntry.builder(LogLevel.INFO, words(5000)).build());
        assertEquals(EntryEncoder.Result.OK, out.result);
        assertEquals(words(5000), out.text("message"));
        assertFalse(out.metadata().has("_truncated"));
    }
}
