package dev.logtide.logback;

import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/logback.md documents every element of the appender, with the defaults the code uses. */
class DocumentationTest {
    private static final Pattern ROW = Pattern.compile("^\\| `<(\\w+)>` \\| `([^`]*)`", Pattern.MULTILINE);

    private static String doc() throws Exception {
        Path doc = Paths.get(System.getProperty("basedir", "."), "..", "docs", "logback.md");
        return new String(Files.readAllBytes(doc), StandardCharsets.UTF_8);
    }

    /**
     * The appender's public one-argument setters that logback.xml can use: all but
     * {@code setOptions}, whose {@code ClientOptions} is built in code.
     */
    private static List<Method> elementSetters() {
        List<Method> setters = new ArrayList<>();
        for (Method m : LogTideAppender.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("set") && m.getParameterCount() == 1
                    && m.getParameterTypes()[0] != ClientOptions.class) {
                setters.add(m);
            }
        }
        return setters;
    }

    private static String element(Method setter) {
        return Character.toLowerCase(setter.getName().charAt(3)) + setter.getName().substring(4);
    }

    /** Deprecated elements have a row that says so, and are left out of the example. */
    @Test
    void everyElementHasARowAndAppearsInTheSpringExample() throws Exception {
        String doc = doc();
        String spring = doc.substring(doc.indexOf("## Spring Boot"), doc.indexOf("## Programmatic setup"));
        List<String> missing = new ArrayList<>();
        for (Method setter : elementSetters()) {
            String element = element(setter);
            boolean deprecated = setter.isAnnotationPresent(Deprecated.class);
            String row = doc.lines().filter(line -> line.startsWith("| `<" + element + ">` |")).findFirst().orElse(null);
            if (row == null) {
                missing.add("table row for <" + element + ">");
            } else if (deprecated && !row.contains("Deprecated")) {
                missing.add("'Deprecated' in the row of <" + element + ">");
            }
            if (!deprecated && !spring.contains("<" + element + ">")) {
                missing.add("<" + element + "> in the logback-spring.xml example");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void documentedDefaultsOfClientOptionsAreTheTables() throws Exception {
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(doc());
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        int checked = 0;
        for (ClientOption<?> option : ClientOption.all()) {
            Object value = option.defaultValue();
            if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                assertEquals(String.valueOf(value), documented.get(option.name()), "default of <" + option + ">");
                checked++;
            }
        }
        assertTrue(checked >= 20, "only " + checked + " defaults compared: " + documented);
    }
}
