package dev.logtide.testing;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.diagnostics.DiagnosticListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client shipping to an {@link IngestServer} on loopback, with its diagnostics recorded as
 * {@code "SEVERITY message"} lines: the setup the delivery and buffer tests share. One per test;
 * {@link #close()} closes the client (1 s budget), then the server.
 */
public final class LoopbackClient implements AutoCloseable {
    /** The server the client ships to. */
    public final IngestServer server = new IngestServer();
    /** What the client reported, in order. */
    public final List<String> diagnostics = new CopyOnWriteArrayList<>();
    private LogTideClient client;

    /**
     * @return options for the server with the test defaults: no shutdown hook, retries after 5 ms,
     *     and a flush interval of a minute, so only {@code batchSize}, flush and close send
     */
    public ClientOptions.Builder options() {
        return ClientOptions.builder()
                .apiUrl(server.url())
                .apiKey(IngestServer.API_KEY)
                .service("delivery-test")
                .registerShutdownHook(false)
                .retryDelayMs(5)
                .flushIntervalMs(60_000)
                .diagnosticListener(listener());
    }

    /** @return a listener that records into {@link #diagnostics} */
    public DiagnosticListener listener() {
        return (DiagnosticListener.Severity s, String m, Throwable e) -> diagnostics.add(s + " " + m);
    }

    /**
     * Starts the client, closed by {@link #close()}.
     *
     * @param tweak changes to {@link #options()}
     * @return the client
     */
    public LogTideClient client(Consumer<ClientOptions.Builder> tweak) {
        ClientOptions.Builder b = options();
        tweak.accept(b);
        client = new LogTideClient(b.build());
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close(1, TimeUnit.SECONDS);
        }
        server.close();
    }
}
