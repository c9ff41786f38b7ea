package dev.logtide.internal.transport;

import dev.logtide.ClientOptions;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One OkHttp connection pool and dispatcher for every client in the JVM; each client derives
 * its own timeouts from it with {@link OkHttpClient#newBuilder()}, which shares both. Creating
 * and closing clients (as Logback reconfiguration does) therefore never adds threads.
 */
public final class HttpClients {
    // OkHttp's own retry on connection failure stays on: it replaces pooled connections the
    // server closed while idle, which would otherwise cost a counted failure and a backoff.
    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
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
        return SHARED.newBuilder()
                // OkHttp drops Authorization on a cross-host redirect but not X-API-Key: never follow one.
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(options.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(options.readTimeoutMs(), TimeUnit.MILLISECONDS)
                .writeTimeout(options.writeTimeoutMs(), TimeUnit.MILLISECONDS)
                .build();
    }
}
