package dev.logtide.lifecycle;

import dev.logtide.testing.IngestServer;

import java.util.ArrayList;
import java.util.List;

/** Command-line arguments for the Spring Boot applications' child JVMs. */
public final class SpringArguments {
    private SpringArguments() {
    }

    /**
     * @param server the ingest server the application ships to
     * @param more   further arguments, after those
     * @return {@code logtide.api-url} and {@code logtide.api-key} for {@code server}, then {@code more}
     */
    public static List<String> shippingTo(IngestServer server, String... more) {
        List<String> args = new ArrayList<>(List.of("--logtide.api-url=" + server.url(), "--logtide.api-key=" + IngestServer.API_KEY));
        args.addAll(List.of(more));
        return args;
    }
}
