package dev.logtide.query;

import dev.logtide.internal.transport.HttpClients;
import dev.logtide.ClientOptions;

import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs in a child JVM with a small heap ({@link QueryLimitsTest}): three reads with the default
 * limits against the URL given, printing how each ended.
 */
public final class QueryLimitsChild {
    private QueryLimitsChild() {
    }

    public static void main(String[] args) {
        ClientOptions options = ClientOptions.builder().apiUrl(args[0]).apiKey(ServerShapes.KEY).build();
        QueryClient client = new QueryClient(HttpClients.forOptions(options), args[0], ServerShapes.KEY, null);
        run("query", () -> client.query(QueryOptions.builder().build()));
        run("queryAsync", () -> {
            try {
                return client.queryAsync(QueryOptions.builder().build()).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw (RuntimeException) e.getCause();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        run("stats", () -> client.getAggregatedStats(AggregatedStatsOptions.builder()
                .from(Instant.EPOCH).to(Instant.parse("2030-01-01T00:00:00Z")).build()));
        System.exit(0);
    }

    private static void run(String call, Supplier<?> read) {
        try {
            System.out.println(call + ": answered " + read.get());
        } catch (RuntimeException | OutOfMemoryError e) {
            System.out.println(call + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
