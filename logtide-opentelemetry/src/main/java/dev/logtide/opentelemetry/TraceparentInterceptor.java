package dev.logtide.opentelemetry;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;

/**
 * An OkHttp application interceptor that adds {@code traceparent} to outgoing requests (SDK
 * contract C25): {@code 00-<trace id>-<parent id>-01} from {@link Traceparent#current()}, only when
 * there is an active trace and the request carries no {@code traceparent} yet. Any other request
 * passes untouched; no other header is added.
 *
 * <pre>{@code
 * OkHttpClient http = new OkHttpClient.Builder()
 *         .addInterceptor(new TraceparentInterceptor())
 *         .build();
 * }</pre>
 *
 * <p>Add it to the application's own clients only. LogTide's own delivery client never carries
 * it, so the requests that ship logs are never part of the application's traces. Where the
 * OpenTelemetry Java agent instruments OkHttp, the agent's header replaces this one on the wire
 * (one header, the agent's client span as parent).
 */
public final class TraceparentInterceptor implements Interceptor {
    /** Creates the interceptor; it holds no state and may be shared by any number of clients. */
    public TraceparentInterceptor() {
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.header(Traceparent.HEADER) == null) {
            String traceparent = Traceparent.current();
            if (traceparent != null) {
                request = request.newBuilder().header(Traceparent.HEADER, traceparent).build();
            }
        }
        return chain.proceed(request);
    }
}
