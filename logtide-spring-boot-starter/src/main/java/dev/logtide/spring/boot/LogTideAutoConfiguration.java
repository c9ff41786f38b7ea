package dev.logtide.spring.boot;

import dev.logtide.LogTideClient;
import dev.logtide.http.HttpLogOptions;
import dev.logtide.servlet.LogTideFilter;
import dev.logtide.spring.webflux.LogTideWebFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * What the starter adds to the application context once {@link LogTideLoggingListener} has
 * attached the appender and registered its client as {@value LogTideLoggingListener#CLIENT_BEAN}:
 * request logging for servlet and WebFlux applications ({@code logtide.http.*}), Micrometer
 * meters and an Actuator health contributor when those are present.
 */
@AutoConfiguration
@ConditionalOnBean(name = LogTideLoggingListener.CLIENT_BEAN)
public class LogTideAutoConfiguration {
    /**
     * Runs just after Micrometer's observation filter ({@code HIGHEST_PRECEDENCE + 1}), so the trace
     * id it opens is the request's, and before Spring Security, so refused requests are logged too.
     */
    static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    /** Created by Spring Boot. */
    public LogTideAutoConfiguration() {
    }

    /** Servlet applications (Spring MVC): {@link LogTideFilter} on every request. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    @ConditionalOnProperty(name = LogTideProperties.HTTP_ENABLED, matchIfMissing = true)
    static class ServletRequestLogging {
        @Bean
        @ConditionalOnMissingBean(LogTideFilter.class)
        OrderedLogTideFilter logTideFilter(LogTideClient logTideClient, Environment environment) {
            return new OrderedLogTideFilter(httpOptions(logTideClient, environment));
        }
    }

    /** WebFlux applications: {@link LogTideWebFilter} on every exchange. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
    @ConditionalOnProperty(name = LogTideProperties.HTTP_ENABLED, matchIfMissing = true)
    static class ReactiveRequestLogging {
        @Bean
        @ConditionalOnMissingBean(LogTideWebFilter.class)
        LogTideWebFilter logTideWebFilter(LogTideClient logTideClient, Environment environment) {
            return new LogTideWebFilter(httpOptions(logTideClient, environment));
        }
    }

    /** Micrometer: the client's figures as {@code logtide.*} meters ({@link LogTideMeters}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean(LogTideMeters.class)
        LogTideMeters logTideMeters(LogTideClient logTideClient) {
            return new LogTideMeters(logTideClient);
        }
    }

    /** Actuator on Spring Boot 3: the health contributor {@code logTide} ({@link LogTideHealth}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot3Health {
        @Bean
        @ConditionalOnMissingBean(name = "logTideHealthIndicator")
        Boot3HealthIndicator logTideHealthIndicator(LogTideClient logTideClient) {
            return new Boot3HealthIndicator(logTideClient);
        }
    }

    /** Actuator on Spring Boot 4: the same contributor through its new health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4Health {
        @Bean
        @ConditionalOnMissingBean(name = "logTideHealthIndicator")
        Boot4HealthIndicator logTideHealthIndicator(LogTideClient logTideClient) {
            return new Boot4HealthIndicator(logTideClient);
        }
    }

    /** The filter with its place in the chain: Spring Boot orders filter beans by {@link Ordered}. */
    static final class OrderedLogTideFilter extends LogTideFilter implements Ordered {
        OrderedLogTideFilter(HttpLogOptions options) {
            super(options);
        }

        @Override
        public int getOrder() {
            return FILTER_ORDER;
        }
    }

    private static HttpLogOptions httpOptions(LogTideClient client, Environment environment) {
        String enabled = environment.getProperty(LogTideProperties.HTTP_ENABLED);
        if (enabled != null && !"true".equalsIgnoreCase(enabled) && !"false".equalsIgnoreCase(enabled)) {
            // @ConditionalOnProperty turns request logging on for any value but "false": say so.
            org.apache.commons.logging.LogFactory.getLog(LogTideAutoConfiguration.class)
                    .warn("LogTide request logging is on: " + LogTideProperties.HTTP_ENABLED
                            + " must be true or false, was '" + enabled + "'");
        }
        HttpLogOptions.Builder b;
        try {
            b = LogTideProperties.httpOptions(environment);
        } catch (IllegalArgumentException e) {
            // A wrong logtide.http.* value must not stop the application: the defaults log requests.
            org.apache.commons.logging.LogFactory.getLog(LogTideAutoConfiguration.class)
                    .warn("LogTide request logging uses its defaults: " + e.getMessage());
            b = HttpLogOptions.builder();
        }
        return b.client(client).build();
    }
}
