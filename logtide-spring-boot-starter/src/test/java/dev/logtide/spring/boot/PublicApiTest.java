package dev.logtide.spring.boot;

import dev.logtide.testing.PublicApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;

/** The API of the starter's package, dev.logtide.spring.boot, changes only on purpose. */
class PublicApiTest {
    @Test
    void thePublicApiIsTheCheckedInOne() throws IOException {
        PublicApi.check();
    }
}
