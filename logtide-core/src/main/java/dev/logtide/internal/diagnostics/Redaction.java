package dev.logtide.internal.diagnostics;

import java.util.regex.Pattern;

/**
 * Makes text from outside (a server's or proxy's error body, an I/O error message) safe to show in
 * a diagnostic: the API key and any piece of it of {@value #MIN_PIECE} or more characters are
 * replaced, credentials in URLs are removed, and control characters (line breaks, terminal
 * escapes) cannot forge or hide lines. Redaction comes before truncation, so a cut can never leave
 * part of the key behind.
 */
public final class Redaction {
    /** The shortest run of the key's characters that is replaced. */
    public static final int MIN_PIECE = 6;
    /** What replaces the key or a piece of it. */
    public static final String REDACTED = "[REDACTED]";
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
    /**
     * {@code user:pass@host} without a scheme, as typed into a proxy host setting
     * ({@code https.proxyHost}); the I/O error then quotes it. Only with a colon, so an e-mail
     * address stays as it is.
     */
    private static final Pattern BARE_USER_INFO = Pattern.compile("(?<=^|[\\s(\\[\"'=,;])[^\\s/@:\"']+:[^\\s/@\"']*@(?=[\\w\\[])");

    private Redaction() {
    }

    /**
     * @param text   text from outside, or {@code null}
     * @param secret the API key, or {@code null}
     * @param max    the most characters kept after redaction; longer text ends with "..."
     * @return the text, safe to show
     */
    public static String outsideText(String text, String secret, int max) {
        if (text == null) {
            return null;
        }
        String safe = USER_INFO.matcher(withoutSecret(text, secret)).replaceAll("$1***@");
        safe = BARE_USER_INFO.matcher(safe).replaceAll("***@");
        StringBuilder out = new StringBuilder(Math.min(safe.length(), max + 3));
        for (int i = 0; i < safe.length() && out.length() < max; i++) {
            char c = safe.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                out.append(' ');
            } else if (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f) && !invisible(c)) {
                out.append(c);
            }
        }
        if (out.length() >= max && safe.length() > max) {
            out.append("...");
        }
        return out.toString();
    }

    /** Replaces every run of {@link #MIN_PIECE} or more characters that also occurs in the secret. */
    private static String withoutSecret(String text, String secret) {
        if (secret == null || secret.length() < MIN_PIECE || text.length() < MIN_PIECE) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i <= text.length() - MIN_PIECE) {
            int longest = longestPieceAt(text, i, secret);
            if (longest >= MIN_PIECE) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, i).append(REDACTED);
                i += longest;
                copied = i;
            } else {
                i++;
            }
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static int longestPieceAt(String text, int at, String secret) {
        int longest = 0;
        for (int j = 0; j < secret.length(); j++) {
            int n = 0;
            while (at + n < text.length() && j + n < secret.length() && text.charAt(at + n) == secret.charAt(j + n)) {
                n++;
            }
            longest = Math.max(longest, n);
        }
        return longest;
    }

    /**
     * Format characters (bidirectional overrides such as U+202E, zero-width characters) and the
     * Unicode line and paragraph separators: they can make a diagnostic display as something
     * other than what it says.
     */
    private static boolean invisible(char c) {
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
