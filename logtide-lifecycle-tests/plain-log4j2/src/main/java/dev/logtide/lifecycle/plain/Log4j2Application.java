package dev.logtide.lifecycle.plain;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** A plain application logging through Log4j2, configured by its log4j2.xml alone. */
public final class Log4j2Application {
    private Log4j2Application() {
    }

    /** @param args none */
    public static void main(String[] args) {
        Logger log = LogManager.getLogger(Log4j2Application.class);
        log.info("application ran");
    }
}
