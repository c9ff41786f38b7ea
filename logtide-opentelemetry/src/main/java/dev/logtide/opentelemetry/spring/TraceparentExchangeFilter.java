package dev.logtide.opentelemetry.spring;

import dev.logtide.opentelemetry.Traceparent;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Adds {@code traceparent} to requests of Spring's {@code WebClient} (SDK contract C25):
 * {@link Traceparent#current()} on the thread that runs the filter, only when there is an active
 * trace and the request carries no {@code traceparent} yet.
 *
 * <pre>{@code
 * WebClient client = WebClient.builder()
 *         .filter(new TraceparentExchangeFilter())
 *         .build();
 * }</pre>
 *
 * <p>The filter runs when the request is subscribed to: subscribe on the thread where the span is
 * current (as a blocking call, or a chain started from a handler that holds the span). A
 * {@code WebClient.Builder} from Spring Boot with Micrometer Tracing already propagates the trace
 * from the Reactor context; its header is left as it is. Needs Spring Framework 6 and so Java 17.
 */
public final class TraceparentExchangeFilter implements ExchangeFilterFunction {
    /** Creates the filter; it holds no state. */
    public TraceparentExchangeFilter() {
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        if (!request.headers().containsKey(Traceparent.HEADER)) {
            String traceparent = Traceparent.current();
            if (traceparent != null) {
                request = ClientRequest.from(request).header(Traceparent.HEADER, traceparent).build();
            }
        }
        return next.exchange(request);
    }
}
