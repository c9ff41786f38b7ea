package dev.logtide.internal.transport;

import dev.logtide.ClientOptions;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One OkHttp connection pool and dispatcher for every client in the JVM; each client derives
 * its own timeouts from it with {@link OkHttpClient#newBuilder()}, which shares both. Creating
 * and closing clients (as Logback reconfiguration does) therefore never adds threads.
 *
 * <p>The SDK's clients are kept out of HTTP client instrumentation: the OpenTelemetry Java agent
 * (2.x) adds its interceptors to every {@link OkHttpClient.Builder} as it is constructed, the SDK's
 * included, so each ingest, query and live-tail request would become a client span and carry the
 * application's {@code traceparent}. Every builder the SDK makes goes through {@link #builder}, which
 * takes those interceptors off again; the application's own OkHttp clients keep them.
 */
public final class HttpClients {
    // OkHttp's own retry on connection failure stays on: it replaces pooled connections the
    // server closed while idle, which would otherwise cost a counted failure and a backoff.
    private static final OkHttpClient SHARED = withoutInjected(new OkHttpClient.Builder())
            .socketFactory(new NoDelaySocketFactory())
            .dispatcher(dispatcher())
            .build();

    private HttpClients() {
    }

    private static Dispatcher dispatcher() {
        Dispatcher dispatcher = new Dispatcher(daemonExecutor());
        // Every client's sender has at most one ingest request in flight, but all of them go to
        // the same host: OkHttp's default of 5 per host would queue a sixth client's requests
        // behind the others', for as long as a hung server holds them.
        dispatcher.setMaxRequestsPerHost(dispatcher.getMaxRequests());
        return dispatcher;
    }

    /**
     * OkHttp's default dispatcher threads are not daemons: an idle one keeps a JVM whose
     * {@code main} has returned alive for a minute. These are, and keep OkHttp's thread name (an
     * application's own callbacks may log on them, so they must not look like LogTide's threads).
     */
    private static ExecutorService daemonExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "OkHttp Dispatcher " + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param options timeouts come from here
     * @return a client sharing the JVM-wide pool
     */
    public static OkHttpClient forOptions(ClientOptions options) {
        return builder(SHARED)
                // OkHttp drops Authorization on a cross-host redirect but not X-API-Key: never follow one.
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(options.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(options.readTimeoutMs(), TimeUnit.MILLISECONDS)
                .writeTimeout(options.writeTimeoutMs(), TimeUnit.MILLISECONDS)
                .build();
    }

    /**
     * {@code client.newBuilder()} for one of the SDK's own clients: everything of {@code client}
     * (pool, dispatcher, timeouts, the interceptors its owner added) except the interceptors an agent
     * added to every OkHttp builder, which the new builder would otherwise carry again.
     *
     * @param client the client to derive from; it is not changed
     * @return a builder whose clients make no span and send no {@code traceparent} of an agent's
     */
    public static OkHttpClient.Builder builder(OkHttpClient client) {
        return withoutInjected(client.newBuilder());
    }

    /*
     * What instrumentation puts on a builder nobody has touched: OkHttp creates one with no
     * interceptors, so whatever a fresh one holds was added to every builder by an agent (the
     * OpenTelemetry Java agent's are the same instances on each). Found by looking rather than by
     * class name, so no agent's internal package names are relied on, and an interceptor the
     * application added itself is never among them. Looked up on every call, not once: an agent
     * attached at run time (opentelemetry-runtime-attach) starts instrumenting builders after this
     * class was loaded.
     */
    private static OkHttpClient.Builder withoutInjected(OkHttpClient.Builder builder) {
        OkHttpClient.Builder untouched = new OkHttpClient.Builder();
        removeEach(builder.interceptors(), untouched.interceptors());
        removeEach(builder.networkInterceptors(), untouched.networkInterceptors());
        return builder;
    }

    /** By identity: the agent's interceptors are singletons, and equals of another interceptor may be anything. */
    private static void removeEach(List<Interceptor> from, List<Interceptor> injected) {
        for (Interceptor i : injected) {
            from.removeIf(present -> present == i);
        }
    }
}
