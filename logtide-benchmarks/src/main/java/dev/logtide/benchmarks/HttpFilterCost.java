package dev.logtide.benchmarks;

import dev.logtide.ClientOptions;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;
import dev.logtide.TraceContext;
import dev.logtide.http.HttpExchange;
import dev.logtide.http.HttpLogOptions;
import dev.logtide.http.HttpLogging;
import dev.logtide.http.TraceIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The request thread's cost of the web filters' logging per request (logtide-http, which both
 * filters run): reading the trace from {@code traceparent}, the skip check, the request entry, the
 * trace scope (MDC and TraceContext) around the handler, and the response entry, queued on a
 * client shipping to a healthy local sink. The floor, in the same run, is the least any request
 * logging does: the same two entries with the same fields built by hand and queued on the same
 * client, inside a {@code TraceContext} scope with an id already known. The difference is what
 * the filter adds. Both refuse entries alike when the buffer is past its shedding mark.
 */
@State(Scope.Benchmark)
public class HttpFilterCost {
    /** floor, or filter. */
    @Param({"floor", "filter"})
    public String setup;

    private SinkProcess sink;
    private LogTideClient client;
    private HttpLogging logging;
    private final Map<String, String> requestHeaders = new HashMap<>();
    private Function<String, String> headers;

    /** Starts the sink and the client. */
    @Setup
    public void start() throws Exception {
        sink = SinkProcess.start(0);
        client = new LogTideClient(ClientOptions.builder().apiUrl(sink.url()).apiKey("lp_bench")
                .service("bench").registerShutdownHook(false).build());
        logging = new HttpLogging(HttpLogOptions.builder().client(client).build(), null);
        requestHeaders.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        requestHeaders.put("user-agent", "Mozilla/5.0 (X11; Linux x86_64) bench/1.0");
        headers = name -> requestHeaders.get(name.toLowerCase(Locale.ROOT));
    }

    /** One request: its entries, and the trace scope its handler runs in. */
    @Benchmark
    public void request() {
        if (setup.equals("floor")) {
            try (TraceContext.Scope ignored = TraceContext.withTraceId("4bf92f3577b34da6a3ce929d0e0e4736")) {
                Map<String, Object> md = new LinkedHashMap<>();
                md.put("method", "GET");
                md.put("path", "/orders/42");
                md.put("ip", "10.0.0.1");
                md.put("user_agent", requestHeaders.get("user-agent"));
                queue(LogLevel.INFO, "GET /orders/42", md);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("method", "GET");
                out.put("path", "/orders/42");
                out.put("status", 200);
                out.put("duration_ms", 1.25);
                queue(LogLevel.INFO, "GET /orders/42 200 (1ms)", out);
            }
            return;
        }
        if (logging.skips("/orders/42")) {
            return;
        }
        HttpExchange exchange = logging.start("GET", "/orders/42", null, "10.0.0.1", headers);
        TraceIds.Scope scope = exchange.open();
        exchange.close(scope);
        exchange.complete(200, 5, null);
    }

    private void queue(LogLevel level, String message, Map<String, Object> md) {
        client.append("dev.logtide.http", null, level, md, fields -> LogEntry.builder(level, message)
                .logger("dev.logtide.http").thread(Thread.currentThread().getName()).metadata(fields).build());
    }

    /** Prints the client's counters, so a run shows the state it measured. */
    @TearDown
    public void stop() throws Exception {
        System.out.println("LogTide metrics (" + setup + "): " + client.getMetrics());
        client.close();
        sink.close();
    }
}
