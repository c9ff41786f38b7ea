package dev.logtide.spring.boot;

import dev.logtide.LogTideClient;
import dev.logtide.opentelemetry.LogTideOpenTelemetry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Span export to LogTide (SDK contract C24) when logtide-opentelemetry is on the class path, from
 * the same {@code logtide.*} connection properties as the logs: a {@link LogTideOpenTelemetry}
 * bean (OTLP/HTTP to {@code <api-url>/v1/otlp/traces}, resource {@code service.name},
 * {@code deployment.environment}, {@code service.version} from {@code logtide.service},
 * {@code logtide.tracing.environment}, {@code logtide.tracing.release}; sampler from
 * {@code logtide.tracing.sample-rate}), closed with the context, which exports what is queued.
 *
 * <p>When Micrometer Tracing's OpenTelemetry bridge is present, Spring Boot owns the
 * OpenTelemetry SDK and its exporters; a second SDK would start traces the application's
 * instrumentation never sees, so nothing is created and one INFO line says how to point Spring
 * Boot's own OTLP exporter at LogTide.
 */
@AutoConfiguration(after = LogTideAutoConfiguration.class)
@ConditionalOnClass(name = LogTideTracingAutoConfiguration.LOGTIDE_OPENTELEMETRY)
@ConditionalOnBean(name = LogTideLoggingListener.CLIENT_BEAN)
@ConditionalOnProperty(name = LogTideProperties.TRACING_ENABLED, matchIfMissing = true)
public class LogTideTracingAutoConfiguration {
    static final String LOGTIDE_OPENTELEMETRY = "dev.logtide.opentelemetry.LogTideOpenTelemetry";
    /** Micrometer Tracing's OpenTelemetry bridge: with it, Spring Boot builds the SDK. */
    static final String MICROMETER_OTEL_BRIDGE = "io.micrometer.tracing.otel.bridge.OtelTracer";

    /** Created by Spring Boot. */
    public LogTideTracingAutoConfiguration() {
    }

    /** No Micrometer Tracing bridge: LogTide builds the OpenTelemetry SDK. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(MICROMETER_OTEL_BRIDGE)
    static class OwnSdk {
        /**
         * @return the SDK exporting to LogTide, or {@code null} (no bean) after a WARN when the
         *     settings cannot make one: a wrong setting never stops the application
         */
        @Bean
        @ConditionalOnMissingBean(LogTideOpenTelemetry.class)
        LogTideOpenTelemetry logTideOpenTelemetry(LogTideClient logTideClient, Environment environment) {
            Log log = LogFactory.getLog(LogTideTracingAutoConfiguration.class);
            Binder binder = Binder.get(environment);
            double rate = sampleRate(binder, log);
            try {
                return LogTideOpenTelemetry.builder()
                        .clientOptions(logTideClient.options())
                        .environment(binder.bind(LogTideProperties.TRACING_ENVIRONMENT, String.class).orElse(null))
                        .release(binder.bind(LogTideProperties.TRACING_RELEASE, String.class).orElse(null))
                        .tracesSampleRate(rate)
                        // The context closes it (AutoCloseable); Spring Boot's own hook closes the context.
                        .registerShutdownHook(false)
                        .build();
            } catch (IllegalArgumentException e) {
                log.warn("LogTide span export is off: " + e.getMessage());
                return null;
            }
        }

        private static double sampleRate(Binder binder, Log log) {
            try {
                double rate = binder.bind(LogTideProperties.TRACING_SAMPLE_RATE, Double.class)
                        .orElse(LogTideProperties.DEFAULT_TRACING_SAMPLE_RATE);
                if (rate >= 0.0 && rate <= 1.0) {
                    return rate;
                }
                log.warn(LogTideProperties.TRACING_SAMPLE_RATE + " must be between 0 and 1, was " + rate
                        + "; LogTide samples every trace (" + LogTideProperties.DEFAULT_TRACING_SAMPLE_RATE + ")");
            } catch (RuntimeException e) {
                log.warn(LogTideProperties.TRACING_SAMPLE_RATE + " is not a number; LogTide samples every trace ("
                        + LogTideProperties.DEFAULT_TRACING_SAMPLE_RATE + ")");
            }
            return LogTideProperties.DEFAULT_TRACING_SAMPLE_RATE;
        }
    }

    /** Micrometer Tracing with OpenTelemetry: Spring Boot's SDK, no second one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = MICROMETER_OTEL_BRIDGE)
    static class MicrometerTracing {
        @Bean
        SmartInitializingSingleton logTideTracingNotice(LogTideClient logTideClient) {
            String endpoint = logTideClient.options().apiUrl() + LogTideOpenTelemetry.TRACES_PATH;
            // Spring Boot 4 moved the OTLP exporter's properties.
            String prefix = String.valueOf(SpringBootVersion.getVersion()).startsWith("3.")
                    ? "management.otlp.tracing." : "management.opentelemetry.tracing.export.otlp.";
            return () -> LogFactory.getLog(LogTideTracingAutoConfiguration.class).info(
                    "LogTide creates no OpenTelemetry SDK: Micrometer Tracing's OpenTelemetry bridge uses Spring Boot's."
                            + " To send its spans to LogTide, set " + prefix + "endpoint=" + endpoint
                            + " and " + prefix + "headers.X-API-Key to the LogTide API key (docs/spring-boot.md, Tracing)");
        }
    }
}
