package dev.logtide.contract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps CONFORMANCE.md honest: every scenario ID once, in order (C19 absent, as in every official
 * SDK); every test it names exists in a module's {@code src/test/java}; a ✅ row names at least
 * one test named after its scenario and none of them is {@code @Disabled}; and every test named
 * after a scenario ({@code cNN...}) is listed in that scenario's row.
 */
class ConformanceTableTest {
    private static final List<String> STATUSES = Arrays.asList("✅", "partial", "TODO", "n/a");
    /** {@code Class#method}, the class simple or fully qualified. */
    private static final Pattern REFERENCE = Pattern.compile("`([A-Za-z_][\\w.]*)#(\\w+)`");
    private static final Pattern SCENARIO_METHOD = Pattern.compile("\\bvoid\\s+(c\\d{2}[A-Za-z_]\\w*)\\s*\\(");
    private static final Pattern TEST_ANNOTATION = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory)\\b");

    private static Path root;
    private static List<Row> rows;
    /** Test sources by class simple name. */
    private static Map<String, List<Path>> sources;

    private static final class Row {
        final String id;
        final String status;
        final String tests;
        final String notes;

        Row(String id, String status, String tests, String notes) {
            this.id = id;
            this.status = status;
            this.tests = tests;
            this.notes = notes;
        }
    }

    @BeforeAll
    static void read() throws IOException {
        // Surefire runs in the module's directory; the table lives at the repository root.
        root = Paths.get("").toAbsolutePath().getParent();
        Path table = root.resolve("CONFORMANCE.md");
        assertTrue(Files.isRegularFile(table), "no " + table);
        rows = new ArrayList<>();
        for (String line : Files.readAllLines(table, StandardCharsets.UTF_8)) {
            if (!line.startsWith("| C")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|", -1);
            assertEquals(5, cells.length, "a row needs ID | Scenario | Status | Test reference | Notes: " + line);
            rows.add(new Row(cells[0].trim(), cells[2].trim(), cells[3].trim(), cells[4].trim()));
        }
        try (Stream<Path> files = Files.walk(root)) {
            sources = files
                    .filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> isTestSource(root.relativize(p)))
                    .collect(Collectors.groupingBy(p -> p.getFileName().toString().replace(".java", "")));
        }
    }

    /** Under some module's {@code src/test/java}, outside build output. */
    private static boolean isTestSource(Path relative) {
        String path = relative.toString().replace('\\', '/');
        return path.contains("src/test/java/") && !path.contains("/target/") && !path.startsWith(".");
    }

    @Test
    void everyScenarioIdOnceInOrderWithoutC19() {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 28; i++) {
            if (i != 19) {
                expected.add(String.format(Locale.ROOT, "C%02d", i));
            }
        }
        assertEquals(expected, rows.stream().map(r -> r.id).collect(Collectors.toList()));
    }

    @Test
    void everyStatusIsOneOfTheFour() {
        for (Row r : rows) {
            assertTrue(STATUSES.contains(r.status), r.id + ": status '" + r.status + "' is not one of " + STATUSES);
        }
    }

    @Test
    void everyReferencedTestExists() {
        for (Row r : rows) {
            for (String[] ref : references(r.tests + " " + r.notes)) {
                method(r.id, ref[0], ref[1]); // fails when missing
            }
        }
    }

    @Test
    void theTestColumnHoldsOnlyTestsNamedAfterTheirScenario() {
        for (Row r : rows) {
            String rest = REFERENCE.matcher(r.tests).replaceAll("").replaceAll("[,\\s—]", "");
            assertTrue(rest.isEmpty(), r.id + ": the test column holds more than test references: " + r.tests);
            String prefix = r.id.toLowerCase(Locale.ROOT);
            for (String[] ref : references(r.tests)) {
                assertTrue(ref[1].startsWith(prefix), r.id + ": " + ref[0] + "#" + ref[1] + " is not named after " + r.id);
            }
        }
    }

    @Test
    void aCoveredScenarioHasAnEnabledTest() {
        for (Row r : rows) {
            if (!r.status.equals("✅")) {
                continue;
            }
            List<String[]> refs = references(r.tests);
            assertTrue(!refs.isEmpty(), r.id + " is ✅ without a test");
            for (String[] ref : refs) {
                Method m = method(r.id, ref[0], ref[1]);
                assertTrue(!m.disabled, r.id + " is ✅ but " + ref[0] + "#" + ref[1] + " is @Disabled");
            }
        }
    }

    @Test
    void everyTestNamedAfterAScenarioIsInItsRow() throws IOException {
        Map<String, Set<String>> listed = new HashMap<>();
        for (Row r : rows) {
            for (String[] ref : references(r.tests)) {
                listed.computeIfAbsent(r.id, k -> new LinkedHashSet<>()).add(method(r.id, ref[0], ref[1]).where);
            }
        }
        Map<String, List<String>> missing = new TreeMap<>();
        for (Map.Entry<String, List<Path>> e : sources.entrySet()) {
            for (Path file : e.getValue()) {
                Matcher m = SCENARIO_METHOD.matcher(read(file));
                while (m.find()) {
                    String id = "C" + m.group(1).substring(1, 3);
                    String test = root.relativize(file) + "#" + m.group(1);
                    if (!listed.getOrDefault(id, Set.of()).contains(test)) {
                        missing.computeIfAbsent(id, k -> new ArrayList<>()).add(test);
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), "tests named after a scenario but missing from its row: " + missing);
    }

    private static List<String[]> references(String text) {
        List<String[]> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    private static String simpleName(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    private static final class Method {
        /** The source file relative to the repository root, {@code #} and the method name. */
        final String where;
        final boolean disabled;

        Method(String where, boolean disabled) {
            this.where = where;
            this.disabled = disabled;
        }
    }

    /** Finds a test method in the repository's test sources; fails when there is none. */
    private static Method method(String id, String cls, String name) {
        String simple = simpleName(cls);
        List<Path> candidates = sources.getOrDefault(simple, List.of());
        if (cls.contains(".")) {
            String suffix = cls.replace('.', '/') + ".java";
            candidates = candidates.stream().filter(p -> p.toString().replace('\\', '/').endsWith(suffix))
                    .collect(Collectors.toList());
        }
        assertEquals(1, candidates.size(), id + ": " + cls + " names " + candidates.size()
                + " test classes " + candidates + " (qualify it with its package when ambiguous)");
        String source = read(candidates.get(0));
        Matcher m = Pattern.compile("\\bvoid\\s+" + Pattern.quote(name) + "\\s*\\(").matcher(source);
        assertTrue(m.find(), id + ": no method " + name + " in " + root.relativize(candidates.get(0)));
        String annotations = annotationsBefore(source, m.start());
        assertTrue(TEST_ANNOTATION.matcher(annotations).find(), id + ": " + cls + "#" + name + " is not a test");
        boolean classDisabled = Pattern.compile("@Disabled\\b[^;{]*\\bclass\\s+" + Pattern.quote(simple) + "\\b")
                .matcher(source).find();
        return new Method(root.relativize(candidates.get(0)) + "#" + name, classDisabled || annotations.contains("@Disabled"));
    }

    /**
     * The lines above a declaration up to the end of the previous member: a line ending in
     * {@code ;}, {@code {} or {@code }} that is not itself an annotation.
     */
    private static String annotationsBefore(String source, int declaration) {
        String[] lines = source.substring(0, declaration).split("\n", -1);
        StringBuilder block = new StringBuilder(lines[lines.length - 1]);
        for (int i = lines.length - 2; i >= 0; i--) {
            String line = lines[i].trim();
            if (!line.startsWith("@") && (line.endsWith(";") || line.endsWith("{") || line.endsWith("}"))) {
                break;
            }
            block.insert(0, line + "\n");
        }
        return block.toString();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
