package dev.logtide.query;

/**
 * A read from the LogTide server failed: the server could not be reached, or its answer was not
 * what the API promises. {@link LogTideApiException}, a subclass, is an HTTP error answer. The
 * message names the request (method and URL) and never contains the API key.
 */
public class LogTideQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The request URL, without credentials. */
    private final String url;

    /**
     * @param message what went wrong, naming the request; must not contain the API key
     * @param url     the request URL (without credentials)
     * @param cause   the underlying error, or {@code null}
     */
    public LogTideQueryException(String message, String url, Throwable cause) {
        super(message, cause);
        this.url = url;
    }

    /** @return the URL of the failed request; it never contains credentials */
    public String url() {
        return url;
    }
}
