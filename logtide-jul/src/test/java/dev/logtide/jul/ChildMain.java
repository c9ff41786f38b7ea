package dev.logtide.jul;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Run in a child JVM: logs, then returns from main at once. */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) {
        Logger logger = Logger.getLogger("child.app");
        logger.info("started");
        logger.log(Level.SEVERE, "last words before main returns", new IllegalStateException("shutting down"));
    }
}
