package dev.logtide.jul;

import java.util.logging.Level;

/**
 * The JUL level for LogTide's {@code critical}. java.util.logging stops at {@link Level#SEVERE};
 * {@link LogTideHandler} sends every level above SEVERE as {@code critical}, and this class gives
 * that level a name:
 *
 * <pre>{@code
 * logger.log(LogTideLevel.CRITICAL, "Payment provider unreachable", e);
 * }</pre>
 *
 * <p>Once this class is loaded, {@code Level.parse("CRITICAL")} finds it too.
 */
public final class LogTideLevel extends Level {
    private static final long serialVersionUID = 1L;

    /** Above {@link Level#SEVERE} (1000): sent as {@code critical}. */
    public static final Level CRITICAL = new LogTideLevel("CRITICAL", 1100);

    private LogTideLevel(String name, int value) {
        super(name, value);
    }
}
