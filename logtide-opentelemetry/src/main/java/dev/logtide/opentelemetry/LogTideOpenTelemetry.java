package dev.logtide.opentelemetry;

import dev.logtide.ClientOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The OpenTelemetry SDK set up to export spans to LogTide in one call (SDK contract C24):
 *
 * <pre>{@code
 * try (LogTideOpenTelemetry otel = LogTideOpenTelemetry.builder()
 *         .dsn("https://lp_key@logtide.example.com")
 *         .service("checkout")
 *         .environment("production")
 *         .release("1.4.2")
 *         .tracesSampleRate(0.25)
 *         .build()) {
 *     Tracer tracer = otel.tracer("checkout");
 *     ...
 * }
 * }</pre>
 *
 * <p>What it builds, with the official OTLP exporter ({@code opentelemetry-exporter-otlp}):
 * <ul>
 *   <li>spans exported over OTLP/HTTP (protobuf) to {@code <apiUrl>/v1/otlp/traces}, the URL's
 *       base path kept (the server's OTLP route; it needs LogTide 0.7.0 or later), with the key
 *       in the {@code X-API-Key} header;</li>
 *   <li>resource {@code service.name} (required), {@code deployment.environment} and
 *       {@code service.version} (each when set), on top of the SDK's default resource;</li>
 *   <li>sampler {@code ParentBased(TraceIdRatioBased(tracesSampleRate))}: a root span is sampled
 *       with that probability, a child follows its parent;</li>
 *   <li>a batch span processor (the SDK's defaults: 5 s delay, batches of 512, queue of 2,048);</li>
 *   <li>W3C {@code traceparent} and {@code baggage} propagators;</li>
 *   <li>{@link #close()}, and a JVM shutdown hook unless turned off, that export what is queued
 *       and shut the SDK down.</li>
 * </ul>
 *
 * <p>Log entries need nothing from this class: the trace and span ids of the current span reach
 * them whenever this module is on the class path ({@link OpenTelemetrySpanSource}).
 *
 * <p>Thread-safe. The API key is never part of {@link #toString()} or of an error message.
 */
public final class LogTideOpenTelemetry implements AutoCloseable {
    /** The server's OTLP traces route, appended to the API URL. */
    public static final String TRACES_PATH = "/v1/otlp/traces";
    /** The resource attribute naming the environment. */
    public static final AttributeKey<String> DEPLOYMENT_ENVIRONMENT = AttributeKey.stringKey("deployment.environment");
    /** The resource attribute naming the service. */
    public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    /** The resource attribute naming the release. */
    public static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");

    private final OpenTelemetrySdk sdk;
    private final String endpoint;
    private final String service;
    private final double tracesSampleRate;
    private final long closeTimeoutMs;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LogTideOpenTelemetry(Builder b, String apiUrl, String apiKey) {
        this.endpoint = apiUrl + TRACES_PATH;
        this.service = b.service;
        this.tracesSampleRate = b.tracesSampleRate;
        this.closeTimeoutMs = b.closeTimeoutMs;
        AttributesBuilder attributes = Attributes.builder().put(SERVICE_NAME, b.service);
        if (b.environment != null) {
            attributes.put(DEPLOYMENT_ENVIRONMENT, b.environment);
        }
        if (b.release != null) {
            attributes.put(SERVICE_VERSION, b.release);
        }
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .addHeader("X-API-Key", apiKey)
                .build();
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(attributes.build())))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(b.tracesSampleRate)))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        this.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        if (b.registerShutdownHook) {
            shutdownHook = new Thread(this::shutdownNow, "logtide-otel-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configured SDK: pass it to instrumentation that takes an {@code OpenTelemetry} */
    public OpenTelemetrySdk openTelemetry() {
        return sdk;
    }

    /** @return the SDK's tracer provider */
    public SdkTracerProvider tracerProvider() {
        return sdk.getSdkTracerProvider();
    }

    /**
     * @param instrumentationScopeName the name of the library or component creating spans
     * @return a tracer of this SDK
     */
    public Tracer tracer(String instrumentationScopeName) {
        return sdk.getTracer(instrumentationScopeName);
    }

    /** @return where spans are sent: {@code <apiUrl>/v1/otlp/traces} */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Exports the spans ended so far and waits for the export.
     *
     * @param timeoutMs the longest wait, in milliseconds
     * @return whether the export finished in time ({@code false} also after {@link #close()}). A
     *     server that refuses the spans (a wrong key is a 401) is not reported here: the OTLP
     *     exporter reports it through {@code java.util.logging}, under {@code io.opentelemetry.exporter}
     */
    public boolean flush(long timeoutMs) {
        CompletableResultCode result = sdk.getSdkTracerProvider().forceFlush().join(timeoutMs, TimeUnit.MILLISECONDS);
        return result.isSuccess();
    }

    /**
     * Exports what is queued and shuts the SDK down, waiting at most {@code closeTimeoutMs}. Spans
     * ended afterwards are dropped. Idempotent.
     */
    @Override
    public void close() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs, or is running, this same work
            }
        }
        shutdownNow();
    }

    private void shutdownNow() {
        if (closed.compareAndSet(false, true)) {
            sdk.shutdown().join(closeTimeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public String toString() {
        return "LogTideOpenTelemetry{endpoint=" + endpoint + ", apiKey=****, service=" + service
                + ", tracesSampleRate=" + tracesSampleRate + "}";
    }

    /** Builds a {@link LogTideOpenTelemetry}. Setters name the options as documented in docs/opentelemetry.md. */
    public static final class Builder {
        private final ClientOptions.Builder connection = ClientOptions.builder();
        private String service;
        private String environment;
        private String release;
        private double tracesSampleRate = 1.0;
        private long closeTimeoutMs = 5000;
        private boolean registerShutdownHook = true;

        private Builder() {
        }

        /**
         * Takes the server URL, the API key and (when set) the service name of a client's options,
         * so spans go where the logs go.
         *
         * @param options a client's options
         * @return this builder
         */
        public Builder clientOptions(ClientOptions options) {
            connection.apiUrl(options.apiUrl()).apiKey(options.apiKey());
            if (options.service() != null) {
                service(options.service());
            }
            return this;
        }

        /**
         * @param dsn {@code https://lp_key@host[:port][/base]}; sets the API URL and key
         * @return this builder
         * @throws IllegalArgumentException when it is not such a URL (the message never shows the key)
         */
        public Builder dsn(String dsn) {
            connection.dsn(dsn);
            return this;
        }

        /**
         * @param apiUrl the server's base URL, {@code http(s)://host[:port][/base]}; spans go to
         *               {@code <apiUrl>/v1/otlp/traces}
         * @return this builder
         */
        public Builder apiUrl(String apiUrl) {
            connection.apiUrl(apiUrl);
            return this;
        }

        /**
         * @param apiKey the project API key, {@code lp_...}, sent in {@code X-API-Key}
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            connection.apiKey(apiKey);
            return this;
        }

        /**
         * @param service the resource's {@code service.name} (required); use the service name your
         *                log entries carry, so LogTide shows both under one service
         * @return this builder
         */
        public Builder service(String service) {
            this.service = blankToNull(service);
            return this;
        }

        /**
         * @param environment the resource's {@code deployment.environment}, e.g. {@code production};
         *                    left out when {@code null} or blank (the default)
         * @return this builder
         */
        public Builder environment(String environment) {
            this.environment = blankToNull(environment);
            return this;
        }

        /**
         * @param release the resource's {@code service.version}; left out when {@code null} or blank (the default)
         * @return this builder
         */
        public Builder release(String release) {
            this.release = blankToNull(release);
            return this;
        }

        /**
         * @param rate the probability, 0 to 1, that a trace started here (a root span) is sampled
         *             and exported; a child span follows its parent's decision. 0 exports no root
         *             span; default 1
         * @return this builder
         */
        public Builder tracesSampleRate(double rate) {
            this.tracesSampleRate = rate;
            return this;
        }

        /**
         * @param ms how long {@link LogTideOpenTelemetry#close()} and the shutdown hook may spend
         *           exporting queued spans, in milliseconds; default 5000
         * @return this builder
         */
        public Builder closeTimeoutMs(long ms) {
            this.closeTimeoutMs = ms;
            return this;
        }

        /**
         * @param on close (export queued spans, shut down) in a JVM shutdown hook; default true
         * @return this builder
         */
        public Builder registerShutdownHook(boolean on) {
            this.registerShutdownHook = on;
            return this;
        }

        /**
         * @return the SDK, exporting to LogTide
         * @throws IllegalArgumentException naming the first option that is missing or invalid
         */
        public LogTideOpenTelemetry build() {
            ClientOptions checked = connection.service(service).build(); // URL and key rules, messages without the key
            if (service == null) {
                throw new IllegalArgumentException("service is required (the resource's service.name)");
            }
            if (!(tracesSampleRate >= 0.0 && tracesSampleRate <= 1.0)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "tracesSampleRate must be between 0 and 1, was %s", tracesSampleRate));
            }
            if (closeTimeoutMs < 0) {
                throw new IllegalArgumentException("closeTimeoutMs must not be negative, was " + closeTimeoutMs);
            }
            return new LogTideOpenTelemetry(this, checked.apiUrl(), checked.apiKey());
        }

        /**
         * Builds, and registers the SDK as {@link GlobalOpenTelemetry}, for instrumentation that
         * takes the global instance.
         *
         * @return the SDK, exporting to LogTide
         * @throws IllegalArgumentException naming the first option that is missing or invalid
         * @throws IllegalStateException when a global OpenTelemetry was already set (nothing is left running then)
         */
        public LogTideOpenTelemetry buildAndRegisterGlobal() {
            LogTideOpenTelemetry built = build();
            try {
                GlobalOpenTelemetry.set(built.sdk);
            } catch (IllegalStateException e) {
                built.close();
                throw e;
            }
            return built;
        }

        private static String blankToNull(String s) {
            return s == null || s.trim().isEmpty() ? null : s.trim();
        }
    }
}
