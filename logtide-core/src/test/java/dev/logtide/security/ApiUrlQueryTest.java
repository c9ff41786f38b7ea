package dev.logtide.security;

import dev.logtide.ClientOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 22 row 3: a query or fragment in apiUrl is refused at configuration, without echoing it. */
class ApiUrlQueryTest {
    @ParameterizedTest
    @ValueSource(strings = {"https://logs.example.com/?apiKey=" + SecurityTesting.KEY,
            "https://logs.example.com/base?token=" + SecurityTesting.KEY,
            "https://logs.example.com/#" + SecurityTesting.KEY})
    void aQueryOrFragmentIsRefusedWithoutEchoingIt(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientOptions.builder().apiUrl(url).apiKey("lp_other").build());
        assertTrue(e.getMessage().startsWith("apiUrl must not contain a query"), e.getMessage());
        assertFalse(e.getMessage().contains("secretKey"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://lp_key@logs.example.com/?apiKey=" + SecurityTesting.KEY,
            "https://lp_key@logs.example.com/#" + SecurityTesting.KEY})
    void aDsnWithAQueryOrFragmentIsRefusedNotSilentlyCut(String dsn) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientOptions.builder().dsn(dsn).build());
        assertTrue(e.getMessage().startsWith("dsn must not contain a query"), e.getMessage());
        assertFalse(e.getMessage().contains("secretKey"), e.getMessage());
    }
}
