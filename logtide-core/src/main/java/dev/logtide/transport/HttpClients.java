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
    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false) // retries are ours, counted and backed off
            .build();

    private HttpClients() {
    }

    /**
     * @param options timeouts come from here
     * @return a client sharing the JVM-wide pool
     */
    public static OkHttpClient forOptions(ClientOptions options) {
        return SHARED.newBuilder()
                .connectTimeout(options.connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(options.readTimeoutMs(), TimeUnit.MILLISECONDS)
                .writeTimeout(options.writeTimeoutMs(), TimeUnit.MILLISECONDS)
                .build();
    }
}
