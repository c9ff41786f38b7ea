package dev.logtide.internal.entry;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;

import static dev.logtide.internal.entry.EntryNormalisationTest.repeat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The base64 rule of docs/configuration.md, checked on many random inputs (a seeded loop, so a
 * failure names its input and repeats): base64 of random bytes is removed in every form the JDK
 * writes, and text made of the same alphabet is kept.
 */
class Base64RuleTest {
    private static final int SAMPLES = 20_000;
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String DIGITS = "0123456789";
    private static final String[] WORDS = {"order", "Payment", "provider", "SLOW", "retry", "Checkout", "user",
            "supercalifragilisticexpialidocious", "Request", "handler", "db", "Timeout", "cache", "miss"};

    @Test
    void base64OfRandomBytesIsRemoved() {
        Random random = new Random(13);
        for (int i = 0; i < SAMPLES; i++) {
            // 75 bytes are the shortest to encode to 100 characters
            byte[] bytes = new byte[75 + random.nextInt(i % 10 == 0 ? 20_000 : 600)];
            random.nextBytes(bytes);
            String encoded;
            switch (random.nextInt(5)) {
                case 0:
                    encoded = Base64.getEncoder().encodeToString(bytes);
                    break;
                case 1:
                    encoded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
                    break;
                case 2:
                    encoded = Base64.getUrlEncoder().encodeToString(bytes);
                    break;
                case 3:
                    encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                    break;
                default:
                    encoded = Base64.getMimeEncoder().encodeToString(bytes);
                    break;
            }
            assertTrue(Text.looksLikeBase64(encoded), "kept: " + encoded);
        }
    }

    @Test
    void textOfTheSameAlphabetIsKept() throws Exception {
        Random random = new Random(31);
        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        for (int i = 0; i < SAMPLES; i++) {
            int length = 100 + random.nextInt(i % 10 == 0 ? 20_000 : 400);
            String text;
            switch (random.nextInt(6)) {
                case 0: // hex digests, in either case
                    StringBuilder hex = new StringBuilder();
                    while (hex.length() < length) {
                        byte[] digest = sha512.digest(Long.toString(random.nextLong()).getBytes());
                        for (byte b : digest) {
                            hex.append(String.format("%02x", b));
                        }
                    }
                    text = random.nextBoolean() ? hex.toString() : hex.toString().toUpperCase();
                    break;
                case 1: // words and identifiers, any case, joined by the alphabet's punctuation
                    text = join(random, length, WORDS, random.nextBoolean() ? "" : random.nextBoolean() ? "-" : "_");
                    break;
                case 2: // banners, rules and runs of one character
                    char c = "=-_+/yA7".charAt(random.nextInt(8));
                    text = repeat(c, length);
                    break;
                case 3: // long numbers
                    text = randomOf(random, DIGITS, length);
                    break;
                case 4: // lower-case identifiers with numbers: snake_case, kebab-case
                    text = join(random, length, new String[] {"user", "id", "42", "node", "7", "shard", "2026"},
                            random.nextBoolean() ? "_" : "-").toLowerCase();
                    break;
                default: // random letters of both cases without a digit, random letters and digits of one case
                    text = random.nextBoolean() ? randomOf(random, UPPER + LOWER + "+/", length)
                            : randomOf(random, (random.nextBoolean() ? UPPER : LOWER) + DIGITS + "-_", length);
                    break;
            }
            assertFalse(Text.looksLikeBase64(text), "removed: " + text);
        }
    }

    @Test
    void anyCharacterOutsideTheAlphabetKeepsTheString() {
        Random random = new Random(7);
        for (int i = 0; i < SAMPLES; i++) {
            byte[] bytes = new byte[75 + random.nextInt(600)];
            random.nextBytes(bytes);
            StringBuilder b = new StringBuilder(Base64.getEncoder().withoutPadding().encodeToString(bytes));
            b.insert(random.nextInt(b.length()), " .:,;!?@#%&*()[]{}<>\"'é\t".charAt(random.nextInt(24)));
            assertFalse(Text.looksLikeBase64(b.toString()), "removed: " + b);
        }
    }

    @Test
    void lineBreaksAfterThePaddingDoNotKeepBase64() {
        // MIME, PEM bodies and openssl output end with a line break after "==": the rule allows line
        // breaks, so trailing ones must not defeat it.
        Random random = new Random(5);
        for (int i = 0; i < SAMPLES / 10; i++) {
            byte[] bytes = new byte[75 + random.nextInt(2000)];
            random.nextBytes(bytes);
            String body = random.nextBoolean() ? Base64.getMimeEncoder().encodeToString(bytes)
                    : Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(bytes);
            String end = new String[] {"\n", "\r\n", "\n\n"}[random.nextInt(3)];
            assertTrue(Text.looksLikeBase64(body + end), "kept: " + body + end);
        }
        byte[] bytes = new byte[100]; // 100 bytes: padded with "=="
        new Random(1).nextBytes(bytes);
        String padded = Base64.getEncoder().encodeToString(bytes);
        assertTrue(padded.endsWith("=="), padded);
        assertTrue(Text.looksLikeBase64(padded + "\n"));
        assertTrue(Text.looksLikeBase64(padded + "\r\n"));
        // ... but the line breaks do not hide a third "=" or a character outside the alphabet
        assertFalse(Text.looksLikeBase64(padded + "=\n"));
        assertFalse(Text.looksLikeBase64(padded + "\n."));
        assertFalse(Text.looksLikeBase64(repeat('=', 120) + "\n"));
    }

    @Test
    void theIssuesExamples() throws Exception {
        // issue 13, row 2: kept
        byte[] digest = MessageDigest.getInstance("SHA-512").digest("x".getBytes());
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(String.format("%02x", b));
        }
        assertFalse(Text.looksLikeBase64(hex.toString()));
        assertFalse(Text.looksLikeBase64(String.join("", java.util.Collections.nCopies(4,
                "Supercalifragilisticexpialidocious"))));
        assertFalse(Text.looksLikeBase64(repeat('=', 120)));
        assertFalse(Text.looksLikeBase64(repeat('-', 120)));
        assertFalse(Text.looksLikeBase64(repeat('y', 20_000)));
        // row 3: removed
        byte[] bytes = new byte[300];
        new Random(3).nextBytes(bytes);
        assertTrue(Text.looksLikeBase64(Base64.getEncoder().encodeToString(bytes)));
        assertTrue(Text.looksLikeBase64(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
        assertTrue(Text.looksLikeBase64("data:image/png;base64,iVBORw0KGgo="));
        assertTrue(Text.looksLikeBase64("data:text/plain,hello"));
    }

    private static String join(Random random, int length, String[] words, String separator) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            if (b.length() > 0) {
                b.append(separator);
            }
            b.append(words[random.nextInt(words.length)]);
        }
        return b.toString();
    }

    private static String randomOf(Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
