package dev.logtide.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ant-style path patterns, as Spring's {@code AntPathMatcher} reads them: {@code ?} matches one
 * character, {@code *} any characters within a path segment, {@code **} any number of whole
 * segments ({@code /static/**} matches {@code /static} and everything below it). Anything else
 * matches itself.
 */
final class PathPatterns {
    /** Patterns without wildcards (the health checks), answered without a regex on every request. */
    private final Set<String> literals = new HashSet<>();
    private final List<Pattern> patterns;

    PathPatterns(List<String> antPatterns) {
        List<Pattern> out = new ArrayList<>();
        for (String p : antPatterns) {
            if (p.indexOf('*') < 0 && p.indexOf('?') < 0) {
                literals.add(p);
            } else {
                out.add(Pattern.compile(toRegex(p)));
            }
        }
        this.patterns = Collections.unmodifiableList(out);
    }

    /** @return whether any pattern matches the whole path */
    boolean matches(String path) {
        if (literals.contains(path)) {
            return true;
        }
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    static String toRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        int n = pattern.length();
        int i = 0;
        while (i < n) {
            char c = pattern.charAt(i);
            if (pattern.startsWith("/**", i) && (i + 3 == n || pattern.charAt(i + 3) == '/')) {
                re.append("(/.*)?"); // the segments, if any, below this point
                i += 3;
            } else if (pattern.startsWith("**", i)) {
                re.append(".*");
                i += 2;
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return re.toString();
    }
}
