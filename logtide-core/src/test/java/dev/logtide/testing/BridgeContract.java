package dev.logtide.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.ClientMetrics;
import dev.logtide.DropReason;
import dev.logtide.LogTideScope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What contract scenario C28 (logging bridge) asks of every adapter, asserted once on what the
 * adapter delivered. Each adapter's {@code ContractTest#c28_loggingBridge} logs, through its own
 * framework, "c28 context" with {@link #TRACE_ID} as {@code trace_id}, {@code requestId} "r-28" and a
 * typed {@code orderId} in its context; "c28 camel" with {@code traceId} "camel-28"; "c28 failure"
 * with an {@code IllegalStateException("bridge boom")}; "c28 own logger" on an OkHttp thread; and
 * "c28 last" last. Level mapping differs by framework and stays in each test.
 */
public final class BridgeContract {
    /** The trace id put in the framework's context for "c28 context". */
    public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private BridgeContract() {
    }

    /**
     * @param server    what the adapter delivered to
     * @param logger    the logger "c28 context" was logged through
     * @param before    taken just before that call
     * @param precision what the framework's event time keeps of {@code before}
     * @param after     taken just after that call
     * @return the metadata of "c28 context", for the framework-specific checks
     */
    public static JsonNode assertDelivered(IngestServer server, String logger, Instant before, ChronoUnit precision,
                                           Instant after) {
        JsonNode context = server.entryWithMessage("c28 context");
        assertNull(ServerRules.violation(context), context::toString);
        assertEquals(TRACE_ID, context.get("trace_id").asText(), "the context's trace_id promoted");
        JsonNode md = context.get("metadata");
        assertEquals("r-28", md.get("requestId").asText());
        assertTrue(md.get("orderId").isNumber(), "typed context values keep their type: " + md);
        assertEquals(logger, md.get("logger").asText());
        assertEquals(Thread.currentThread().getName(), md.get("thread").asText());
        Instant time = Instant.parse(context.get("time").asText());
        assertFalse(time.isBefore(before.truncatedTo(precision)) || time.isAfter(after), "the event's time: " + time);
        assertEquals("camel-28", server.entryWithMessage("c28 camel").get("trace_id").asText(), "the context's traceId promoted");
        JsonNode ex = server.entryWithMessage("c28 failure").get("metadata").get("exception");
        assertEquals("java.lang.IllegalStateException", ex.get("type").asText());
        assertEquals("bridge boom", ex.get("message").asText());
        assertEquals("java", ex.get("language").asText());

        List<String> messages = server.entries().stream().map(e -> e.get("message").asText()).collect(Collectors.toList());
        assertFalse(messages.contains("c28 own logger"), messages::toString);
        assertEquals("c28 last", messages.get(messages.size() - 1));
        return md;
    }

    /** Events each adapter's {@code c23} test logs at each of info and error, through a file with sampleRate 0.5. */
    public static final int SAMPLED_EACH = 100;

    /**
     * Contract C23 through an adapter: its configuration file set {@code sampleRate} to 0.5 and
     * the test logged {@link #SAMPLED_EACH} events at info and as many at error, "c23 info N" and
     * "c23 error N", then flushed. A fresh draw per event keeps about half at each level (errors
     * are not exempt) and every event is either sent or counted as {@code SAMPLED}.
     *
     * @param server  what the adapter delivered to
     * @param metrics the adapter's client's metrics after the flush
     */
    public static void assertSampledByTheFile(IngestServer server, ClientMetrics metrics) {
        List<JsonNode> sent = server.entries();
        long errors = sent.stream().filter(e -> e.path("message").asText().startsWith("c23 error")).count();
        long infos = sent.stream().filter(e -> e.path("message").asText().startsWith("c23 info")).count();
        assertEquals(2L * SAMPLED_EACH, metrics.logsSent() + metrics.logsDropped(DropReason.SAMPLED),
                "each event sent or counted as sampled: " + metrics);
        assertEquals(sent.size(), errors + infos, "only the test's events");
        // 100 draws at 0.5: the standard deviation is 5, so 20..80 fails only for a broken draw.
        assertTrue(errors > 20 && errors < 80, "errors are sampled like any level: " + errors);
        assertTrue(infos > 20 && infos < 80, "info kept by the share: " + infos);
    }

    /**
     * Opens the scope each adapter's {@code c20} test logs in: tag {@code tenant=acme}, extras
     * {@code requestId=from-scope} (the test puts {@code requestId=from-mdc} in the framework's
     * context too) and {@code cart=3}, user {@code 42}, one breadcrumb "cart opened". Inside it
     * the test logs "c20 in scope" at error; after closing it, "c20 out of scope".
     *
     * @return the scope, to close
     */
    public static LogTideScope openScope() {
        return LogTideScope.push().setTag("tenant", "acme").setExtra("requestId", "from-scope")
                .setExtra("cart", 3).setUser(LogTideScope.User.id("42")).addBreadcrumb("cart opened");
    }

    /**
     * Contract C20 (and C21) through an adapter: the scope of {@link #openScope()} reached the
     * entry logged inside it, below the framework's own context, and nothing of it the entry after.
     *
     * @param server what the adapter delivered to
     */
    public static void assertScopeApplied(IngestServer server) {
        JsonNode inside = server.entryWithMessage("c20 in scope");
        assertNull(ServerRules.violation(inside), inside::toString);
        JsonNode md = inside.get("metadata");
        assertEquals("acme", md.path("tags").path("tenant").asText(), md::toString);
        assertEquals("42", md.path("user").path("id").asText(), md::toString);
        assertEquals(3, md.path("cart").asInt(), md::toString);
        assertEquals("from-mdc", md.path("requestId").asText(), "the framework's context wins over the scope");
        assertEquals("cart opened", md.path("breadcrumbs").path(0).path("message").asText(), md::toString);
        JsonNode after = server.entryWithMessage("c20 out of scope").get("metadata");
        for (String key : List.of("tags", "user", "cart", "breadcrumbs")) {
            assertFalse(after.has(key), key + " outlived the scope: " + after);
        }
    }
}
