package dev.logtide.log4j2;

import dev.logtide.LogEntry;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ThreadContext of an event: shared when Log4j2 froze it, copied when it may still change. */
class FrozenContextTest {
    private final EventMapper mapper = new EventMapper(true, Collections.emptyList(),
            List.of("traceId"), List.of("spanId"), false, null);

    private static LogEvent event(StringMap contextData) {
        return Log4jLogEvent.newBuilder().setLoggerName("l").setLevel(Level.INFO)
                .setMessage(new SimpleMessage("m")).setContextData(contextData).build();
    }

    private static StringMap map(String... keyValues) {
        StringMap m = ContextDataFactory.createContextData();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.putValue(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void aFrozenContextIsSharedAsAReadOnlyMap() {
        StringMap data = map("user", "alice", "tenant", "acme");
        data.freeze();
        Map<String, ?> context = mapper.apply(event(data)).context();
        assertTrue(context instanceof FrozenContext, context.getClass().getName());
        Map<String, Object> expected = new HashMap<>();
        expected.put("user", "alice");
        expected.put("tenant", "acme");
        assertEquals(expected, context);
        assertEquals(expected, new HashMap<>(context));
        assertEquals("alice", context.get("user"));
        assertTrue(context.containsKey("tenant"));
        assertFalse(context.containsKey("nope"));
        assertNull(context.get(42));
    }

    @Test
    void aContextThatMayStillChangeIsCopied() {
        StringMap data = map("user", "alice");
        LogEntry entry = mapper.apply(event(data));
        data.putValue("user", "bob");
        data.putValue("late", "x");
        assertEquals(Collections.singletonMap("user", "alice"), entry.context());
    }

    @Test
    void theDefaultThreadContextOfARealEventIsFrozen() {
        // What Log4j2's default ThreadContext map hands a real logger's appenders: the case worth sharing.
        List<Class<?>> seen = new ArrayList<>();
        AbstractAppender probe = new AbstractAppender("probe", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                seen.add(mapper.apply(event).context().getClass());
            }
        };
        probe.start();
        try (LoggerContext ctx = Configurator.initialize(ConfigurationBuilderFactory.newConfigurationBuilder()
                .setConfigurationName("frozen").build())) {
            ctx.getLogger("frozen").addAppender(probe);
            ThreadContext.put("user", "alice");
            ctx.getLogger("frozen").error("with context");
        } finally {
            ThreadContext.clearAll();
            probe.stop();
        }
        assertEquals(List.of(FrozenContext.class), seen);
    }
}
