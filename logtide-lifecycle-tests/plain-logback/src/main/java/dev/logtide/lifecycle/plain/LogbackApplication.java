package dev.logtide.lifecycle.plain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A plain application logging through SLF4J and Logback, configured by its logback.xml alone. */
public final class LogbackApplication {
    private LogbackApplication() {
    }

    /** @param args none */
    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger(LogbackApplication.class);
        log.info("application ran");
    }
}
