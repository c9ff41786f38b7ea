package dev.logtide.logback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.TraceContext;
import dev.logtide.testing.IngestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 13, row 7: behind Logback's AsyncAppender the LogTide appender runs on the worker thread,
 * where the caller's TraceContext is not visible; the id must arrive all the same (async.xml).
 */
class AsyncTraceContextTest {
    private IngestServer server;
    private final Logger log = LoggerFactory.getLogger("app.AsyncTrace");

    @BeforeEach
    void setUp() {
        server = new IngestServer();
    }

    @AfterEach
    void tearDown() {
        TraceContext.setTraceId(null);
        MDC.clear();
        LogbackTestSupport.reset();
        server.close();
    }

    @Test
    void theCallersTraceContextReachesTheAppenderBehindAnAsyncAppender() throws Exception {
        LogbackTestSupport.configure("async.xml", server.url());
        try (TraceContext.Scope outer = TraceContext.withTraceId("trace-abc")) {
            log.info("in trace-abc");
            try (TraceContext.Scope inner = TraceContext.withTraceId("trace-inner")) {
                log.info("in trace-inner");
            }
            log.info("back in trace-abc");
            MDC.put("trace_id", "from-mdc");
            log.info("the application's MDC id wins");
            MDC.remove("trace_id");
        }
        assertNull(MDC.get(TraceContext.CONTEXT_KEY), "closing the scope removes the copy from the MDC");
        log.info("no trace");
        LogbackTestSupport.context().stop(); // drains the AsyncAppender, then flushes LOGTIDE

        List<JsonNode> entries = server.awaitEntries(5, Duration.ofSeconds(10));
        assertEquals(5, entries.size(), entries::toString);
        assertEquals("trace-abc", server.entryWithMessage("in trace-abc").path("trace_id").asText());
        assertEquals("trace-inner", server.entryWithMessage("in trace-inner").path("trace_id").asText());
        assertEquals("trace-abc", server.entryWithMessage("back in trace-abc").path("trace_id").asText());
        assertEquals("from-mdc", server.entryWithMessage("the application's MDC id wins").path("trace_id").asText());
        assertFalse(server.entryWithMessage("no trace").has("trace_id"), server.entryWithMessage("no trace").toString());
        for (JsonNode e : entries) {
            assertFalse(e.path("metadata").has(TraceContext.CONTEXT_KEY), "the copy is not a metadata key: " + e);
            assertEquals(Thread.currentThread().getName(), e.path("metadata").path("thread").asText());
        }
    }
}
