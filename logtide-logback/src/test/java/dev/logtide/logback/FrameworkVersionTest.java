package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The build runs this module's tests twice, against the newest and the oldest supported Logback
 * (see the logback-oldest execution in the pom): this proves each run really has the version it
 * claims on its classpath.
 */
class FrameworkVersionTest {
    @Test
    void runsAgainstTheLogbackVersionTheBuildAskedFor() {
        String expected = System.getProperty("logtide.test.expectedLogbackVersion");
        assertNotNull(expected, "run through Maven: the pom sets logtide.test.expectedLogbackVersion");
        assertEquals(expected, LoggerContext.class.getPackage().getImplementationVersion());
    }
}
