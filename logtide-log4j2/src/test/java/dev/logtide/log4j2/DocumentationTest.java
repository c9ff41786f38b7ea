package dev.logtide.log4j2;

import dev.logtide.ClientOption;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/log4j2.md documents every attribute the plugin accepts, with the defaults the code uses. */
class DocumentationTest {
    private static String docs() throws IOException {
        return new String(Files.readAllBytes(Paths.get("..", "docs", "log4j2.md")), StandardCharsets.UTF_8);
    }

    @Test
    void everyAttributeHasARow() throws IOException {
        String docs = docs();
        List<String> missing = new ArrayList<>();
        for (Class<?> c = LogTideAppender.Builder.class; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(PluginBuilderAttribute.class) && !docs.contains("| `" + f.getName() + "` |")) {
                    missing.add(f.getName());
                }
            }
        }
        assertEquals(List.of(), missing, "attributes without a row in docs/log4j2.md");
    }

    /** The Default cell names the table's default (registerShutdownHook's also says when Log4j2 turns it off). */
    @Test
    void documentedDefaultsOfClientOptionsAreTheTables() throws IOException {
        String docs = docs();
        int checked = 0;
        for (ClientOption<?> option : ClientOption.all()) {
            Object value = option.defaultValue();
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                String row = docs.lines().filter(l -> l.startsWith("| `" + option.name() + "` |")).findFirst()
                        .orElseThrow(() -> new AssertionError("no row for " + option));
                String defaultCell = row.split("\\|")[2];
                assertTrue(defaultCell.contains("`" + value + "`"), option + ": " + defaultCell);
                checked++;
            }
        }
        assertTrue(checked >= 20, "checked " + checked);
    }

    @Test
    void adapterDefaultsMatchTheCode() throws IOException {
        String docs = docs();
        assertTrue(docs.contains("| `traceIdKey` | `" + LogTideAppender.DEFAULT_TRACE_ID_KEYS + "` |"));
        assertTrue(docs.contains("| `spanIdKey` | `" + LogTideAppender.DEFAULT_SPAN_ID_KEYS + "` |"));
    }
}
