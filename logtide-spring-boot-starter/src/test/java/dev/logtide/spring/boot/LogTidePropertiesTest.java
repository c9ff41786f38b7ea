package dev.logtide.spring.boot;

import dev.logtide.ClientOptions;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code logtide.*} properties through Spring's own binder, as an application's
 * {@code application.properties}, YAML (indexed lists, nested maps) and environment variables give them.
 */
class LogTidePropertiesTest {
    private static final String URL = "https://logtide.example.com";
    private static final String KEY = "lp_secret_key_0123";

    @Test
    void relaxedNamesListsMapsAndEnvironmentVariablesBind() {
        Map<String, Object> properties = connection();
        properties.put("logtide.batchSize", "500");
        properties.put("logtide.exclude-fields[0]", "password");
        properties.put("logtide.exclude-fields[1]", "token");
        properties.put("logtide.global-metadata.region", "eu-west-1");
        properties.put("logtide.auto-trace-id", "true");
        StandardEnvironment environment = environment(properties);
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("LOGTIDE_MAXRETRIES", "7", "LOGTIDE_FLUSH_INTERVAL_MS", "250")));

        ClientOptions options = LogTideProperties.clientOptions(environment);

        assertEquals(500, options.batchSize());
        assertEquals(7, options.maxRetries());
        assertEquals(250, options.flushIntervalMs());
        assertEquals(List.of("password", "token"), List.copyOf(options.payloadLimits().excludeFields()));
        assertEquals(Map.of("region", "eu-west-1"), options.globalMetadata());
        assertTrue(options.autoTraceId());
        assertEquals(URL, options.apiUrl());
    }

    @Test
    void commaSeparatedTextIsAListToo() {
        Map<String, Object> properties = connection();
        properties.put("logtide.exclude-fields", "password, token");
        ClientOptions options = LogTideProperties.clientOptions(environment(properties));
        assertEquals(List.of("password", "token"), List.copyOf(options.payloadLimits().excludeFields()));
    }

    @Test
    void theServiceIsSpringApplicationNameUnlessSet() {
        Map<String, Object> properties = connection();
        properties.put("spring.application.name", "checkout");
        assertEquals("checkout", LogTideProperties.clientOptions(environment(properties)).service());
        properties.put("logtide.service", "billing");
        assertEquals("billing", LogTideProperties.clientOptions(environment(properties)).service());
    }

    @Test
    void aDsnIsEnough() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("logtide.dsn", "https://" + KEY + "@logtide.example.com");
        ClientOptions options = LogTideProperties.clientOptions(environment(properties));
        assertEquals(URL, options.apiUrl());
        assertEquals(KEY, options.apiKey());
    }

    @Test
    void wrongValuesAreNamedByTheirPropertyWithoutTheKey() {
        Map<String, Object> properties = connection();
        properties.put("logtide.batch-size", "5000");
        assertEquals("logtide.batch-size: batchSize must be between 1 and 1000, was 5000",
                assertThrows(IllegalArgumentException.class, () -> LogTideProperties.clientOptions(environment(properties))).getMessage());

        properties.put("logtide.batch-size", "many");
        String notANumber = assertThrows(IllegalArgumentException.class,
                () -> LogTideProperties.clientOptions(environment(properties))).getMessage();
        assertTrue(notANumber.startsWith("logtide.batch-size must be a whole number, was 'many' ("), notANumber);

        properties.remove("logtide.batch-size");
        properties.put("logtide.auto-trace-id", "maybe");
        String notABoolean = assertThrows(IllegalArgumentException.class,
                () -> LogTideProperties.clientOptions(environment(properties))).getMessage();
        assertTrue(notABoolean.startsWith("logtide.auto-trace-id must be true or false, was 'maybe' ("), notABoolean);
        properties.remove("logtide.auto-trace-id");

        properties.put("logtide.sample-rate", "half");
        String notADecimal = assertThrows(IllegalArgumentException.class,
                () -> LogTideProperties.clientOptions(environment(properties))).getMessage();
        assertTrue(notADecimal.startsWith("logtide.sample-rate must be a decimal number, was 'half' ("), notADecimal);
        properties.put("logtide.sample-rate", "1.5");
        assertEquals("logtide.sample-rate: sampleRate must be between 0 and 1, was 1.5",
                assertThrows(IllegalArgumentException.class, () -> LogTideProperties.clientOptions(environment(properties))).getMessage());
        properties.put("logtide.sample-rate", "0.25");
        assertEquals(0.25, LogTideProperties.clientOptions(environment(properties)).sampleRate());
        properties.remove("logtide.sample-rate");

        properties.remove("logtide.batch-size");
        properties.put("logtide.api-url", "ftp://logtide.example.com");
        String badUrl = assertThrows(IllegalArgumentException.class,
                () -> LogTideProperties.clientOptions(environment(properties))).getMessage();
        assertTrue(badUrl.contains("http://") && badUrl.contains("https://"), badUrl);
        assertFalse(badUrl.contains(KEY), badUrl);
    }

    @Test
    void missingUrlAndKeyAreNamed() {
        assertEquals("logtide.api-url and logtide.api-key are not set (nor logtide.dsn)",
                assertThrows(IllegalArgumentException.class,
                        () -> LogTideProperties.clientOptions(environment(new HashMap<>()))).getMessage());
        Map<String, Object> urlOnly = new HashMap<>(Map.of("logtide.api-url", URL));
        assertEquals("logtide.api-key is not set (nor logtide.dsn)",
                assertThrows(IllegalArgumentException.class,
                        () -> LogTideProperties.clientOptions(environment(urlOnly))).getMessage());
    }

    @Test
    void httpOptionsBindFromListsAndText() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("logtide.http.skip-paths[0]", "/internal/**");
        properties.put("logtide.http.skip-paths[1]", "/metrics");
        properties.put("logtide.http.log-responses", "false");
        var options = LogTideProperties.httpOptions(environment(properties)).build();
        assertEquals(List.of("/internal/**", "/metrics"), options.skipPaths());
        assertFalse(options.logResponses());

        properties.put("logtide.http.log-requests", "sometimes");
        String message = assertThrows(IllegalArgumentException.class,
                () -> LogTideProperties.httpOptions(environment(properties))).getMessage();
        assertTrue(message.contains("logRequests"), message);
    }

    private static Map<String, Object> connection() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("logtide.api-url", URL);
        properties.put("logtide.api-key", KEY);
        return properties;
    }

    /** Only these properties: no system properties or variables of the machine running the test. */
    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
        return environment;
    }
}
