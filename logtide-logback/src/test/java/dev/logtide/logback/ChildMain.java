package dev.logtide.logback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in a child JVM (Logback configured by {@code -Dlogback.configurationFile}): logs and
 * returns without stopping Logback, as an application that simply ends does.
 */
public final class ChildMain {
    private ChildMain() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("child.Main");
        for (int i = 0; i < 3; i++) {
            log.info("from child " + i);
        }
    }
}
