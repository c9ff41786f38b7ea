package dev.logtide.opentelemetry;

import com.sun.tools.attach.VirtualMachine;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.query.LiveTail;
import dev.logtide.query.QueryClient;
import dev.logtide.query.QueryOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * JavaAgentTest's application, run under the OpenTelemetry Java agent: inside a span of its own it
 * logs through a LogTideClient, calls a URL with its own OkHttp client (which adds an {@code X-App}
 * header), queries and live-tails LogTide through the LogTideClient, and queries once more through a
 * QueryClient built on its own OkHttp client. Arguments: the LogTide base URL, its key, the URL the
 * application calls, and optionally the agent jar to attach at run time (as
 * opentelemetry-runtime-attach does) after a first LogTideClient has loaded LogTide's classes.
 */
public final class JavaAgentAppMain {
    private JavaAgentAppMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 3) {
            new LogTideClient(ClientOptions.builder().apiUrl(args[0]).apiKey(args[1]).service("agent-app").build()).close();
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
            try {
                vm.loadAgent(args[3]);
            } finally {
                vm.detach();
            }
        }
        OkHttpClient ownHttp = new OkHttpClient.Builder()
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("X-App", "own").build()))
                .build();
        LogTideClient client = new LogTideClient(ClientOptions.builder()
                .apiUrl(args[0]).apiKey(args[1]).service("agent-app").build());
        // The API the agent bridges: this span is the agent's.
        Span span = GlobalOpenTelemetry.getTracer("agent-app").spanBuilder("app-work").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            client.info("agent-app", "inside app-work");
            try (Response response = ownHttp.newCall(new Request.Builder().url(args[2]).build()).execute()) {
                System.out.println("own call: " + response.code());
            }
            System.out.println("query: " + client.query(QueryOptions.builder().limit(10).build()).logs().size());
            QueryClient onOwnHttp = new QueryClient(ownHttp, args[0], args[1], null);
            System.out.println("query on own client: " + onOwnHttp.query(QueryOptions.builder().limit(10).build()).logs().size());
            CountDownLatch streamed = new CountDownLatch(1);
            try (LiveTail ignoredTail = client.stream(log -> streamed.countDown(), Throwable::printStackTrace, null)) {
                System.out.println("tail: " + streamed.await(20, TimeUnit.SECONDS));
            }
        } finally {
            span.end();
        }
        client.close();
        System.out.println("trace: " + span.getSpanContext().getTraceId());
        // Returning from main: the agent's shutdown hook exports the spans still queued.
    }
}
