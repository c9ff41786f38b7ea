package dev.logtide.http;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;

import java.util.function.Supplier;

/** Queues request entries on a client, with the request's trace ids as the entry's context ids (an active span still wins, C26). */
final class ClientSink implements Sink {
    private final LogTideClient client;
    private final String service;

    ClientSink(LogTideClient client, String service) {
        this.client = client;
        this.service = service;
    }

    @Override
    public void log(LogLevel level, Supplier<Line> line, TraceIds trace) {
        client.append(HttpLogOptions.LOGGER_NAME, null, level, line, gather -> {
            Line l = gather.get();
            LogEntry.Builder b = LogEntry.builder(level, l.message)
                    .service(service)
                    .logger(HttpLogOptions.LOGGER_NAME)
                    .thread(Thread.currentThread().getName())
                    .metadata(l.metadata)
                    .throwable(l.error);
            if (trace != null) {
                b.contextTraceId(trace.traceId()).contextSpanId(trace.spanId());
            }
            return b.build();
        });
    }
}
