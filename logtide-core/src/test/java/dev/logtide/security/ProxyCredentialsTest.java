package dev.logtide.security;

import dev.logtide.LogTideClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22 row 10: credentials typed into {@code https.proxyHost} ({@code user:pass@proxy}) are
 * not echoed by the I/O error the request then fails with.
 */
class ProxyCredentialsTest {
    private LogTideClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close(1, TimeUnit.SECONDS);
        }
        System.clearProperty("https.proxyHost");
        System.clearProperty("https.proxyPort");
    }

    @Test
    void credentialsTypedIntoTheProxyHostAreNotEchoed() {
        // The JVM's default ProxySelector reads these at each request, so they apply to this client only while set.
        System.setProperty("https.proxyHost", "alice:hunter2pw@proxy.invalid");
        System.setProperty("https.proxyPort", "3128");
        SecurityTesting t = new SecurityTesting();
        client = t.client("https://logs.example.invalid", SecurityTesting.KEY);
        client.info(null, "through the proxy");
        client.flush();
        assertTrue(client.getMetrics().errors() >= 1, client.getMetrics()::toString);
        assertTrue(t.said.stream().anyMatch(s -> s.contains("proxy.invalid")), "the failure names the proxy: " + t.said);
        assertFalse(t.said.stream().anyMatch(s -> s.contains("hunter2pw") || s.contains("alice")), t.said::toString);
        assertEquals(0, t.leaks(SecurityTesting.KEY).size(), t.said::toString);
    }
}
