package dev.logtide.opentelemetry;

import dev.logtide.testing.PublicApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;

/** The API of the OpenTelemetry module's packages, dev.logtide.opentelemetry and dev.logtide.opentelemetry.spring, changes only on purpose. */
class PublicApiTest {
    @Test
    void thePublicApiIsTheCheckedInOne() throws IOException {
        PublicApi.check();
    }
}
