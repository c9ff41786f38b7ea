package dev.logtide.internal.entry;

/**
 * String rules every value obeys before it is sent: no NUL characters and no lone UTF-16
 * surrogates (PostgreSQL rejects both with a 500 for the whole batch), and a bounded length.
 */
public final class Text {
    private static final int MIN_BASE64_LENGTH = 100;

    private Text() {
    }

    /**
     * Removes NUL characters and unpaired surrogates, and truncates to {@code maxChars} followed by
     * {@code marker}. Returns the same instance when nothing needs to change.
     *
     * @param s        a string, possibly {@code null}
     * @param maxChars the longest allowed length before the marker
     * @param marker   appended to a truncated string
     * @return the clean string, or {@code null} for {@code null}
     */
    public static String clean(String s, int maxChars, String marker) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int firstBad = -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                if (c != 0 && Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                firstBad = i;
                break;
            }
        }
        String out = s;
        if (firstBad >= 0) {
            StringBuilder b = new StringBuilder(n);
            b.append(s, 0, firstBad);
            for (int i = firstBad; i < n; i++) {
                char c = s.charAt(i);
                if (c == 0) {
                    continue;
                }
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    }
                    continue;
                }
                if (Character.isLowSurrogate(c)) {
                    continue;
                }
                b.append(c);
            }
            out = b.toString();
        }
        if (out.length() > maxChars) {
            int cut = maxChars;
            if (cut > 0 && Character.isHighSurrogate(out.charAt(cut - 1))) {
                cut--; // never split a surrogate pair
            }
            out = out.substring(0, cut) + marker;
        }
        return out;
    }

    /**
     * The bytes Jackson writes for {@code s} as a JSON string value, quotes included, once
     * {@link #clean} has removed NUL characters and lone surrogates: counted, not written, so the
     * size of an entry with a huge message is known without producing it.
     *
     * @param s a string
     * @return its encoded length in bytes
     */
    static long jsonLength(String s) {
        long bytes = 2;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 2;
            } else if (c == 0) {
                continue;
            } else if (c < 0x20) {
                bytes += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
            } else if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                // Jackson's UTF-8 generator writes a character outside the BMP as two six-byte escapes
                // (COMBINE_UNICODE_SURROGATES_IN_UTF8 is off by default), not as 4 bytes.
                bytes += 12;
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Removes trailing line breaks: layouts and formatters written for files end every record with
     * one, which is noise in an entry's message.
     *
     * @param s a string, possibly {@code null}
     * @return it without trailing {@code \n} and {@code \r}
     */
    public static String stripLineEnd(String s) {
        if (s == null) {
            return null;
        }
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /**
     * The base64 rule, as docs/configuration.md states it: a {@code data:} URI, or a string of at
     * least 100 characters made only of the base64 alphabet ({@code A-Z a-z 0-9}, {@code + /} or
     * {@code - _}, line breaks, and at most two {@code =} at the end, before any final line breaks)
     * that contains an upper-case
     * letter, a lower-case letter and a digit.
     *
     * <p>Why the three kinds: base64 of random bytes uses all 64 symbols evenly, so any 100 of them
     * lack a digit with a probability below 10^-7 and a letter case below 10^-22; text made of the
     * same alphabet almost always lacks one kind: hex digests (one letter case), words and
     * identifiers (no digits), banners and rules ({@code ====}, {@code ----}), repeated letters,
     * long numbers.
     *
     * @param s a string
     * @return whether it is taken for inline binary data
     */
    public static boolean looksLikeBase64(String s) {
        if (isDataUri(s)) {
            return true;
        }
        int n = s.length();
        if (n < MIN_BASE64_LENGTH) {
            return false;
        }
        // Line breaks may follow the padding: MIME, PEM and openssl output end with one.
        int end = n;
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        int padding = 0;
        while (padding < end && s.charAt(end - 1 - padding) == '=') {
            padding++;
        }
        if (padding > 2) {
            return false;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0, last = end - padding; i < last; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '+' && c != '/' && c != '-' && c != '_' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return upper && lower && digit;
    }

    /**
     * {@code data:[mediatype][;base64],...} (RFC 2397), base64 or not (inline SVG is URL-encoded
     * text). The media type has no blanks, so prose such as "data: 3 rows" is not taken for one.
     */
    private static boolean isDataUri(String s) {
        // Most values do not start with a 'd': answer those without the case-insensitive compare.
        if (s.length() < 5 || (s.charAt(0) | 0x20) != 'd' || !s.regionMatches(true, 0, "data:", 0, 5)) {
            return false;
        }
        for (int i = 5; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',') {
                return true;
            }
            if (Character.isWhitespace(c)) {
                return false;
            }
        }
        return false;
    }

    /**
     * @param s a string, possibly {@code null}
     * @return whether it is exactly 16 hexadecimal characters (the server's span id rule)
     */
    public static boolean isSpanId(String s) {
        if (s == null || s.length() != 16) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            char c = s.charAt(i);
            // ASCII only: Character.digit also accepts full-width and other scripts' digits
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
