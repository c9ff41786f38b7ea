package dev.logtide.internal.entry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs entries through the real {@link EntryEncoder} and parses what it wrote. The parser rejects
 * duplicate keys, so an encoder that writes a key twice (the server would keep only one) fails.
 */
final class Encoded {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    final EntryEncoder.Result result;
    final JsonNode json;
    final int size;

    private Encoded(EntryEncoder.Result result, JsonNode json, int size) {
        this.result = result;
        this.json = json;
        this.size = size;
    }

    /** @return options that only fill the required settings, tuned by {@code tune} */
    static ClientOptions options(Consumer<ClientOptions.Builder> tune) {
        ClientOptions.Builder b = ClientOptions.builder().apiUrl("http://127.0.0.1:1").apiKey("lp_test")
                .registerShutdownHook(false);
        tune.accept(b);
        return b.build();
    }

    static Encoded encode(LogEntry entry) {
        return encode(options(b -> { }), entry);
    }

    static Encoded encode(ClientOptions options, LogEntry entry) {
        JsonBuffer buffer = new JsonBuffer();
        EntryEncoder encoder = new EntryEncoder(options, buffer);
        EntryEncoder.Result result = encoder.encode(entry);
        return parse(result, buffer, 0);
    }

    /** Parses the bytes the encoder appended after {@code start}. */
    static Encoded parse(EntryEncoder.Result result, JsonBuffer buffer, int start) {
        try {
            JsonNode node = JSON.readTree(buffer.array(), start, buffer.size() - start);
            return new Encoded(result, node, buffer.size() - start);
        } catch (IOException e) {
            throw new UncheckedIOException("encoder wrote invalid JSON", e);
        }
    }

    JsonNode metadata() {
        return json.get("metadata");
    }

    String text(String field) {
        JsonNode n = json.get(field);
        return n == null ? null : n.asText();
    }

    /** Fails when any string or key anywhere in the tree holds a NUL or an unpaired surrogate. */
    static void assertCleanEverywhere(JsonNode node) {
        if (node.isTextual()) {
            assertClean(node.asText());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> kv = it.next();
                assertClean(kv.getKey());
                assertCleanEverywhere(kv.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                assertCleanEverywhere(child);
            }
        }
    }

    static void assertClean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                fail("NUL character in " + visible(s));
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                fail("lone surrogate at " + i + " in " + visible(s));
            }
        }
    }

    private static String visible(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
