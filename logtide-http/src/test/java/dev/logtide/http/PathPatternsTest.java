package dev.logtide.http;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** skipPaths' Ant-style patterns, read as Spring's AntPathMatcher reads them. */
class PathPatternsTest {
    private static boolean matches(String pattern, String path) {
        return new PathPatterns(Arrays.asList(pattern)).matches(path);
    }

    @Test
    void plainPathsMatchThemselvesOnly() {
        assertTrue(matches("/health", "/health"));
        assertFalse(matches("/health", "/health/db"));
        assertFalse(matches("/health", "/healthz"));
        assertTrue(matches("/a.b+c(d)", "/a.b+c(d)"), "regex characters are literal");
        assertFalse(matches("/a.b", "/axb"));
    }

    @Test
    void starAndQuestionMarkStayWithinOneSegment() {
        assertTrue(matches("/static/*.css", "/static/site.css"));
        assertFalse(matches("/static/*.css", "/static/css/site.css"));
        assertTrue(matches("/v?/ping", "/v1/ping"));
        assertFalse(matches("/v?/ping", "/v10/ping"));
    }

    @Test
    void doubleStarSpansAnyNumberOfSegments() {
        assertTrue(matches("/static/**", "/static"));
        assertTrue(matches("/static/**", "/static/css/site.css"));
        assertFalse(matches("/static/**", "/staticfiles"));
        assertTrue(matches("/api/**/health", "/api/health"));
        assertTrue(matches("/api/**/health", "/api/v1/orders/health"));
        assertTrue(matches("/**/*.png", "/img/a/b.png"));
    }
}
