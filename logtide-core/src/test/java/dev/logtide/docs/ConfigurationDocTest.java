package dev.logtide.docs;

import dev.logtide.testing.OptionDefaults;
import dev.logtide.ClientOptions;
import dev.logtide.config.ClientSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps {@code docs/configuration.md} in step with the code: every option the adapters accept
 * ({@link ClientSettings#OPTION_NAMES}) and every public setter of {@link ClientOptions.Builder}
 * has a row in its table, the adapters' columns name the option, and the documented defaults
 * are the ones the builder uses.
 */
class ConfigurationDocTest {
    /** Surefire runs in the module directory; the docs are beside the modules. */
    private static final Path DOC = Paths.get("..", "docs", "configuration.md");

    private static List<String> header;
    private static List<List<String>> rows;

    @BeforeAll
    static void readTable() throws IOException {
        List<List<String>> table = Files.readAllLines(DOC, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("|"))
                .map(ConfigurationDocTest::cells)
                .collect(Collectors.toList());
        assertTrue(table.size() > 2, "no table in " + DOC.toAbsolutePath());
        header = table.get(0);
        rows = table.subList(2, table.size()); // after the header and the |---| line
        for (List<String> row : rows) {
            assertEquals(header.size(), row.size(), "a row with the wrong number of cells: " + row);
        }
    }

    @Test
    void everyAdapterOptionHasARowNamingItInEachAdapter() {
        for (String option : ClientSettings.OPTION_NAMES) {
            List<String> row = row(option)
                    .orElseGet(() -> fail("docs/configuration.md has no row for the option `" + option + "`"));
            assertTrue(cell(row, "Logback element").contains("<" + option + ">"), option + ": Logback element");
            assertTrue(cell(row, "Log4j2 attribute").contains(option), option + ": Log4j2 attribute");
            assertTrue(cell(row, "JUL property").contains(option), option + ": JUL property");
        }
    }

    @Test
    void everyPublicSetterOfTheBuilderIsInTheJavaColumn() {
        String javaColumn = rows.stream().map(r -> cell(r, "Java builder")).collect(Collectors.joining(" "));
        List<String> setters = Arrays.stream(ClientOptions.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getReturnType() == ClientOptions.Builder.class && m.getParameterCount() > 0)
                .map(Method::getName)
                .distinct()
                .collect(Collectors.toList());
        assertFalse(setters.isEmpty());
        for (String setter : setters) {
            assertTrue(Pattern.compile("(^|[^A-Za-z0-9_])" + setter + "\\(").matcher(javaColumn).find(),
                    "docs/configuration.md does not mention ClientOptions.Builder." + setter + "(...)");
        }
    }

    @Test
    void documentedDefaultsAreTheBuildersDefaults() throws Exception {
        // apiUrl and apiKey are required, so they have no default; the test has to set them.
        ClientOptions defaults = ClientOptions.builder().apiUrl("http://localhost").apiKey("lp_doc").build();
        List<String> checked = new ArrayList<>();
        for (String option : ClientSettings.OPTION_NAMES) {
            if (option.equals("apiUrl") || option.equals("apiKey")) {
                continue;
            }
            Object value = OptionDefaults.of(defaults, option);
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                String documented = cell(row(option).orElseThrow(), "Default");
                assertTrue(documented.contains("`" + value + "`"),
                        option + ": the code's default is " + value + ", the doc says: " + documented);
                checked.add(option);
            }
        }
        assertTrue(checked.contains("batchSize") && checked.contains("truncationMarker"), "checked: " + checked);
    }


    private static Optional<List<String>> row(String option) {
        return rows.stream().filter(r -> cell(r, "Option").equals("`" + option + "`")).findFirst();
    }

    private static String cell(List<String> row, String column) {
        int i = header.indexOf(column);
        assertTrue(i >= 0, "docs/configuration.md has no column '" + column + "': " + header);
        return row.get(i);
    }

    private static List<String> cells(String line) {
        String inner = line.trim();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::trim).collect(Collectors.toList());
    }
}
