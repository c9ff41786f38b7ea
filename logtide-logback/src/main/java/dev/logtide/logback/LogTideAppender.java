package dev.logtide.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.LifeCycle;
import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.internal.config.ClientSettings;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Logback appender that ships events to a LogTide server.
 *
 * <pre>{@code
 * <appender name="LOGTIDE" class="dev.logtide.logback.LogTideAppender">
 *   <apiUrl>${LOGTIDE_API_URL}</apiUrl>
 *   <apiKey>${LOGTIDE_API_KEY}</apiKey>
 *   <service>checkout</service>
 * </appender>
 * }</pre>
 *
 * <p>Every client option ({@link ClientOption#all()}) is an element of the same name, given as
 * text and parsed by the core; options left unset fall back to the {@code LOGTIDE_*} environment
 * variables. In code, {@link #setOptions(ClientOptions)} takes options built with
 * {@link ClientOptions#builder()} instead. A missing or invalid option leaves the appender
 * inactive with a WARN status that names it; the application keeps running. Problems at run
 * time (rejected key, full buffer, open circuit breaker) are reported to Logback's StatusManager.
 *
 * <p>{@link #append(ILoggingEvent)} only builds an entry and queues it: no I/O, no blocking
 * (unless {@code blockWhenFullMs} is set). {@link #stop()} flushes within {@code closeTimeoutMs}
 * and ends the client's sender thread, so reconfiguration does not leak threads.
 *
 * <p>Options changed after {@link #start()} take effect at the next start (Logback restarts
 * appenders on reconfiguration).
 */
public class LogTideAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** Logback's substitution of an undefined {@code ${VAR}}: {@code VAR_IS_UNDEFINED}. */
    private static final String UNDEFINED_SUFFIX = "_IS_UNDEFINED";

    private final ClientSettings settings = new ClientSettings();
    private ClientOptions options;
    private boolean includeMdc = true;
    private Set<String> mdcKeys;
    private boolean includeKeyValues = true;
    private boolean includeMarkers = true;
    private boolean includeCallerData;
    private List<String> traceIdKeys = ClientSettings.contextKeys(null, ClientSettings.DEFAULT_TRACE_ID_KEYS);
    private List<String> spanIdKeys = ClientSettings.contextKeys(null, ClientSettings.DEFAULT_SPAN_ID_KEYS);
    /** Deprecated element names used, reported once the appender starts (Joran sets them before the context may log). */
    private final Set<String> deprecatedElements = new LinkedHashSet<>();
    private Layout<ILoggingEvent> layout;
    private Encoder<ILoggingEvent> encoder;

    private volatile LogTideClient client;
    private volatile EventMapper mapper;

    /** Creates an appender; configure it with the setters, then call {@link #start()}. */
    public LogTideAppender() {
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        String notStarted = "LogTide appender [" + getName() + "] not started: ";
        if (!hasSlf4j2EventApi()) {
            addWarn(notStarted + "it needs Logback 1.3 or newer, found " + logbackVersion());
            return;
        }
        if (layout != null && encoder != null) {
            addWarn(notStarted + "set either <layout> or <encoder>, not both");
            return;
        }
        for (String element : deprecatedElements) {
            addWarn("LogTide appender [" + getName() + "]: <" + element + "> is deprecated, use <"
                    + element.replace("MdcKey", "Key") + "> (a comma-separated list of MDC keys, first present wins)");
        }
        ClientOptions resolved;
        try {
            StatusDiagnosticListener status = new StatusDiagnosticListener(this, "LogTide appender [" + getName() + "]: ");
            if (options != null) {
                resolved = ClientSettings.reportingTo(options, status);
            } else {
                settings.setDiagnosticListener(status);
                resolved = settings.toOptions(System::getenv);
            }
        } catch (IllegalArgumentException e) {
            // The message names the element (option) that is missing or invalid. A warning, not an
            // error: Spring Boot aborts start-up on an ERROR status, and a logging problem must
            // never stop an application. Started but inactive: a stopped appender would add a
            // warning of Logback's own for every event (Spring Boot prints them all).
            addWarn("LogTide appender [" + getName() + "] is inactive and drops every event: " + e.getMessage());
            super.start();
            return;
        }
        Layout<ILoggingEvent> messageLayout = layout;
        Encoder<ILoggingEvent> messageEncoder = encoder;
        if (messageEncoder instanceof LayoutWrappingEncoder
                && ((LayoutWrappingEncoder<ILoggingEvent>) messageEncoder).getLayout() != null) {
            // Use the encoder's layout directly: no bytes and no charset round trip.
            messageLayout = ((LayoutWrappingEncoder<ILoggingEvent>) messageEncoder).getLayout();
            messageEncoder = null;
        }
        if (!started(messageLayout, notStarted + "its <layout> did not start")
                || !started(messageEncoder, notStarted + "its <encoder> did not start")) {
            return;
        }
        try {
            client = new LogTideClient(resolved);
        } catch (RuntimeException | LinkageError e) {
            addWarn(notStarted + "the client could not be created: " + e, e);
            return;
        }
        mapper = new EventMapper(includeMdc, mdcKeys, includeKeyValues, includeMarkers, includeCallerData,
                traceIdKeys, spanIdKeys, messageLayout, messageEncoder);
        super.start();
    }

    /** Stops taking events, then flushes within {@code closeTimeoutMs} and ends the sender thread. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        LogTideClient running = client;
        client = null;
        if (running != null) {
            // close() flushes even from an interrupted thread (AsyncAppender interrupts its worker
            // before the worker stops us) and restores the interrupt.
            running.close();
        }
    }

    /**
     * Hands the event to {@link LogTideClient#append}, which guards against LogTide's own events,
     * refuses early under overload and only then maps it. A mapping failure is thrown to Logback,
     * which reports it as an ERROR status; a {@link LinkageError} or {@link StackOverflowError},
     * which Logback would let through to the code that logged, is reported here instead.
     */
    @Override
    protected void append(ILoggingEvent event) {
        LogTideClient running = client;
        if (running != null) {
            try {
                running.append(event.getLoggerName(), event.getThreadName(),
                        EventMapper.level(event.getLevel(), event.getMarkerList()), event, mapper);
            } catch (LinkageError | StackOverflowError e) {
                addError("LogTide could not capture an event from " + event.getLoggerName(), e);
            }
        }
    }

    /**
     * @return the running client (for {@code flush()} or {@code getMetrics()}), or {@code null}
     *     when the appender is not started
     */
    public LogTideClient getClient() {
        return client;
    }

    /**
     * Starts a layout or encoder that is not running yet (Joran starts them first; programmatic
     * users may not). A bad pattern leaves it stopped, or even throws from start().
     */
    private boolean started(LifeCycle component, String problem) {
        if (component == null || component.isStarted()) {
            return true;
        }
        try {
            component.start();
        } catch (RuntimeException e) {
            addWarn(problem + ": " + e.getMessage(), e);
            return false;
        }
        if (!component.isStarted()) {
            addWarn(problem + " (see the errors before this one)");
            return false;
        }
        return true;
    }

    private static boolean hasSlf4j2EventApi() {
        try {
            ILoggingEvent.class.getMethod("getKeyValuePairs");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String logbackVersion() {
        Package p = LoggerContext.class.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return version == null ? "an unknown version" : version;
    }

    // ---- client options: text, parsed and validated by the core at start() ----

    /**
     * Uses options built in code (with {@link ClientOptions#builder()} or
     * {@link ClientOptions#fromEnvironment()}) instead of the text options below, which are then
     * ignored. Diagnostics go to Logback's StatusManager unless the options name a listener.
     *
     * @param options the client's options; {@code null} returns to the text options
     */
    public void setOptions(ClientOptions options) {
        this.options = options;
    }

    /**
     * An undefined variable counts as unset, like a blank value, so that {@code ${LOGTIDE_API_KEY}}
     * falls back to the environment or fails with "apiKey is required" instead of sending
     * {@code LOGTIDE_API_KEY_IS_UNDEFINED} as the key.
     */
    private static String defined(String value) {
        return value != null && value.trim().endsWith(UNDEFINED_SUFFIX) ? null : value;
    }

    private void option(String name, String value) {
        settings.set(name, defined(value));
    }

    /** @param apiUrl the server's base URL, e.g. {@code https://logtide.example.com} */
    public void setApiUrl(String apiUrl) { option("apiUrl", apiUrl); }

    /** @param apiKey the project API key ({@code lp_...}); never printed */
    public void setApiKey(String apiKey) { option("apiKey", apiKey); }

    /** @param dsn URL and key in one, {@code https://lp_key@host[:port][/base]} */
    public void setDsn(String dsn) { option("dsn", dsn); }

    /** @param service the service name sent with every event */
    public void setService(String service) { option("service", service); }

    /** @param batchSize entries per request (1 to 1000) */
    public void setBatchSize(String batchSize) { option("batchSize", batchSize); }

    /** @param flushIntervalMs the longest an entry waits for its batch to fill */
    public void setFlushIntervalMs(String flushIntervalMs) { option("flushIntervalMs", flushIntervalMs); }

    /** @param maxBufferSize the most entries held in memory */
    public void setMaxBufferSize(String maxBufferSize) { option("maxBufferSize", maxBufferSize); }

    /** @param maxBufferBytes the most bytes (estimated) held in memory */
    public void setMaxBufferBytes(String maxBufferBytes) { option("maxBufferBytes", maxBufferBytes); }

    /** @param blockWhenFullMs how long a log call may wait for room in a full buffer; 0 drops at once */
    public void setBlockWhenFullMs(String blockWhenFullMs) { option("blockWhenFullMs", blockWhenFullMs); }

    /** @param spoolDir a directory where entries the server cannot take now are kept on disk; unset for none */
    public void setSpoolDir(String spoolDir) { option("spoolDir", spoolDir); }

    /** @param maxSpoolBytes the most bytes of spool files in {@code spoolDir} */
    public void setMaxSpoolBytes(String maxSpoolBytes) { option("maxSpoolBytes", maxSpoolBytes); }

    /** @param maxBatchBytes the largest request body */
    public void setMaxBatchBytes(String maxBatchBytes) { option("maxBatchBytes", maxBatchBytes); }

    /** @param maxRetries retries after the first attempt on a transient failure */
    public void setMaxRetries(String maxRetries) { option("maxRetries", maxRetries); }

    /** @param retryDelayMs the first retry delay; it doubles with each retry */
    public void setRetryDelayMs(String retryDelayMs) { option("retryDelayMs", retryDelayMs); }

    /** @param maxRetryDelayMs the cap on a computed retry delay */
    public void setMaxRetryDelayMs(String maxRetryDelayMs) { option("maxRetryDelayMs", maxRetryDelayMs); }

    /** @param circuitBreakerThreshold consecutive failed requests that open the circuit breaker */
    public void setCircuitBreakerThreshold(String circuitBreakerThreshold) {
        option("circuitBreakerThreshold", circuitBreakerThreshold);
    }

    /** @param circuitBreakerResetMs how long the breaker stays open before a probe */
    public void setCircuitBreakerResetMs(String circuitBreakerResetMs) {
        option("circuitBreakerResetMs", circuitBreakerResetMs);
    }

    /** @param maxFieldSize strings longer than this are truncated */
    public void setMaxFieldSize(String maxFieldSize) { option("maxFieldSize", maxFieldSize); }

    /** @param maxLogSize an entry larger than this loses its metadata */
    public void setMaxLogSize(String maxLogSize) { option("maxLogSize", maxLogSize); }

    /** @param excludeFields comma-separated metadata keys sent as {@code [EXCLUDED]} */
    public void setExcludeFields(String excludeFields) { option("excludeFields", excludeFields); }

    /** @param truncationMarker appended to truncated strings */
    public void setTruncationMarker(String truncationMarker) { option("truncationMarker", truncationMarker); }

    /** @param sampleRate the share of events sent, 0 to 1, drawn per event (errors too); default 1 */
    public void setSampleRate(String sampleRate) { option("sampleRate", sampleRate); }

    /** @param globalMetadata {@code key=value,key=value} merged into every entry */
    public void setGlobalMetadata(String globalMetadata) { option("globalMetadata", globalMetadata); }

    /** @param autoTraceId {@code true} to give entries without a trace id a random UUID */
    public void setAutoTraceId(String autoTraceId) { option("autoTraceId", autoTraceId); }

    /** @param debug {@code true} for debug diagnostics in Logback's status messages */
    public void setDebug(String debug) { option("debug", debug); }

    /** @param connectTimeoutMs HTTP connect timeout */
    public void setConnectTimeoutMs(String connectTimeoutMs) { option("connectTimeoutMs", connectTimeoutMs); }

    /** @param readTimeoutMs HTTP read timeout */
    public void setReadTimeoutMs(String readTimeoutMs) { option("readTimeoutMs", readTimeoutMs); }

    /** @param writeTimeoutMs HTTP write timeout */
    public void setWriteTimeoutMs(String writeTimeoutMs) { option("writeTimeoutMs", writeTimeoutMs); }

    /** @param requestTimeoutMs the longest one ingest request may take as a whole, in ms */
    public void setRequestTimeoutMs(String requestTimeoutMs) { option("requestTimeoutMs", requestTimeoutMs); }

    /** @param closeTimeoutMs how long {@link #stop()} may spend flushing */
    public void setCloseTimeoutMs(String closeTimeoutMs) { option("closeTimeoutMs", closeTimeoutMs); }

    /**
     * @param registerShutdownHook {@code false} to not close the client in a JVM shutdown hook
     *     (then only stopping Logback delivers what is buffered)
     */
    public void setRegisterShutdownHook(String registerShutdownHook) {
        option("registerShutdownHook", registerShutdownHook);
    }

    // ---- adapter options ----

    /** @param includeMdc send MDC entries as metadata keys (default {@code true}) */
    public void setIncludeMdc(boolean includeMdc) { this.includeMdc = includeMdc; }

    /** @param mdcKeys comma-separated MDC keys to send; unset or blank sends all */
    public void setMdcKeys(String mdcKeys) {
        List<String> keys = ClientSettings.parseList(defined(mdcKeys));
        this.mdcKeys = keys.isEmpty() ? null : Collections.unmodifiableSet(new LinkedHashSet<>(keys));
    }

    /** @param includeKeyValues send SLF4J 2 key-value pairs as metadata keys (default {@code true}) */
    public void setIncludeKeyValues(boolean includeKeyValues) { this.includeKeyValues = includeKeyValues; }

    /** @param includeMarkers send marker names as the {@code markers} list (default {@code true}) */
    public void setIncludeMarkers(boolean includeMarkers) { this.includeMarkers = includeMarkers; }

    /**
     * @param includeCallerData send the caller's class, method, file and line as {@code caller}
     *     (default {@code false}: computing it costs a stack walk per event)
     */
    public void setIncludeCallerData(boolean includeCallerData) { this.includeCallerData = includeCallerData; }

    /**
     * @param keys comma-separated MDC keys holding the trace id, first present wins; unset or blank
     *     gives the default, {@code trace_id,traceId}
     */
    public void setTraceIdKey(String keys) {
        this.traceIdKeys = ClientSettings.contextKeys(defined(keys), ClientSettings.DEFAULT_TRACE_ID_KEYS);
    }

    /**
     * @param keys comma-separated MDC keys holding the span id, first present wins; unset or blank
     *     gives the default, {@code span_id,spanId}
     */
    public void setSpanIdKey(String keys) {
        this.spanIdKeys = ClientSettings.contextKeys(defined(keys), ClientSettings.DEFAULT_SPAN_ID_KEYS);
    }

    /**
     * The former name of {@link #setTraceIdKey(String)}; a WARN status says so at start.
     *
     * @param keys as for {@link #setTraceIdKey(String)}
     * @deprecated use {@code <traceIdKey>}, the name all three adapters share
     */
    @Deprecated
    public void setTraceIdMdcKey(String keys) {
        deprecatedElements.add("traceIdMdcKey");
        setTraceIdKey(keys);
    }

    /**
     * The former name of {@link #setSpanIdKey(String)}; a WARN status says so at start.
     *
     * @param keys as for {@link #setSpanIdKey(String)}
     * @deprecated use {@code <spanIdKey>}, the name all three adapters share
     */
    @Deprecated
    public void setSpanIdMdcKey(String keys) {
        deprecatedElements.add("spanIdMdcKey");
        setSpanIdKey(keys);
    }

    /** @param layout formats the message text instead of the plain formatted message */
    public void setLayout(Layout<ILoggingEvent> layout) { this.layout = layout; }

    /** @param encoder formats the message text (decoded as UTF-8) instead of the plain formatted message */
    public void setEncoder(Encoder<ILoggingEvent> encoder) { this.encoder = encoder; }
}
