package dev.logtide.opentelemetry;

import java.net.http.HttpRequest;

/**
 * {@code traceparent} for the JDK's {@code java.net.http.HttpClient} (SDK contract C25). That client
 * has no interceptor chain; its extension point is the request builder, so this is a helper for the
 * builder rather than a wrapping {@code HttpClient} (a wrapper would have to follow every method
 * new JDKs add to {@code HttpClient}, such as Java 21's {@code close()} and {@code shutdown()}):
 *
 * <pre>{@code
 * HttpRequest request = JdkHttpTraceparent.addTo(HttpRequest.newBuilder(uri).GET()).build();
 * client.send(request, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Call it on the thread that sends, while the span is current, after the URI and your own
 * headers are set.
 */
public final class JdkHttpTraceparent {
    private JdkHttpTraceparent() {
    }

    /**
     * Adds {@code traceparent} ({@link Traceparent#current()}) when there is an active trace and the
     * builder has no {@code traceparent} header yet; otherwise leaves the builder as it is.
     *
     * @param builder a request builder with its URI set
     * @return the same builder
     * @throws IllegalStateException when the builder has no URI yet (from {@link HttpRequest.Builder#build()})
     */
    public static HttpRequest.Builder addTo(HttpRequest.Builder builder) {
        // Headers cannot be read from a builder: look at what a copy would send.
        if (builder.copy().build().headers().firstValue(Traceparent.HEADER).isEmpty()) {
            String traceparent = Traceparent.current();
            if (traceparent != null) {
                builder.header(Traceparent.HEADER, traceparent);
            }
        }
        return builder;
    }
}
