package dev.logtide.internal.entry;

import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.PayloadLimits;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An encoder remembers the keys and short strings it wrote (ValueWriter's caches): an entry
 * encoded after many others must come out byte for byte as from a fresh encoder, whatever its
 * keys and values are.
 */
class RepeatedKeysTest {
    private static final String[] KEYS = {
        "request_id", "tenant", "Password", "password", "PASSWORD", "token", "Aa", "BB", // "Aa" and "BB" share a hash code
        "env\u0000", "env", "quo\"te", "back\\slash", "tab\tkey", "caf\u00e9", "\u4e2d", "emoji\uD83D\uDE00",
        "lone\uD83D", "del\u007f", "sp ace", " padded ", "", "logger", "thread", "exception", "_more", "_truncated", "sdk",
        repeat('k', 64), repeat('k', 65), repeat('k', 300), "data:,inline", "a long value that a small maxFieldSize cuts",
    };

    @Test
    void anEntryEncodedAfterOthersIsWrittenAsByAFreshEncoder() throws IOException {
        encodeAfterOthers(PayloadLimits.builder().excludeFields("password", "token").build(), true);
    }

    @Test
    void repeatedValuesLongerThanMaxFieldSizeAreStillCut() throws IOException {
        encodeAfterOthers(PayloadLimits.builder().maxFieldSize(16).build(), false);
    }

    private static void encodeAfterOthers(PayloadLimits limits, boolean checkInner) throws IOException {
        ClientOptions options = Encoded.options(b -> b.service("svc").payloadLimits(limits));
        JsonBuffer shared = new JsonBuffer();
        EntryEncoder encoder = new EntryEncoder(options, shared);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < KEYS.length; i++) {
                LogEntry entry = entry(i, round);
                int start = shared.size();
                encoder.encode(entry);
                String actual = new String(shared.array(), start, shared.size() - start, StandardCharsets.UTF_8);
                JsonBuffer fresh = new JsonBuffer();
                new EntryEncoder(options, fresh).encode(entry);
                assertEquals(new String(fresh.array(), 0, fresh.size(), StandardCharsets.UTF_8), actual,
                        "entry " + i + " in round " + round);
                if (checkInner) {
                    assertEquals(expectedInner(i), inner(actual), "nested keys of entry " + i + " in round " + round);
                } else {
                    assertFalse(actual.contains(",\"a long value that a small maxFieldSize cuts\"]"),
                            "the value (not the key) cut by maxFieldSize: " + actual);
                }
            }
        }
    }

    /** The nested map as written: each key cleaned, the excluded ones masked, in order. */
    private static List<String> expectedInner(int i) {
        List<String> expected = new ArrayList<>();
        for (int j = 0; j < KEYS.length; j++) {
            String raw = KEYS[(i + j) % KEYS.length];
            String key = Text.clean(raw, 256, "");
            boolean excluded = key.equalsIgnoreCase("password") || key.equalsIgnoreCase("token");
            String value = Text.looksLikeBase64(raw) ? ValueWriter.BASE64_REMOVED : Text.clean(raw, Integer.MAX_VALUE, "");
            expected.add(key + "=" + (excluded ? ValueWriter.EXCLUDED : "[" + j + "," + value + "]"));
        }
        return expected;
    }

    /** The fields of metadata.nested.inner, read with a streaming parser: order and repeated names kept. */
    private static List<String> inner(String json) throws IOException {
        List<String> fields = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("inner")) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        if (p.nextToken() == JsonToken.VALUE_STRING) {
                            fields.add(name + "=" + p.getText());
                        } else {
                            p.nextToken();
                            int n = p.getIntValue();
                            p.nextToken();
                            fields.add(name + "=[" + n + "," + p.getText() + "]");
                            p.nextToken();
                        }
                    }
                }
            }
        }
        return fields;
    }

    /** Keys as context, metadata and nested map keys, from equal strings that are new instances in each round. */
    private static LogEntry entry(int i, int round) {
        Map<String, Object> context = new LinkedHashMap<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, Object> nested = new LinkedHashMap<>();
        for (int j = 0; j < KEYS.length; j++) {
            String key = round == 0 ? KEYS[(i + j) % KEYS.length] : new String(KEYS[(i + j) % KEYS.length]);
            (j % 2 == 0 ? context : metadata).put(key, "v" + j);
            nested.put(key, Arrays.asList(j, key));
        }
        metadata.put("nested", Collections.singletonMap("inner", nested));
        LogEntry.Builder b = LogEntry.builder(LogLevel.INFO, "message " + i).time(1_760_000_000L, 0)
                .logger("com.example.Checkout").thread("main").context(Collections.unmodifiableMap(context));
        metadata.forEach(b::put);
        return b.build();
    }

    private static String repeat(char c, int n) {
        char[] chars = new char[n];
        Arrays.fill(chars, c);
        return new String(chars);
    }
}
