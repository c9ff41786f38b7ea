package dev.logtide.jul;

import dev.logtide.LogLevel;
import dev.logtide.conformance.ConformanceEvent;
import dev.logtide.conformance.ConformanceSuite;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The shared conformance suite through JUL, configured by conformance-logging.properties. */
class ConformanceTest extends ConformanceSuite {
    @Override
    protected void configure() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/conformance-logging.properties")) {
            assertNotNull(in);
            LogManager.getLogManager().readConfiguration(in);
        }
    }

    @Override
    protected void log(ConformanceEvent event) {
        List<LogTideMdc.Scope> scopes = new ArrayList<>();
        for (Map.Entry<String, String> e : event.context().entrySet()) {
            scopes.add(LogTideMdc.with(e.getKey(), e.getValue()));
        }
        // JUL records carry no named values: typed fields go into LogTideMdc with their type.
        for (Map.Entry<String, Object> f : event.fields().entrySet()) {
            Object v = f.getValue();
            scopes.add(v instanceof Long || v instanceof Integer ? LogTideMdc.with(f.getKey(), ((Number) v).longValue())
                    : v instanceof Double ? LogTideMdc.with(f.getKey(), (double) (Double) v)
                    : v instanceof Boolean ? LogTideMdc.with(f.getKey(), (boolean) (Boolean) v)
                    : LogTideMdc.with(f.getKey(), String.valueOf(v)));
        }
        try {
            Logger.getLogger(event.logger()).log(toJul(event.level()), event.message(), event.throwable());
        } finally {
            for (int i = scopes.size() - 1; i >= 0; i--) {
                scopes.get(i).close();
            }
        }
    }

    private static Level toJul(LogLevel level) {
        switch (level) {
            case DEBUG: return Level.FINE;
            case INFO: return Level.INFO;
            case WARN: return Level.WARNING;
            case ERROR: return Level.SEVERE;
            default: return LogTideLevel.CRITICAL;
        }
    }

    @Override
    protected void shutdown() {
        LogManager.getLogManager().reset();
    }
}
