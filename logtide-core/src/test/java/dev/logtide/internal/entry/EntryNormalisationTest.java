package dev.logtide.internal.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.TraceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.logtide.internal.entry.Encoded.encode;
import static dev.logtide.internal.entry.Encoded.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The header fields: time, service, level, message, trace and span ids, and string cleaning. */
class EntryNormalisationTest {
    /** What the server's schema accepts for {@code time}, narrowed to "at least milliseconds". */
    private static final Pattern SERVER_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3,}Z");
    private static final String EMOJI = "\uD83D\uDE00"; // 😀, a valid surrogate pair

    @AfterEach
    void clearTraceContext() {
        TraceContext.setTraceId(null);
    }

    private static LogEntry at(Instant t) {
        return LogEntry.builder(LogLevel.INFO, "m").time(t).build();
    }

    private static String timeOf(Instant t) {
        return encode(at(t)).text("time");
    }

    // ---- time ----

    @Test
    void timeWithoutFractionStillHasMilliseconds() {
        assertEquals("2024-03-05T07:08:09.000Z", timeOf(Instant.parse("2024-03-05T07:08:09Z")));
    }

    @Test
    void timeKeepsMillisecondsAndMicroseconds() {
        assertEquals("2024-03-05T07:08:09.120Z", timeOf(Instant.parse("2024-03-05T07:08:09.12Z")));
        assertEquals("2024-03-05T07:08:09.123456Z", timeOf(Instant.parse("2024-03-05T07:08:09.123456Z")));
    }

    @Test
    void nanosecondTimeIsAtLeastMillisecondPreciseAndNeverRoundsUp() {
        String t = timeOf(Instant.parse("2024-12-31T23:59:59.999999999Z"));
        assertTrue(SERVER_TIME.matcher(t).matches(), t);
        assertTrue(t.startsWith("2024-12-31T23:59:59.999"), t);
        assertFalse(Instant.parse(t).isAfter(Instant.parse("2024-12-31T23:59:59.999999999Z")), t);
    }

    @Test
    void timeGivenInAnotherZoneIsSentInUtc() {
        Instant t = OffsetDateTime.parse("2024-01-01T10:00:00.5+05:30").toInstant();
        assertEquals("2024-01-01T04:30:00.500Z", timeOf(t));
    }

    @Test
    void timeBeforeTheEpoch() {
        assertEquals("1969-12-31T23:59:59.999Z", timeOf(Instant.parse("1969-12-31T23:59:59.999Z")));
        assertEquals("1969-12-31T23:59:59.999Z",
                encode(LogEntry.builder(LogLevel.INFO, "m").timeMillis(-1).build()).text("time"));
        assertEquals("1900-02-28T00:00:00.000Z", timeOf(Instant.parse("1900-02-28T00:00:00Z")));
    }

    @Test
    void timeFromSecondsAndOutOfRangeNanosIsNormalised() {
        LogEntry e = LogEntry.builder(LogLevel.INFO, "m").time(1_700_000_000L, 1_500_000_000).build();
        assertEquals("2023-11-14T22:13:21.500Z", encode(e).text("time"));
    }

    @Test
    void capturedTimeIsNowInServerFormat() {
        Instant before = Instant.now().minusMillis(1);
        String t = encode(LogEntry.builder(LogLevel.INFO, "m").build()).text("time");
        assertTrue(SERVER_TIME.matcher(t).matches(), t);
        assertFalse(Instant.parse(t).isBefore(before), t);
    }

    @Test
    void yearsFarAwayStillMatchTheServerFormat() {
        for (Instant t : Arrays.asList(Instant.parse("+10000-01-01T00:00:00Z"), Instant.MAX, Instant.MIN,
                Instant.parse("-0001-06-01T00:00:00Z"), Instant.parse("0000-01-01T00:00:00Z"))) {
            String s = timeOf(t);
            assertTrue(SERVER_TIME.matcher(s).matches(), t + " was sent as " + s);
        }
        assertEquals("9999-12-31T23:59:59.999Z", timeOf(Instant.parse("9999-12-31T23:59:59.999Z")));
        assertEquals("0001-01-01T00:00:00.000Z", timeOf(Instant.parse("0001-01-01T00:00:00Z")));
    }

    @Test
    void oneEncoderFormatsEntriesOfDifferentDaysInAnyOrder() {
        JsonBuffer buffer = new JsonBuffer();
        EntryEncoder encoder = new EntryEncoder(options(b -> { }), buffer);
        String[] times = {"2024-01-01T23:59:59.999Z", "2024-01-02T00:00:00.000Z", "2024-01-01T00:00:00.001Z",
                "2023-12-31T12:00:00.000Z"};
        for (String t : times) {
            int start = buffer.size();
            EntryEncoder.Result r = encoder.encode(at(Instant.parse(t)));
            assertEquals(t, Encoded.parse(r, buffer, start).text("time"));
        }
    }

    // ---- level ----

    @Test
    void levelsAreLowerCaseWireNames() {
        Set<String> seen = new HashSet<>();
        for (LogLevel level : LogLevel.values()) {
            seen.add(encode(LogEntry.builder(level, "m").build()).text("level"));
        }
        assertEquals(new HashSet<>(Arrays.asList("debug", "info", "warn", "error", "critical")), seen);
        assertEquals("info", encode(LogEntry.builder(null, "m").build()).text("level"));
    }

    // ---- service ----

    private static String serviceOf(ClientOptions options, String service) {
        return encode(options, LogEntry.builder(LogLevel.INFO, "m").service(service).build()).text("service");
    }

    @Test
    void serviceIsTrimmedTo100Characters() {
        String s101 = repeat('s', 101);
        assertEquals(repeat('s', 100), serviceOf(options(b -> { }), s101));
        assertEquals(repeat('s', 100), serviceOf(options(b -> { }), repeat('s', 100)));
        assertEquals("svc", serviceOf(options(b -> { }), "  svc \t"));
    }

    @Test
    void serviceTruncationNeverSplitsASurrogatePair() {
        String s = serviceOf(options(b -> { }), repeat('a', 99) + EMOJI + "tail");
        assertTrue(s.length() <= 100, s);
        Encoded.assertClean(s);
        assertTrue(s.startsWith(repeat('a', 99)));
    }

    @Test
    void blankServiceFallsBackToTheConfiguredDefaultThenUnknown() {
        ClientOptions withDefault = options(b -> b.service("checkout"));
        assertEquals("checkout", serviceOf(withDefault, null));
        assertEquals("checkout", serviceOf(withDefault, ""));
        assertEquals("checkout", serviceOf(withDefault, "   "));
        assertEquals("checkout", serviceOf(withDefault, "\u0000\uDC00"));
        assertEquals("api", serviceOf(withDefault, "api"));
        ClientOptions none = options(b -> { });
        assertEquals(EntryEncoder.UNKNOWN_SERVICE, serviceOf(none, null));
        assertEquals("unknown", serviceOf(none, " "));
        assertEquals("unknown", serviceOf(options(b -> b.service("  ")), null));
        assertEquals(repeat('d', 100), serviceOf(options(b -> b.service(repeat('d', 150))), null));
    }

    @Test
    void serviceLosesNulAndLoneSurrogatesButKeepsEmoji() {
        assertEquals("ab" + EMOJI, serviceOf(options(b -> { }), "a\u0000b\uD800" + EMOJI));
    }

    // ---- message ----

    private static String messageOf(LogEntry.Builder b) {
        return encode(b.build()).text("message");
    }

    @Test
    void emptyOrNullMessageBecomesAPlaceholder() {
        assertEquals(EntryEncoder.EMPTY_MESSAGE, messageOf(LogEntry.builder(LogLevel.INFO, null)));
        assertEquals(EntryEncoder.EMPTY_MESSAGE, messageOf(LogEntry.builder(LogLevel.INFO, "")));
        assertFalse(EntryEncoder.EMPTY_MESSAGE.isEmpty());
    }

    @Test
    void messageOfOnlyNulsOrLoneSurrogatesIsNeverSentEmpty() {
        for (String m : Arrays.asList("\u0000", "\u0000\u0000", "\uD800", "\uDC00\u0000")) {
            String sent = messageOf(LogEntry.builder(LogLevel.INFO, m));
            assertFalse(sent.isEmpty(), "message " + m.length() + " chars of junk was sent empty");
        }
    }

    @Test
    void emptyMessageWithAnExceptionBecomesItsTypeAndMessage() {
        assertEquals("java.lang.IllegalStateException: boom",
                messageOf(LogEntry.builder(LogLevel.ERROR, "").throwable(new IllegalStateException("boom"))));
        assertEquals("java.lang.IllegalStateException",
                messageOf(LogEntry.builder(LogLevel.ERROR, null).throwable(new IllegalStateException())));
        assertEquals("given", messageOf(LogEntry.builder(LogLevel.ERROR, "given").throwable(new RuntimeException("x"))));
    }

    @Test
    void messageKeepsEmojiAndLosesNulAndLoneSurrogates() {
        assertEquals("a b " + EMOJI + " c", messageOf(LogEntry.builder(LogLevel.INFO, "a\u0000 b \uDBFF" + EMOJI + " c\uDC00")));
    }

    // ---- cleaning everywhere ----

    @Test
    void nulAndLoneSurrogatesAreStrippedFromEveryString() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("in\u0000ner", "v\u0000\uD800al");
        nested.put("list", Arrays.asList("x\u0000", "\uDC00y", Collections.singletonMap("d\u0000eep", "z\uDBFF")));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("k\u0000ey", "va\u0000lue");
        metadata.put("nested", nested);
        metadata.put("array", new String[] {"a\u0000", "\uD800"});
        metadata.put("chars", new char[] {'\u0000', '\uD800', 'c'});
        metadata.put("emoji", "smile " + EMOJI);
        metadata.put("obj", new Object() {
            @Override
            public String toString() {
                return "to\u0000String\uDC00";
            }
        });
        Map<String, String> context = Collections.singletonMap("re\u0000quest", "id\u0000\uD800");
        ClientOptions options = options(b -> b.globalMetadata("gl\u0000obal", "g\u0000\uDFFF"));
        Exception error = new IllegalStateException("ex\u0000ception \uD800message");
        LogEntry entry = LogEntry.builder(LogLevel.ERROR, "m\u0000sg\uD800")
                .service("svc\u0000\uDC00")
                .logger("lo\u0000gger").thread("thr\u0000ead\uD800")
                .traceId("tr\u0000ace\uD800")
                .context(context).metadata(metadata).throwable(error).build();
        Encoded out = encode(options, entry);
        Encoded.assertCleanEverywhere(out.json);

        assertEquals("msg", out.text("message"));
        assertEquals("svc", out.text("service"));
        assertEquals("trace", out.text("trace_id"));
        JsonNode md = out.metadata();
        assertEquals("logger", md.get("logger").asText());
        assertEquals("thread", md.get("thread").asText());
        assertEquals("id", md.get("request").asText());
        assertEquals("value", md.get("key").asText());
        assertEquals("val", md.get("nested").get("inner").asText());
        assertEquals("x", md.get("nested").get("list").get(0).asText());
        assertEquals("y", md.get("nested").get("list").get(1).asText());
        assertEquals("z", md.get("nested").get("list").get(2).get("deep").asText());
        assertEquals("a", md.get("array").get(0).asText());
        assertEquals("", md.get("array").get(1).asText());
        assertEquals("c", md.get("chars").get(2).asText());
        assertEquals("smile " + EMOJI, md.get("emoji").asText());
        assertEquals("toString", md.get("obj").asText());
        assertEquals("g", md.get("global").asText());
        assertEquals("exception message", md.get("exception").get("message").asText());
        assertTrue(md.get("exception").get("raw").asText().startsWith(
                "java.lang.IllegalStateException: exception message\n"));
    }

    @Test
    void emojiSurviveEverywhere() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("key" + EMOJI, EMOJI);
        metadata.put("list", Collections.singletonList(EMOJI + EMOJI));
        Encoded out = encode(LogEntry.builder(LogLevel.INFO, EMOJI).service(EMOJI).metadata(metadata).build());
        assertEquals(EMOJI, out.text("message"));
        assertEquals(EMOJI, out.text("service"));
        assertEquals(EMOJI, out.metadata().get("key" + EMOJI).asText());
        assertEquals(EMOJI + EMOJI, out.metadata().get("list").get(0).asText());
    }

    // ---- span id ----

    private static boolean spanSent(String spanId) {
        return encode(LogEntry.builder(LogLevel.INFO, "m").spanId(spanId).build()).json.has("span_id");
    }

    @Test
    void spanIdIsSentOnlyWhenItIs16HexCharacters() {
        assertEquals("0123456789abcdef",
                encode(LogEntry.builder(LogLevel.INFO, "m").spanId("0123456789abcdef").build()).text("span_id"));
        assertTrue(spanSent("0123456789ABCDEF"));
        assertFalse(spanSent(null));
        assertFalse(spanSent(""));
        assertFalse(spanSent("0123456789abcde"));
        assertFalse(spanSent("0123456789abcdef0"));
        assertFalse(spanSent("0123456789abcdeg"));
        assertFalse(spanSent(" 123456789abcdef"));
        assertFalse(spanSent("0123456789abcde\u0000"));
    }

    @Test
    void nonAsciiDigitsAreNotHex() {
        // Character.digit accepts these; the server's /^[a-f0-9]{16}$/i does not.
        assertFalse(spanSent(repeat('\u0660', 16)), "Arabic-Indic digits");
        assertFalse(spanSent(repeat('\uFF10', 16)), "full-width digits");
        assertFalse(spanSent(repeat('\uFF41', 16)), "full-width letters");
    }

    // ---- trace id ----

    @Test
    void explicitTraceIdWinsOverTheTraceContext() {
        try (TraceContext.Scope ignored = TraceContext.withTraceId("from-context")) {
            assertEquals("explicit", encode(LogEntry.builder(LogLevel.INFO, "m").traceId("explicit").build())
                    .text("trace_id"));
            assertEquals("from-context", encode(LogEntry.builder(LogLevel.INFO, "m").build()).text("trace_id"));
        }
        assertFalse(encode(LogEntry.builder(LogLevel.INFO, "m").build()).json.has("trace_id"));
    }

    @Test
    void autoTraceIdGeneratesAFreshUuidOnlyWhenThereIsNone() {
        ClientOptions auto = options(b -> b.autoTraceId(true));
        String first = encode(auto, LogEntry.builder(LogLevel.INFO, "m").build()).text("trace_id");
        String second = encode(auto, LogEntry.builder(LogLevel.INFO, "m").build()).text("trace_id");
        UUID uuid = UUID.fromString(first);
        assertEquals(first, uuid.toString());
        assertEquals(4, uuid.version());
        assertEquals(2, uuid.variant());
        assertNotEquals(first, second);
        assertEquals("mine", encode(auto, LogEntry.builder(LogLevel.INFO, "m").traceId("mine").build()).text("trace_id"));
        UUID.fromString(encode(auto, LogEntry.builder(LogLevel.INFO, "m").traceId("  ").build()).text("trace_id"));
        try (TraceContext.Scope ignored = TraceContext.withTraceId("ctx")) {
            assertEquals("ctx", encode(auto, LogEntry.builder(LogLevel.INFO, "m").build()).text("trace_id"));
        }
        assertFalse(encode(options(b -> { }), LogEntry.builder(LogLevel.INFO, "m").traceId(" ").build())
                .json.has("trace_id"));
    }

    @Test
    void noUnknownTopLevelFields() {
        Encoded out = encode(options(b -> b.autoTraceId(true)), LogEntry.builder(LogLevel.INFO, "m")
                .spanId("0123456789abcdef").build());
        Set<String> fields = new HashSet<>();
        out.json.fieldNames().forEachRemaining(fields::add);
        assertEquals(new HashSet<>(Arrays.asList("time", "service", "level", "message", "trace_id", "span_id",
                "metadata")), fields);
        assertTrue(out.metadata().isObject());
    }

    static String repeat(char c, int n) {
        char[] chars = new char[n];
        Arrays.fill(chars, c);
        return new String(chars);
    }
}
