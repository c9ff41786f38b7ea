package dev.logtide.jul;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops what MockWebServer's own threads log (its OkHttp task runner logs too). A real LogTide
 * server runs in another process; in the tests it shares the JVM and would otherwise feed the
 * handler records that have nothing to do with the client.
 */
public class NotFromMockWebServer implements Filter {
    @Override
    public boolean isLoggable(LogRecord record) {
        return !Thread.currentThread().getName().startsWith("MockWebServer");
    }
}
