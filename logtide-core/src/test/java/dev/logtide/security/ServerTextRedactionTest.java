package dev.logtide.security;

import dev.logtide.LogTideClient;
import dev.logtide.internal.diagnostics.Redaction;
import dev.logtide.testing.IngestServer;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22 rows 2 and 10: server text that echoes the key is redacted before it is shown (the key
 * and any 6-character piece of it, before the text is cut), control characters cannot forge a
 * line, and credentials in URLs are removed from I/O error text.
 */
class ServerTextRedactionTest {
    private IngestServer server;
    private final SecurityTesting t = new SecurityTesting();

    @BeforeEach
    void start() {
        server = new IngestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 418, 500, 502})
    void anErrorPageThatEchoesTheKeyIsRedacted(int status) {
        String key = IngestServer.API_KEY;
        String echo = "{\"message\":\"you sent {\\\"X-API-Key\\\": \\\"" + key + "\\\"} and "
                + key.substring(3, 12) + "\u001b[2K\r\n[logtide] INFO forged line\"}";
        server.respondWith(batch -> new MockResponse.Builder().code(status).body(echo + " ".repeat(200) + key).build());
        LogTideClient c = t.client(server.url(), key);
        c.info(null, "one");
        c.flush(5, TimeUnit.SECONDS);
        c.close(1, TimeUnit.SECONDS);
        assertTrue(server.requests().size() >= 1);
        assertTrue(t.said.stream().anyMatch(s -> s.contains(Redaction.REDACTED)), t.said::toString);
        assertEquals(0, t.leaks(key).size(), t.said::toString);
        assertFalse(t.said.stream().anyMatch(s -> s.contains("\u001b") || s.contains("\n") || s.contains("\r")),
                t.said::toString);
    }

    @Test
    void redactionComesBeforeTheCut() {
        String text = "x".repeat(290) + SecurityTesting.KEY;
        String shown = Redaction.outsideText(text, SecurityTesting.KEY, 300);
        assertFalse(shown.contains(SecurityTesting.KEY.substring(0, 6)), shown);
    }

    @Test
    void credentialsInAUrlAreRemoved() {
        String shown = Redaction.outsideText("Failed to connect to https://user:pa55word@proxy.example:8080/x", null, 300);
        assertEquals("Failed to connect to https://***@proxy.example:8080/x", shown);
    }

    @Test
    void credentialsTypedIntoAProxyHostAreRemovedButAnEmailAddressStays() {
        assertEquals("UnknownHostException: ***@proxy.example: invalid IPv6 address literal",
                Redaction.outsideText("UnknownHostException: alice:pa55word@proxy.example: invalid IPv6 address literal", null, 300));
        assertEquals("ask ops@example.com", Redaction.outsideText("ask ops@example.com", null, 300));
    }

    @Test
    void bidiOverridesAndInvisibleCharactersCannotDisguiseTheText() {
        // U+202E would show what follows right to left; U+200B and U+2028 are invisible or break the line.
        assertEquals("status: ok deliver", Redaction.outsideText("status: ‮ok​ deliver ", null, 300));
    }

    @Test
    void shortPiecesAndOtherTextStay() {
        assertEquals("lp_se and 01234", Redaction.outsideText("lp_se and 01234", SecurityTesting.KEY, 300));
    }
}
