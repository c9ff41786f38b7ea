package dev.logtide.query;

/**
 * The server answered a read with an HTTP error status. Carries the status and the server's own
 * {@code error} and {@code message} fields when its answer had them; a 401 says the API key was
 * rejected (without printing it), a 403 that the server or a proxy refused the read.
 */
public class LogTideApiException extends LogTideQueryException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status. */
    private final int status;
    /** The answer's {@code error} field, or {@code null}. */
    private final String error;
    /** The answer's {@code message} field, or {@code null}. */
    private final String serverMessage;

    /**
     * @param message       the full explanation, naming the request; must not contain the API key
     * @param url           the request URL (without credentials)
     * @param status        the HTTP status
     * @param error         the answer's {@code error} field, or {@code null}
     * @param serverMessage the answer's {@code message} field (or the start of a non-JSON body), or {@code null}
     */
    public LogTideApiException(String message, String url, int status, String error, String serverMessage) {
        super(message, url, null);
        this.status = status;
        this.error = error;
        this.serverMessage = serverMessage;
    }

    /** @return the HTTP status, e.g. 401 */
    public int status() {
        return status;
    }

    /** @return the server's {@code error} field (e.g. {@code "Unauthorized"}), or {@code null} */
    public String error() {
        return error;
    }

    /** @return the server's {@code message} field (e.g. {@code "Invalid API key"}), or {@code null} */
    public String serverMessage() {
        return serverMessage;
    }
}
