package dev.logtide.jul;

import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.internal.config.ClientSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/jul.md lists every property the handler reads, with the defaults the code uses. */
class DocumentationTest {
    /** A table row: | `name` | `default` ... */
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\| `?([^`|]*)`?", Pattern.MULTILINE);

    private static Map<String, String> documentedDefaults() throws Exception {
        String doc = new String(Files.readAllBytes(Paths.get(System.getProperty("basedir", "."), "..", "docs", "jul.md")),
                StandardCharsets.UTF_8);
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim());
        }
        return rows;
    }

    @Test
    void everyPropertyHasARowWithTheCodesDefault() throws Exception {
        Map<String, String> documented = documentedDefaults();
        List<String> missing = new ArrayList<>();
        for (String property : List.of("level", "filter", "formatter", "encoding", "includeSource", "traceIdKey",
                "spanIdKey")) {
            if (!documented.containsKey(property)) {
                missing.add(property);
            }
        }
        for (ClientOption<?> option : ClientOption.all()) {
            if (!documented.containsKey(option.name())) {
                missing.add(option.name());
            }
        }
        assertEquals(List.of(), missing, "properties without a row in docs/jul.md");

        int checked = 0;
        for (ClientOption<?> option : ClientOption.all()) {
            Object value = option.defaultValue();
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                assertEquals(String.valueOf(value), documented.get(option.name()), "default of " + option);
                checked++;
            }
        }
        assertTrue(checked > 20, "checked " + checked);

        try (LogTideClient client = new LogTideClient(ClientOptions.builder().apiUrl("http://localhost:1")
                .apiKey("lp_doc").registerShutdownHook(false).build())) {
            LogTideHandler handler = new LogTideHandler(client, null);
            assertEquals(handler.getLevel().getName(), documented.get("level"));
            assertEquals("none", documented.get("formatter"));
            assertEquals("none", documented.get("filter"));
            assertEquals("true", documented.get("includeSource"));
            assertEquals(ClientSettings.DEFAULT_TRACE_ID_KEYS, documented.get("traceIdKey"));
            assertEquals(ClientSettings.DEFAULT_SPAN_ID_KEYS, documented.get("spanIdKey"));
            handler.close();
        }
    }
}
