package dev.logtide.internal.entry;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static dev.logtide.internal.entry.Encoded.encode;
import static dev.logtide.internal.entry.Encoded.options;
import static dev.logtide.internal.entry.EntryNormalisationTest.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Field truncation, base64 removal, excluded fields and the per-entry size limit, as encoded. */
class PayloadLimitsEncodingTest {
    /** A 1x1 PNG, base64: 96 characters. */
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    /** 120 random bytes, base64: 160 characters. */
    private static final String B64 = Base64.getEncoder().encodeToString(randomBytes(120, 1));

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

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
        md.put("blob100", B64.substring(0, 100));
        md.put("short", B64.substring(0, 99));
        md.put("png", PNG);
        md.put("mime", Base64.getMimeEncoder().encodeToString(randomBytes(300, 4)));
        md.put("dataUri", "data:image/png;base64,iVBORw0KGgo=");
        md.put("svgUri", "DATA:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%3E");
        md.put("emptyUri", "data:,hello");
        md.put("notAUri", "data: 3 rows, 2 columns");
        md.put("urlSafe", Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(300, 2)));
        md.put("lines", B64.substring(0, 60) + "\n" + B64.substring(60));
        md.put("prose", words(200));
        md.put("nested", Arrays.asList(Collections.singletonMap("img", B64)));
        JsonNode n = metadataOf(options(o -> { }), md);
        assertEquals("[BASE64 DATA REMOVED]", n.get("blob").asText());
        assertEquals("[BASE64 DATA REMOVED]", n.get("blob100").asText());
        assertEquals(B64.substring(0, 99), n.get("short").asText());
        assertEquals(PNG, n.get("png").asText()); // 96 characters: under the rule's 100
        assertEquals("[BASE64 DATA REMOVED]", n.get("mime").asText());
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
        String big = Base64.getEncoder().encodeToString(randomBytes(24_000, 3));
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

    /** Reduced, yet with everything that identifies the entry, and a note of its original size. */
    private static void assertReduced(Encoded out, int maxLogSize) {
        assertEquals(EntryEncoder.Result.TRUNCATED, out.result);
        assertEquals("2024-05-06T07:08:09.010Z", out.text("time"));
        assertEquals("warn", out.text("level"));
        assertEquals("svc", out.text("service"));
        assertEquals("trace-1", out.text("trace_id"));
        JsonNode md = out.metadata();
        assertTrue(md.get("_truncated").asBoolean());
        assertTrue(md.get("_original_size").isIntegralNumber());
        assertTrue(md.get("_original_size").longValue() > maxLogSize, md.toString());
        assertEquals("logtide-java", md.path("sdk").path("name").asText());
        assertTrue(out.size <= maxLogSize, "reduced entry is " + out.size + " bytes");
    }

    /** The size of the entry written in full: what {@code _original_size} must say. */
    private static int fullSize(LogEntry entry, int maxFieldSize) {
        Encoded whole = encode(limits(l -> l.maxLogSize(64 << 20).maxFieldSize(maxFieldSize)), entry);
        assertEquals(EntryEncoder.Result.OK, whole.result);
        return whole.size;
    }

    @Test
    void anEntryOverMaxLogSizeCutsItsLongestStringsToACommonLengthAndKeepsEveryKey() {
        ClientOptions small = limits(l -> l.maxLogSize(2048).maxFieldSize(1000));
        LogEntry entry = bigEntry(10, 500);
        Encoded out = encode(small, entry);
        assertReduced(out, 2048);
        assertEquals("the message", out.text("message"));
        assertEquals("0123456789abcdef", out.text("span_id"));
        int cut = -1;
        for (int i = 0; i < 10; i++) {
            String v = out.metadata().get("k" + i).asText();
            assertTrue(v.endsWith("...[TRUNCATED]"), v);
            assertTrue(words(500).startsWith(v.substring(0, v.length() - "...[TRUNCATED]".length())), v);
            assertTrue(cut < 0 || cut == v.length(), "every long string is cut to the same length");
            cut = v.length();
        }
        assertTrue(cut > 100, "cut no more than needed: " + cut);
        assertEquals(fullSize(entry, 1000), out.metadata().get("_original_size").intValue());
    }

    /** Jackson writes a character outside the BMP as two six-byte escapes (12 bytes), not 4 UTF-8 bytes. */
    @Test
    void theOriginalSizeOfALongMessageOfEmojiIsTheBytesJacksonWrites() {
        StringBuilder emoji = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            emoji.append("\uD83D\uDE00");
        }
        LogEntry entry = LogEntry.builder(LogLevel.WARN, emoji.toString()).service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).build();
        Encoded out = encode(limits(l -> l.maxLogSize(2048).maxFieldSize(1 << 20)), entry);
        assertReduced(out, 2048);
        assertEquals(fullSize(entry, 1 << 20), out.metadata().get("_original_size").intValue());
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
    void aHugeEntryStopsEarlyGivesUpItsLargestValuesAndStillReportsASize() {
        // 10 lists of 1,000 strings of 10 KiB: ~100 MiB if written out. Counting stops at 64 MiB;
        // even at 128 characters a string, each list is ~150 KB: they are replaced, the rest stays.
        Map<String, Object> md = new LinkedHashMap<>();
        String tenK = words(10 * 1024);
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.add(tenK);
        }
        md.put("user", "u-42");
        for (int i = 0; i < 10; i++) {
            md.put("list" + i, list);
        }
        LogEntry e = LogEntry.builder(LogLevel.WARN, "the message").service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).metadata(md).build();
        Encoded out = encode(e);
        assertReduced(out, PayloadLimits.DEFAULT_MAX_LOG_SIZE);
        assertEquals("the message", out.text("message"));
        assertEquals("u-42", out.metadata().get("user").asText());
        for (int i = 0; i < 10; i++) {
            assertEquals(EntryEncoder.REMOVED, out.metadata().get("list" + i).asText());
        }
        assertEquals(EntryEncoder.MAX_MEASURED, out.metadata().get("_original_size").longValue());
    }

    @Test
    void theLargestValueGoesFirstAndTheRestKeepsAsMuchAsFits() {
        // At 128 characters a string the list alone exceeds maxLogSize: it is given up, and the
        // long string is then cut only as far as needed.
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ids.add("id-" + i);
        }
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("ids", ids);
        md.put("note", words(3000));
        md.put("user", "u-42");
        LogEntry e = LogEntry.builder(LogLevel.WARN, "the message").service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).metadata(md).build();
        Encoded out = encode(limits(l -> l.maxLogSize(2048)), e);
        assertReduced(out, 2048);
        assertEquals(EntryEncoder.REMOVED, out.metadata().get("ids").asText());
        assertEquals("u-42", out.metadata().get("user").asText());
        assertTrue(out.metadata().get("note").asText().length() > 1000, out.metadata().toString());
        assertEquals(fullSize(e, PayloadLimits.DEFAULT_MAX_FIELD_SIZE), out.metadata().get("_original_size").intValue());
    }

    @Test
    void theExceptionIsGivenUpLastAndThenKeepsItsTypeAndMessage() {
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ids.add("id-" + i);
        }
        Throwable deep = new IllegalStateException("x");
        for (int i = 0; i < 9; i++) {
            deep = new RuntimeException("wrapper " + i, deep);
        }
        LogEntry e = LogEntry.builder(LogLevel.WARN, "the message").service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).put("ids", ids).throwable(deep).build();
        Encoded kept = encode(limits(l -> l.maxLogSize(16384)), e);
        assertEquals(EntryEncoder.REMOVED, kept.metadata().get("ids").asText());
        assertEquals("wrapper 8", kept.metadata().get("exception").get("message").asText());
        assertTrue(kept.metadata().get("exception").get("stacktrace").size() > 0);

        Encoded headline = encode(limits(l -> l.maxLogSize(1024)), e);
        assertReduced(headline, 1024);
        JsonNode ex = headline.metadata().get("exception");
        assertEquals("java.lang.RuntimeException", ex.get("type").asText());
        assertEquals("wrapper 8", ex.get("message").asText());
        assertEquals("java", ex.get("language").asText());
    }

    @Test
    void aHugeMessageIsCutButTheExceptionAndTheSmallMetadataStay() {
        // issue 13, row 4: client.error("s", msg, new IllegalStateException("x")) with 200,000 characters
        String message = words(200_000);
        IllegalStateException error = new IllegalStateException("x");
        LogEntry e = LogEntry.builder(LogLevel.ERROR, message).service("s").traceId("trace-1")
                .spanId("0123456789abcdef").put("user", "u-42").put("attempt", 3).throwable(error).build();
        Encoded out = encode(e);
        assertEquals(EntryEncoder.Result.TRUNCATED, out.result);
        assertTrue(out.size <= PayloadLimits.DEFAULT_MAX_LOG_SIZE, out.size + " bytes");
        assertEquals("error", out.text("level"));
        assertEquals("s", out.text("service"));
        assertEquals("trace-1", out.text("trace_id"));
        assertEquals("0123456789abcdef", out.text("span_id"));
        String sent = out.text("message");
        assertTrue(sent.endsWith("...[TRUNCATED]") && message.startsWith(sent.substring(0, sent.length() - 14)));
        assertTrue(sent.length() > 50_000, "the message keeps what fits: " + sent.length());
        JsonNode md = out.metadata();
        assertEquals("u-42", md.get("user").asText());
        assertEquals(3, md.get("attempt").intValue());
        JsonNode ex = md.get("exception");
        assertEquals("java.lang.IllegalStateException", ex.get("type").asText());
        assertEquals("x", ex.get("message").asText());
        assertEquals(Math.min(error.getStackTrace().length, ExceptionSerializer.MAX_FRAMES), ex.get("stacktrace").size());
        assertTrue(ex.get("raw").asText().startsWith("java.lang.IllegalStateException: x\n\tat "));
        assertTrue(md.get("_truncated").asBoolean());
        assertEquals(fullSize(e, PayloadLimits.DEFAULT_MAX_FIELD_SIZE), md.get("_original_size").intValue());
    }

    @Test
    void originalSizeIsTheSizeTheEntryWouldHaveHad() {
        // issue 13, row 4: a 5 MB message was reported as 102,572 bytes.
        String message = repeat('m', 5_000_000) + "\u00e9\"\u0000";
        LogEntry e = LogEntry.builder(LogLevel.INFO, message).time(Instant.parse("2024-05-06T07:08:09.010Z")).build();
        long reported = encode(e).metadata().get("_original_size").longValue();
        assertEquals(fullSize(e, PayloadLimits.DEFAULT_MAX_FIELD_SIZE), reported);
        assertTrue(reported > 5_000_000, "reported " + reported);
    }

    @Test
    void theReducedFormTruncatesTheMessage() {
        ClientOptions options = limits(l -> l.maxLogSize(4096).maxFieldSize(100));
        Encoded out = encode(options, LogEntry.builder(LogLevel.WARN, words(10_000)).service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).build());
        assertReduced(out, 4096);
        String message = out.text("message");
        assertTrue(message.endsWith("...[TRUNCATED]"), message);
        assertTrue(message.length() > 3000, "only as much is cut as needed: " + message.length());
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
    void theMessageIsNotAFieldForMaxFieldSize() {
        // issue 13, row 9: the message is the entry's payload; only maxLogSize bounds it.
        Encoded out = encode(limits(l -> l.maxFieldSize(16)), LogEntry.builder(LogLevel.INFO, "twenty characters!!!")
                .put("field", "twenty characters!!!").build());
        assertEquals(EntryEncoder.Result.OK, out.result);
        assertEquals("twenty characters!!!", out.text("message"));
        assertEquals("twenty character...[TRUNCATED]", out.metadata().get("field").asText());
        Encoded big = encode(limits(l -> l.maxFieldSize(100)), LogEntry.builder(LogLevel.INFO, words(5000)).build());
        assertEquals(EntryEncoder.Result.OK, big.result);
        assertEquals(words(5000), big.text("message"));
        assertFalse(big.metadata().has("_truncated"));
    }

    @Test
    void aLongRunOfOneLetterIsTruncatedNotTakenForBase64() {
        // issue 13, row 1
        Encoded out = encode(limits(l -> l.maxFieldSize(1024)), LogEntry.builder(LogLevel.INFO, "m")
                .put("y", repeat('y', 20_000)).build());
        assertEquals(repeat('y', 1024) + "...[TRUNCATED]", out.metadata().get("y").asText());
    }

    // ---- ids, many keys, keys the SDK fills ----

    @Test
    void traceIdsAreNotCutAtMaxFieldSize() {
        // A W3C trace id is 32 characters; maxFieldSize 20 cut it to 20 and the trace was lost.
        String w3c = "4bf92f3577b34da6a3ce929d0e0e4736";
        Encoded out = encode(limits(l -> l.maxFieldSize(20)), LogEntry.builder(LogLevel.INFO, "m").traceId(w3c).build());
        assertEquals(w3c, out.text("trace_id"));
        // The server takes any string: a long one stays whole, in a reduced entry too.
        String longId = repeat('t', 3000);
        Encoded reduced = encode(limits(l -> l.maxFieldSize(100).maxLogSize(8192)),
                LogEntry.builder(LogLevel.INFO, words(50_000)).traceId(longId).build());
        assertEquals(EntryEncoder.Result.TRUNCATED, reduced.result);
        assertEquals(longId, reduced.text("trace_id"));
        // Only an id that cannot fit maxLogSize at all is shortened, so the entry still goes.
        Encoded hopeless = encode(limits(l -> l.maxLogSize(1024)), LogEntry.builder(LogLevel.INFO, "m").traceId(longId).build());
        assertTrue(hopeless.size <= 1024, hopeless.size + " bytes");
        assertTrue(longId.startsWith(hopeless.text("trace_id")), hopeless.text("trace_id"));
        assertTrue(hopeless.text("trace_id").length() >= 128, hopeless.text("trace_id"));
    }

    private static LogEntry manyKeys(int keys, Object value, Throwable error) {
        Map<String, Object> md = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            md.put("k" + i, value instanceof String ? value : i);
        }
        return LogEntry.builder(LogLevel.WARN, "many keys").service("svc").traceId("trace-1")
                .time(Instant.parse("2024-05-06T07:08:09.010Z")).metadata(md).throwable(error).build();
    }

    @Test
    void topLevelKeysAreCappedLikeANestedMapsAndTheRestCounted() {
        // 40,000 small ints and an exception were reduced to _truncated/_original_size alone.
        IllegalStateException boom = new IllegalStateException("boom");
        Encoded out = encode(manyKeys(40_000, null, boom));
        assertEquals(EntryEncoder.Result.OK, out.result, "1,000 small keys fit maxLogSize");
        JsonNode md = out.metadata();
        assertEquals(999, md.get("k999").intValue());
        assertFalse(md.has("k1000"));
        assertEquals("39000 more keys", md.get("_more").asText());
        assertEquals("boom", md.path("exception").path("message").asText());
        assertEquals(boom.getStackTrace().length, md.path("exception").path("stacktrace").size());
        assertEquals("many keys", out.text("message"));
    }

    @Test
    void manyLongValuesAndAnExceptionKeepTheExceptionAndAsManyValuesAsFit() {
        // 5,000 values of 200 characters and an exception: only _truncated/_original_size were left.
        IllegalStateException boom = new IllegalStateException("boom");
        Encoded out = encode(manyKeys(5000, words(200), boom));
        assertReduced(out, PayloadLimits.DEFAULT_MAX_LOG_SIZE);
        JsonNode md = out.metadata();
        assertEquals("boom", md.path("exception").path("message").asText());
        assertEquals(boom.getStackTrace().length, md.path("exception").path("stacktrace").size(), "the whole exception");
        assertEquals("4000 more keys", md.get("_more").asText());
        int kept = 0;
        int removed = 0;
        for (int i = 0; i < 1000; i++) {
            String v = md.get("k" + i).asText();
            if (v.equals(EntryEncoder.REMOVED)) {
                removed++;
            } else {
                assertTrue(v.equals(words(200)) || v.length() >= 128 && v.endsWith("...[TRUNCATED]"), v);
                kept++;
            }
        }
        assertTrue(kept > 300, kept + " values kept whole, " + removed + " removed");
    }

    @Test
    void givingUpSmallValuesLeavesTheirKeysOutInsteadOfEnlargingThem() {
        // A placeholder larger than an int would make the entry grow with every value "removed".
        ClientOptions small = limits(l -> l.maxLogSize(2048));
        Encoded out = encode(small, manyKeys(900, null, null));
        assertReduced(out, 2048);
        JsonNode md = out.metadata();
        int kept = 0;
        for (int i = 0; i < 900; i++) {
            if (md.has("k" + i)) {
                assertEquals(i, md.get("k" + i).intValue(), "a small value is never replaced by a larger placeholder");
                kept++;
            }
        }
        assertTrue(kept > 50, kept + " keys kept");
        assertEquals((900 - kept) + " more keys", md.get("_more").asText());
    }

    @Test
    void userKeysNamedLikeTheSdksMarkersMoveUnderShadowedInAReducedEntry() {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("_truncated", "user-value");
        md.put("_original_size", 5);
        md.put("_shadowed_not", "stays");
        Encoded out = encode(LogEntry.builder(LogLevel.INFO, words(200_000)).metadata(md).build()); // rejects duplicate keys
        assertEquals(EntryEncoder.Result.TRUNCATED, out.result);
        JsonNode m = out.metadata();
        assertTrue(m.get("_truncated").booleanValue());
        assertTrue(m.get("_original_size").longValue() > 200_000);
        assertEquals("user-value", m.path("_shadowed").path("_truncated").asText());
        assertEquals(5, m.path("_shadowed").path("_original_size").intValue());
        assertEquals("stays", m.get("_shadowed_not").asText());
        // In an entry that is not reduced, the user's keys are the only ones: they stay where they are.
        Encoded whole = encode(LogEntry.builder(LogLevel.INFO, "small").metadata(md).build());
        assertEquals("user-value", whole.metadata().get("_truncated").asText());
        assertFalse(whole.metadata().has("_shadowed"));
    }

    @Test
    void aUserExceptionKeyIsKeptUnderShadowedWhenAThrowableIsLogged() {
        Encoded out = encode(LogEntry.builder(LogLevel.ERROR, "failed").put("exception", "user note").put("other", 1)
                .throwable(new IllegalStateException("x")).build());
        JsonNode md = out.metadata();
        assertEquals("java.lang.IllegalStateException", md.path("exception").path("type").asText());
        assertEquals("user note", md.path("_shadowed").path("exception").asText());
        assertEquals(1, md.get("other").intValue());
        Encoded noThrowable = encode(LogEntry.builder(LogLevel.ERROR, "failed").put("exception", "user note").build());
        assertEquals("user note", noThrowable.metadata().get("exception").asText());
        assertFalse(noThrowable.metadata().has("_shadowed"));
    }

    @Test
    void theMoreMarkerOfAMapTheClientAlreadyCappedKeepsItsCount() {
        // LogTideClient copies metadata with Snapshot, which caps maps at 1,000 keys with the same marker.
        Map<String, Object> nested = new LinkedHashMap<>();
        Map<String, Object> md = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            nested.put("n" + i, i);
            md.put("k" + i, i);
        }
        md.put("k0", nested);
        Encoded out = encode(LogEntry.builder(LogLevel.INFO, "capped").metadata(dev.logtide.Snapshot.of(md)).build());
        JsonNode m = out.metadata();
        assertEquals("4000 more keys", m.get("_more").asText(), m.toString().substring(0, 100));
        assertEquals("4000 more keys", m.get("k0").get("_more").asText());
        assertEquals(1001, m.get("k0").size());
        assertFalse(m.has("_shadowed"));
    }

    @Test
    void aUsersOwnMoreKeyMovesUnderShadowedOnlyWhenTheSdkCountsKeys() {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("_more", "see the attachment");
        assertEquals("see the attachment", encode(LogEntry.builder(LogLevel.INFO, "few").metadata(md).build())
                .metadata().get("_more").asText());
        for (int i = 0; i < 1500; i++) {
            md.put("k" + i, i);
        }
        JsonNode m = encode(LogEntry.builder(LogLevel.INFO, "many").metadata(md).build()).metadata();
        assertEquals("500 more keys", m.get("_more").asText(), "the user's _more is kept, not counted");
        assertEquals("see the attachment", m.get("_shadowed").get("_more").asText());
    }
}
