package dev.logtide.http;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options' defaults (the and the Python middleware's) and their text form (init parameters). */
class HttpLogOptionsTest {
    @Test
    void defaults() {
        HttpLogOptions o = HttpLogOptions.builder().build();
        assertNull(o.client());
        assertNull(o.serviceName());
        assertTrue(o.logRequests());
        assertTrue(o.logResponses());
        assertFalse(o.logQueryString());
        assertTrue(o.logClientAddress());
        assertFalse(o.trustForwardedFor());
        assertTrue(o.headers().isEmpty());
        assertTrue(o.skipPaths().isEmpty());
        assertTrue(o.skipHealthChecks());
        assertTrue(o.autoTraceId());
        assertNull(o.traceIdResponseHeader());
    }

    @Test
    void everyOptionNameCanBeSetFromText() {
        HttpLogOptions.Builder b = HttpLogOptions.builder();
        for (String name : HttpLogOptions.OPTION_NAMES) {
            b.set(name, name.startsWith("log") || name.startsWith("skipH") || name.startsWith("auto") || name.startsWith("trust")
                    ? "FALSE" : " a, b ");
        }
        HttpLogOptions o = b.build();
        assertFalse(o.logRequests() || o.logResponses() || o.logQueryString() || o.logClientAddress()
                || o.trustForwardedFor() || o.skipHealthChecks() || o.autoTraceId());
        assertEquals(List.of("a", "b"), o.skipPaths());
        assertEquals(List.of("a", "b"), o.headers());
        assertEquals("a, b", o.serviceName());
        assertEquals("a, b", o.traceIdResponseHeader());
        assertEquals(o.toString(), o.toBuilder().build().toString());
    }

    @Test
    void wrongTextIsRefusedWithAMessageNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpLogOptions.builder().set("logRequests", "yes"));
        assertEquals("logRequests must be true or false, got 'yes'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HttpLogOptions.builder().set("skipPath", "/x"));
        assertTrue(e.getMessage().startsWith("unknown option 'skipPath'"), e.getMessage());
    }

    @Test
    void credentialHeadersAreNeverLoggedAndSaySo() {
        HttpLogOptions.Builder b = HttpLogOptions.builder()
                .headers(Arrays.asList("X-Tenant", "authorization", "Cookie", "Set-Cookie", "X-Api-Key",
                        "X-Auth-Token", "Proxy-Authorization", "x-tenant", " "));
        assertEquals(List.of("x-tenant"), b.build().headers());
        assertEquals(6, b.problems().size(), b.problems()::toString);
        assertTrue(b.problems().get(0).contains("authorization carries credentials"), b.problems()::toString);
    }
}
