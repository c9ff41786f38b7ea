package dev.logtide.security;

import dev.logtide.LogTideClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 22 row 8: http:// to a host that is not this machine warns once at start; loopback does not. */
class PlainHttpWarningTest {
    @Test
    void plainHttpToAnotherHostWarnsOnce() {
        SecurityTesting t = new SecurityTesting();
        // .invalid never resolves: nothing is logged, so nothing is ever sent.
        LogTideClient c = t.client("http://logs.example.invalid", SecurityTesting.KEY);
        c.close(100, TimeUnit.MILLISECONDS);
        assertEquals(1, t.said.stream().filter(s -> s.startsWith("WARN apiUrl uses http:// to logs.example.invalid")).count(),
                t.said::toString);
    }

    @Test
    void loopbackAndHttpsDoNotWarn() {
        SecurityTesting t = new SecurityTesting();
        for (String url : new String[] {"http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://logs.example.invalid"}) {
            t.client(url, SecurityTesting.KEY).close(100, TimeUnit.MILLISECONDS);
        }
        assertTrue(t.said.stream().noneMatch(s -> s.contains("unencrypted")), t.said::toString);
    }
}
