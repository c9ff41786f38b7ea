package dev.logtide.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logtide.ClientOption;
import dev.logtide.http.HttpLogOptions;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration metadata the jar ships (the file the build wrote, read from the class path as
 * an IDE reads it) names every row of the option table with its description and default, and
 * docs/spring-boot.md's property table says the same.
 */
class ConfigurationMetadataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TRACING = List.of(LogTideProperties.TRACING_ENABLED, LogTideProperties.TRACING_SAMPLE_RATE,
            LogTideProperties.TRACING_ENVIRONMENT, LogTideProperties.TRACING_RELEASE);

    @Test
    void everyClientOptionIsAPropertyWithItsDescriptionTypeAndDefault() throws Exception {
        Map<String, JsonNode> properties = shippedProperties();
        for (ClientOption<?> option : ClientOption.all()) {
            String name = LogTideProperties.propertyName(option);
            JsonNode p = properties.get(name);
            assertNotNull(p, name + " missing from spring-configuration-metadata.json");
            assertTrue(p.path("description").asText().startsWith(option.description()), name + ": " + p);
            assertEquals(ConfigurationMetadataWriter.typeName(option.kind()), p.path("type").asText(), name);
            Object value = option.defaultValue();
            if (value == null || value instanceof Collection || value instanceof Map) {
                assertTrue(p.path("defaultValue").isMissingNode(), name + " has no default: " + p);
            } else {
                assertEquals(String.valueOf(value), p.path("defaultValue").asText(), name);
            }
        }
        assertEquals("true", properties.get("logtide.enabled").path("defaultValue").asText());
        for (String http : HttpLogOptions.OPTION_NAMES) {
            assertNotNull(properties.get(LogTideProperties.httpPropertyName(http)), http);
        }
        for (String tracing : TRACING) {
            assertTrue(properties.containsKey(tracing) && !properties.get(tracing).path("description").asText().isBlank(), tracing);
        }
        assertEquals("true", properties.get(LogTideProperties.TRACING_ENABLED).path("defaultValue").asText());
        assertEquals(1.0, properties.get(LogTideProperties.TRACING_SAMPLE_RATE).path("defaultValue").asDouble());
        assertEquals(ClientOption.all().size() + HttpLogOptions.OPTION_NAMES.size() + 2 + TRACING.size(), properties.size(),
                "no property without an option behind it: " + properties.keySet());
    }

    @Test
    void propertyNamesAreTheOptionNamesInKebabCase() {
        assertEquals("logtide.api-url", LogTideProperties.propertyName(ClientOption.API_URL));
        assertEquals("logtide.circuit-breaker-reset-ms", LogTideProperties.propertyName(ClientOption.CIRCUIT_BREAKER_RESET_MS));
        assertEquals("logtide.http.skip-paths", LogTideProperties.httpPropertyName("skipPaths"));
    }

    /** docs/spring-boot.md's Properties section: a row per property, `name` | default | description, the table's values. */
    @Test
    void theDocsTableListsEveryPropertyWithTheTableDefaultAndDescription() throws Exception {
        String whole = Files.readString(Path.of("..", "docs", "spring-boot.md"), StandardCharsets.UTF_8);
        // The property tables; the meter table further down also starts its rows with `logtide.
        String doc = whole.substring(whole.indexOf("## Properties"), whole.indexOf("## Logback or Log4j2"));
        Map<String, String[]> rows = new HashMap<>();
        for (String line : doc.split("\n")) {
            if (line.startsWith("| `logtide.")) {
                String[] cells = line.split("\\|");
                rows.put(cells[1].trim().replace("`", ""), new String[]{cells[2].trim(), cells[3].trim()});
            }
        }
        List<String> wrong = new ArrayList<>();
        for (ClientOption<?> option : ClientOption.all()) {
            String name = LogTideProperties.propertyName(option);
            String[] row = rows.remove(name);
            Object value = option.defaultValue();
            String expectedDefault = value == null || value instanceof Collection || value instanceof Map ? "" : "`" + value + "`";
            if (row == null) {
                wrong.add(name + ": no row");
            } else if (!row[0].equals(expectedDefault) && !(expectedDefault.isEmpty() && !row[0].startsWith("`"))) {
                wrong.add(name + ": default " + row[0] + ", table says " + expectedDefault);
            } else if (!row[1].startsWith(option.description())) {
                wrong.add(name + ": description does not start with \"" + option.description() + "\"");
            }
        }
        for (String tracing : TRACING) {
            if (rows.remove(tracing) == null) {
                wrong.add(tracing + ": no row");
            }
        }
        rows.keySet().removeIf(name -> name.equals(LogTideProperties.ENABLED) || name.startsWith(LogTideProperties.HTTP_PREFIX));
        assertEquals(List.of(), wrong);
        assertEquals(Map.of().keySet(), rows.keySet(), "rows without an option");
    }

    private static Map<String, JsonNode> shippedProperties() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (InputStream in = LogTideProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertNotNull(in, "META-INF/spring-configuration-metadata.json is not in the jar's classes");
            for (JsonNode p : JSON.readTree(in).path("properties")) {
                byName.put(p.path("name").asText(), p);
            }
        }
        return byName;
    }
}
