package dev.logtide.log4j2;

import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Proves which Log4j2 release a Surefire execution really runs against (newest or oldest supported). */
class FrameworkVersionTest {
    @Test
    void runsAgainstTheExpectedLog4j2Release() throws IOException {
        String expected = System.getProperty("logtide.expected.log4j2.version");
        assumeTrue(expected != null, "run outside Maven");
        URL jar = LoggerContext.class.getProtectionDomain().getCodeSource().getLocation();
        URL pom = new URL("jar:" + jar + "!/META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties");
        Properties props = new Properties();
        try (InputStream in = pom.openStream()) {
            props.load(in);
        }
        assertNotNull(props.getProperty("version"));
        assertEquals(expected, props.getProperty("version"));
    }
}
