package dev.logtide.http;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;

import java.util.Map;

/** Queues request entries on a client, with the request's trace ids as the entry's context ids (an active span still wins, C26). */
final class ClientSink implements Sink {
    private final LogTideClient client;
    private final String service;

    ClientSink(LogTideClient client, String service) {
        this.client = client;
        this.service = service;
    }

    @Override
    public boolean refuses(LogLevel level) {
        return client.dropIfRefused(level);
    }

    @Override
    public void log(LogLevel level, String message, Map<String, Object> metadata, Throwable error, TraceIds trace) {
        LogEntry.Builder b = LogEntry.builder(level, message)
                .service(service)
                .logger(HttpLogOptions.LOGGER_NAME)
                .thread(Thread.currentThread().getName())
                .metadata(metadata)
                .throwable(error);
        if (trace != null) {
            b.contextTraceId(trace.traceId()).contextSpanId(trace.spanId());
        }
        client.log(b.build());
    }
}
