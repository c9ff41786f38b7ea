package dev.logtide.security;

import dev.logtide.ClientOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 22 row 1: a key with a character a header cannot carry is refused at configuration, naming the character, never the key. */
class KeyCharactersTest {
    @ParameterizedTest
    @ValueSource(strings = {"\u00a0", "\ufeff", "\u200b", "\nx", "\u00e9", " x"})
    void aKeyWithAPastedCharacterIsRefusedWithItsCodePointAndPosition(String pasted) {
        String key = SecurityTesting.KEY + pasted;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientOptions.builder().apiUrl("https://logs.example.com").apiKey(key).build());
        int at = SecurityTesting.KEY.length() + 1; // a line break or space at the very end is trimmed, harmlessly
        String codePoint = String.format("U+%04X", (int) pasted.charAt(0));
        assertTrue(e.getMessage().contains(codePoint) && e.getMessage().contains("position " + at), e.getMessage());
        assertFalse(e.getMessage().contains("secretKey"), e.getMessage());
    }
}
