package dev.logtide.transport;

import dev.logtide.ClientOptions;
import okhttp3.OkHttpClient;

import java.util.concurrent.TimeUnit;

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
            .build();

    private HttpClients() {
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
