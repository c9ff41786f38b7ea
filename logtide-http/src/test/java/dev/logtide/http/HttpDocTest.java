package dev.logtide.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/http.md has a row for every option, with the default the code uses. */
class HttpDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)`(?: \\(code only\\))? \\| `([^`]*)` \\|", Pattern.MULTILINE);

    @Test
    void everyOptionHasARowWithTheCodesDefault() throws Exception {
        String doc = new String(Files.readAllBytes(Paths.get(System.getProperty("basedir", "."), "..", "docs", "http.md")),
                StandardCharsets.UTF_8);
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        HttpLogOptions defaults = HttpLogOptions.builder().build();
        List<String> wrong = new ArrayList<>();
        List<String> options = new ArrayList<>(HttpLogOptions.OPTION_NAMES);
        options.add("client");
        for (String option : options) {
            Object value = HttpLogOptions.class.getMethod(option).invoke(defaults);
            String expected = value == null || (value instanceof Collection && ((Collection<?>) value).isEmpty())
                    ? "none" : String.valueOf(value);
            if (!expected.equals(documented.get(option))) {
                wrong.add(option + ": documented " + documented.get(option) + ", code " + expected);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(options.size(), documented.size(), "rows for options that do not exist: " + documented.keySet());
    }
}
