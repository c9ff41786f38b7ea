package dev.logtide.opentelemetry.spring;

import dev.logtide.opentelemetry.Traceparent;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;

/**
 * Adds {@code traceparent} to requests of Spring's {@code RestClient} (and {@code RestTemplate})
 * (SDK contract C25): {@link Traceparent#current()}, only when there is an active trace and the
 * request carries no {@code traceparent} yet.
 *
 * <pre>{@code
 * RestClient client = RestClient.builder()
 *         .requestInterceptor(new TraceparentRequestInterceptor())
 *         .build();
 * }</pre>
 *
 * <p>A {@code RestClient.Builder} from Spring Boot with Micrometer Tracing already propagates the
 * trace; the header it sets is left as it is, so adding this one as well never makes two.
 * Needs Spring Framework 6.1 or later (RestClient) and so Java 17.
 */
public final class TraceparentRequestInterceptor implements ClientHttpRequestInterceptor {
    /** Creates the interceptor; it holds no state. */
    public TraceparentRequestInterceptor() {
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        if (!request.getHeaders().containsKey(Traceparent.HEADER)) {
            String traceparent = Traceparent.current();
            if (traceparent != null) {
                request.getHeaders().set(Traceparent.HEADER, traceparent);
            }
        }
        return execution.execute(request, body);
    }
}
