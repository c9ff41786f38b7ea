package dev.logtide;

import dev.logtide.conformance.ConformanceEvent;
import dev.logtide.conformance.ConformanceSuite;
import dev.logtide.internal.config.ClientSettings;

import java.io.InputStream;
import java.util.Properties;

/**
 * The conformance suite through the programmatic client, configured from a properties file
 * through {@link ClientSettings} (the same path the adapters take).
 */
class ClientConformanceTest extends ConformanceSuite {
    private LogTideClient client;

    @Override
    protected void configure() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/conformance-client.properties")) {
            p.load(in);
        }
        ClientSettings settings = new ClientSettings();
        for (String name : p.stringPropertyNames()) {
            settings.set(name, p.getProperty(name)
                    .replace("${logtide.test.url}", System.getProperty("logtide.test.url"))
                    .replace("${logtide.test.key}", System.getProperty("logtide.test.key")));
        }
        client = new LogTideClient(settings.toOptions(name -> null));
    }

    @Override
    protected void log(ConformanceEvent event) {
        String traceId = event.context().get("trace_id");
        LogEntry.Builder entry = LogEntry.builder(event.level(), event.message())
                .logger(event.logger())
                .thread(Thread.currentThread().getName())
                .traceId(traceId)
                .spanId(event.context().get("span_id"))
                .context(event.context())
                .throwable(event.throwable());
        event.fields().forEach(entry::put);
        client.log(entry.build());
    }

    @Override
    protected void shutdown() {
        client.close();
    }
}
