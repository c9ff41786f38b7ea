package dev.logtide.log4j2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 13, row 7: behind {@code <Async>} or an async logger the appender runs on another thread,
 * where the caller's TraceContext is not visible; the id must arrive all the same.
 */
class AsyncTraceContextTest {
    private IngestServer server;
    private LoggerContext ctx;

    @BeforeEach
    void setUp() {
        server = new IngestServer();
    }

    @AfterEach
    void tearDown() {
        TraceContext.setTraceId(null);
        ThreadContext.clearAll();
        if (ctx != null) {
            Log4j2Configs.stop(ctx);
        }
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"log4j2-async-appender.xml", "log4j2-async-logger.xml"})
    void theCallersTraceContextReachesTheAppender(String config) {
        ctx = Log4j2Configs.start(config, server);
        try (TraceContext.Scope outer = TraceContext.withTraceId("trace-abc")) {
            ctx.getLogger("async").info("in trace-abc");
            ThreadContext.put("trace_id", "from-thread-context");
            ctx.getLogger("async").info("the application's ThreadContext id wins");
            ThreadContext.remove("trace_id");
        }
        assertNull(ThreadContext.get(TraceContext.CONTEXT_KEY), "closing the scope removes the copy");
        ctx.getLogger("async").info("no trace");
        Log4j2Configs.stop(ctx);
        ctx = null;

        List<JsonNode> got = Log4j2Configs.entriesOf(server, "async");
        assertEquals(3, got.size(), got.toString());
        assertEquals("trace-abc", server.entryWithMessage("in trace-abc").path("trace_id").asText());
        assertEquals("from-thread-context",
                server.entryWithMessage("the application's ThreadContext id wins").path("trace_id").asText());
        assertFalse(server.entryWithMessage("no trace").has("trace_id"));
        for (JsonNode e : got) {
            assertFalse(e.path("metadata").has(TraceContext.CONTEXT_KEY), "the copy is not a metadata key: " + e);
        }
    }
}
