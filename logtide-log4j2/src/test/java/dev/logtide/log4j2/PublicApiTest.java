package dev.logtide.log4j2;

import dev.logtide.testing.PublicApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;

/** The API of the Log4j2 plugin's package, dev.logtide.log4j2, changes only on purpose. */
class PublicApiTest {
    @Test
    void thePublicApiIsTheCheckedInOne() throws IOException {
        PublicApi.check();
    }
}
