package dev.logtide.testing;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.function.Function;

/** What the test servers share: a MockWebServer on 127.0.0.1 with an ephemeral port. */
public final class LoopbackServer {
    private LoopbackServer() {
    }

    /**
     * @param handler answers every request
     * @return the started server
     */
    public static MockWebServer start(Function<RecordedRequest, MockResponse> handler) {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handler.apply(request);
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    /**
     * @param server a started server
     * @return its base URL, without a trailing slash
     */
    public static String baseUrl(MockWebServer server) {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }
}
