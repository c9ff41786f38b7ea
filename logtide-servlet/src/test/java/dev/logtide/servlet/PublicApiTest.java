package dev.logtide.servlet;

import dev.logtide.testing.PublicApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;

/** The API of the servlet filter's package, dev.logtide.servlet, changes only on purpose. */
class PublicApiTest {
    @Test
    void thePublicApiIsTheCheckedInOne() throws IOException {
        PublicApi.check();
    }
}
