package dev.logtide.http;

import dev.logtide.testing.PublicApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;

/** The API of the request logging's package, dev.logtide.http, changes only on purpose. */
class PublicApiTest {
    @Test
    void thePublicApiIsTheCheckedInOne() throws IOException {
        PublicApi.check();
    }
}
