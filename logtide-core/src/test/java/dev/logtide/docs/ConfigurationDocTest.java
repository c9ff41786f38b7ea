package dev.logtide.docs;

import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
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
 * Keeps {@code docs/configuration.md} in step with the option table ({@link ClientOption#all()}):
 * every option has a row whose columns name it in the Java builder and each adapter, give its
 * environment variable and its default, and whose meaning starts with the option's description;
 * every public setter of {@link ClientOptions.Builder} is in the Java column.
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
    void everyOptionHasARowNamingItInTheBuilderAndEachAdapter() {
        for (ClientOption<?> option : ClientOption.all()) {
            String name = option.name();
            List<String> row = row(name)
                    .orElseGet(() -> fail("docs/configuration.md has no row for the option `" + name + "`"));
            assertTrue(cell(row, "Java builder").contains(name + "("), name + ": Java builder");
            assertTrue(cell(row, "Logback element").contains("<" + name + ">"), name + ": Logback element");
            assertTrue(cell(row, "Log4j2 attribute").contains(name), name + ": Log4j2 attribute");
            assertTrue(cell(row, "JUL property").contains(name), name + ": JUL property");
            String variable = option.environmentVariable();
            assertEquals(variable == null ? "" : "`" + variable + "`", cell(row, "Environment variable"),
                    name + ": environment variable");
            String meaning = cell(row, "Meaning").replace("`", "");
            assertTrue(meaning.startsWith(option.description()),
                    name + ": the meaning should start with the option's description\n  " + option.description()
                            + "\n  " + meaning);
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
    void documentedDefaultsAreTheTablesDefaults() {
        List<String> checked = new ArrayList<>();
        for (ClientOption<?> option : ClientOption.all()) {
            Object value = option.defaultValue();
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                String documented = cell(row(option.name()).orElseThrow(), "Default");
                assertTrue(documented.startsWith("`" + value + "`"),
                        option + ": the code's default is " + value + ", the doc says: " + documented);
                checked.add(option.name());
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
