package dev.logtide.entry;

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
     * @param s a string
     * @return whether it looks like inline binary data: a {@code data:} URI, or at least 100
     *     characters of nothing but the base64 alphabet
     */
    public static boolean looksLikeBase64(String s) {
        if (isDataUri(s)) {
            return true;
        }
        int n = s.length();
        if (n < MIN_BASE64_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == '\n' || c == '\r';
            if (!ok) {
                return false;
            }
        }
        return true;
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
