package dev.logtide.log4j2;

import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22 row 10: with {@code status="debug"} Log4j2 prints plugin attributes; the ones that can
 * hold credentials (a key, a DSN, a URL typed with {@code user:pass@}) are marked sensitive, so it
 * prints them masked.
 */
class SensitiveAttributesTest {
    @Test
    void attributesThatCanHoldCredentialsAreSensitive() throws NoSuchFieldException {
        for (String name : new String[] {"apiKey", "dsn", "apiUrl"}) {
            PluginBuilderAttribute a = LogTideAppender.Builder.class.getDeclaredField(name)
                    .getAnnotation(PluginBuilderAttribute.class);
            assertTrue(a != null && a.sensitive(), name + " must be sensitive");
        }
    }
}
