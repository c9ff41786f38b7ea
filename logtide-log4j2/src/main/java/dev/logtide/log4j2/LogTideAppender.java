package dev.logtide.log4j2;

import dev.logtide.ClientMetrics;
import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.internal.config.ClientSettings;
import dev.logtide.diagnostics.DiagnosticListener;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AppenderLoggingException;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.core.util.KeyValuePair;
import org.apache.logging.log4j.spi.LoggerContextFactory;
import org.apache.logging.log4j.status.StatusLogger;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Log4j2 appender plugin {@code <LogTide>} that ships events to a LogTide server.
 *
 * <pre>{@code
 * <LogTide name="LOGTIDE" apiUrl="${env:LOGTIDE_API_URL}" apiKey="${env:LOGTIDE_API_KEY}"
 *          service="checkout" globalMetadata="env=prod">
 *   <KeyValuePair key="region" value="eu-west-1"/>
 * </LogTide>
 * }</pre>
 *
 * <p>Every client option ({@link ClientOption#all()}) is an attribute of the same name, parsed
 * and validated by the core, with the {@code LOGTIDE_*} environment fallback; in code,
 * {@link Builder#setOptions(ClientOptions)} takes options built with {@link ClientOptions#builder()}
 * instead. A configuration
 * without URL or API key produces no appender: the StatusLogger names what is missing and the
 * application runs on. The client (and its sender thread) exists between {@link #start()} and
 * {@link #stop(long, TimeUnit)}, so a reconfiguration closes the old one.
 *
 * <p>{@link #append(LogEvent)} copies what it needs from the event on the calling thread, queues
 * the entry without I/O and returns; it never throws unless {@code ignoreExceptions="false"} and
 * the event could not be captured.
 */
@Plugin(name = LogTideAppender.PLUGIN_NAME, category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE,
        printObject = true)
public final class LogTideAppender extends AbstractAppender {
    /** The element name in configuration files. */
    public static final String PLUGIN_NAME = "LogTide";

    /** ThreadContext keys read for the trace id unless {@code traceIdKey} says otherwise. */
    public static final String DEFAULT_TRACE_ID_KEYS = ClientSettings.DEFAULT_TRACE_ID_KEYS;
    /** ThreadContext keys read for the span id unless {@code spanIdKey} says otherwise. */
    public static final String DEFAULT_SPAN_ID_KEYS = ClientSettings.DEFAULT_SPAN_ID_KEYS;

    private static final StatusLogger STATUS = StatusLogger.getLogger();

    private final ClientOptions options;
    private final EventMapper mapper;
    private final boolean includeLocation;
    private volatile LogTideClient client;

    private LogTideAppender(String name, Filter filter, Layout<? extends Serializable> layout, boolean ignoreExceptions,
                            Property[] properties, ClientOptions options, EventMapper mapper,
                            boolean includeLocation) {
        super(name, filter, layout, ignoreExceptions, properties);
        this.options = options;
        this.mapper = mapper;
        this.includeLocation = includeLocation;
    }

    /** @return a builder; Log4j2 uses it to create the appender from configuration */
    @PluginBuilderFactory
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Creates the client and its sender thread (once, however often Log4j2 calls this). An appender
     * whose client could not be created does not report itself started, so Log4j2 says so on use;
     * an appender left inactive for lack of configuration starts and drops every event.
     */
    @Override
    public void start() {
        if (options == null) {
            super.start(); // inactive: its one warning was given when it was built
            return;
        }
        try {
            if (client == null) {
                client = new LogTideClient(options);
            }
        } catch (RuntimeException | LinkageError e) {
            STATUS.error("LogTide appender '{}' could not start its client; its events are dropped: {}", getName(), e, e);
            return;
        }
        super.start();
    }

    /**
     * Hands the event to {@link LogTideClient#append}, which guards against LogTide's own events,
     * refuses early under overload and only then maps it. A mapping failure is reported through
     * the appender's error handler, and thrown when {@code ignoreExceptions="false"}.
     */
    @Override
    public void append(LogEvent event) {
        LogTideClient current = client;
        if (current == null) {
            return;
        }
        try {
            current.append(event.getLoggerName(), event.getThreadName(), EventMapper.level(event.getLevel()), event,
                    mapper);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // Errors too: a hostile value's StackOverflowError must not reach the code that logged.
            error("LogTide appender '" + getName() + "' could not capture an event: " + e, event, e);
            if (!ignoreExceptions()) {
                throw new AppenderLoggingException("LogTide appender '" + getName() + "' could not capture an event", e);
            }
        }
    }

    /** The source location is only computed by Log4j2 when some appender asks for it. */
    @Override
    public boolean requiresLocation() {
        return includeLocation || super.requiresLocation();
    }

    /**
     * Sends what is buffered and waits at most the given time.
     *
     * @param timeout how long to wait
     * @param unit    its unit
     * @return whether everything buffered at the call was sent (or given up) in time; {@code false}
     *     when the appender is not started
     */
    public boolean flush(long timeout, TimeUnit unit) {
        LogTideClient current = client;
        return current != null && current.flush(timeout, unit);
    }

    /** The validated options, for tests. */
    ClientOptions options() {
        return options;
    }

    /**
     * @return the client this appender ships through, or {@code null} when it is not started, is
     *     stopped, or is inactive for lack of configuration
     */
    public LogTideClient getClient() {
        return client;
    }

    /** @return the client's delivery counters, or {@code null} when the appender is not started */
    public ClientMetrics getMetrics() {
        LogTideClient current = client;
        return current == null ? null : current.getMetrics();
    }

    /**
     * Stops the appender: delivers what is buffered and closes the client, spending the larger of
     * Log4j2's stop timeout and the client's {@code closeTimeoutMs}. Log4j2 hands appenders small
     * or zero budgets ({@code LogManager.shutdown()} passes a few milliseconds), which would turn
     * into silent loss; {@code closeTimeoutMs} is the option that bounds LogTide's delivery at stop.
     */
    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        setStopping();
        boolean stopped = super.stop(timeout, timeUnit, false);
        LogTideClient current = client;
        client = null;
        if (current != null) {
            current.close(Math.max(timeUnit.toMillis(timeout), options.closeTimeoutMs()), TimeUnit.MILLISECONDS);
        }
        setStopped();
        return stopped;
    }

    @Override
    public String toString() {
        if (options == null) {
            return "LogTideAppender{name=" + getName() + ", inactive, state=" + getState() + "}";
        }
        return "LogTideAppender{name=" + getName() + ", apiUrl=" + options.apiUrl() + ", service=" + options.service()
                + ", state=" + getState() + "}";
    }

    /**
     * Builds a {@link LogTideAppender}; each field is an attribute of {@code <LogTide>}. The client
     * options are kept as text, one field per option of {@link ClientOption#all()}, so the core
     * parses them and reports a bad value by its option name. In code, set the client options with
     * {@link #setOptions(ClientOptions)}.
     */
    public static final class Builder extends AbstractAppender.Builder<Builder>
            implements org.apache.logging.log4j.core.util.Builder<LogTideAppender> {
        /** A value that is still a whole {@code ${...}} lookup: Log4j2 found nothing to put there. */
        private static final Pattern UNRESOLVED_LOOKUP = Pattern.compile("\\$\\{[^}]*}");

        /** Sensitive: a mistyped URL may hold credentials, and status="debug" prints attributes. */
        @PluginBuilderAttribute(sensitive = true)
        private String apiUrl;
        @PluginBuilderAttribute(sensitive = true)
        private String apiKey;
        @PluginBuilderAttribute(sensitive = true)
        private String dsn;
        @PluginBuilderAttribute
        private String service;
        @PluginBuilderAttribute
        private String batchSize;
        @PluginBuilderAttribute
        private String flushIntervalMs;
        @PluginBuilderAttribute
        private String maxBufferSize;
        @PluginBuilderAttribute
        private String maxBufferBytes;
        @PluginBuilderAttribute
        private String blockWhenFullMs;
        // The spool options came after the typed setters were deprecated in favour of setOptions:
        // they are set as XML attributes, or in code through setOptions, and get no setter.
        @PluginBuilderAttribute
        @SuppressWarnings("log4j.public.setter")
        private String spoolDir;
        @PluginBuilderAttribute
        @SuppressWarnings("log4j.public.setter")
        private String maxSpoolBytes;
        @PluginBuilderAttribute
        private String maxBatchBytes;
        @PluginBuilderAttribute
        private String maxRetries;
        @PluginBuilderAttribute
        private String retryDelayMs;
        @PluginBuilderAttribute
        private String maxRetryDelayMs;
        @PluginBuilderAttribute
        private String circuitBreakerThreshold;
        @PluginBuilderAttribute
        private String circuitBreakerResetMs;
        @PluginBuilderAttribute
        private String maxFieldSize;
        @PluginBuilderAttribute
        private String maxLogSize;
        @PluginBuilderAttribute
        private String excludeFields;
        @PluginBuilderAttribute
        private String truncationMarker;
        @PluginBuilderAttribute
        private String sampleRate;
        @PluginBuilderAttribute
        private String globalMetadata;
        @PluginBuilderAttribute
        private String autoTraceId;
        @PluginBuilderAttribute
        private String debug;
        @PluginBuilderAttribute
        private String connectTimeoutMs;
        @PluginBuilderAttribute
        private String readTimeoutMs;
        @PluginBuilderAttribute
        private String writeTimeoutMs;
        @PluginBuilderAttribute
        private String requestTimeoutMs;
        @PluginBuilderAttribute
        private String closeTimeoutMs;
        @PluginBuilderAttribute
        private String registerShutdownHook;

        @PluginBuilderAttribute
        private boolean includeThreadContext = true;
        @PluginBuilderAttribute
        private String threadContextKeys;
        @PluginBuilderAttribute
        private String traceIdKey = DEFAULT_TRACE_ID_KEYS;
        @PluginBuilderAttribute
        private String spanIdKey = DEFAULT_SPAN_ID_KEYS;
        @PluginBuilderAttribute
        private boolean includeLocation;

        @PluginElement("KeyValuePairs")
        private KeyValuePair[] keyValuePairs;

        /** Options built in code; when set, the text fields above are not read. */
        private ClientOptions options;

        private Builder() {
        }

        /**
         * @param value the server's base URL
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setApiUrl(String value) { apiUrl = value; return this; }
        /**
         * @param value the project API key
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setApiKey(String value) { apiKey = value; return this; }
        /**
         * @param value {@code https://lp_key@host[:port][/base]}
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setDsn(String value) { dsn = value; return this; }
        /**
         * @param value the default service name
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setService(String value) { service = value; return this; }
        /**
         * @param value entries per request
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setBatchSize(int value) { batchSize = String.valueOf(value); return this; }
        /**
         * @param value the longest wait before a partial batch is sent
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setFlushIntervalMs(long value) { flushIntervalMs = String.valueOf(value); return this; }
        /**
         * @param value the most entries buffered
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setMaxBufferSize(int value) { maxBufferSize = String.valueOf(value); return this; }
        /**
         * @param value the most bytes buffered
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setMaxBufferBytes(long value) { maxBufferBytes = String.valueOf(value); return this; }
        /**
         * @param value how long a log call may wait for room; 0 drops at once
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setBlockWhenFullMs(long value) { blockWhenFullMs = String.valueOf(value); return this; }
        /**
         * @param value the most bytes per request
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setMaxBatchBytes(int value) { maxBatchBytes = String.valueOf(value); return this; }
        /**
         * @param value retries per batch
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setMaxRetries(int value) { maxRetries = String.valueOf(value); return this; }
        /**
         * @param value the first retry delay
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setRetryDelayMs(long value) { retryDelayMs = String.valueOf(value); return this; }
        /**
         * @param value the longest retry delay
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setMaxRetryDelayMs(long value) { maxRetryDelayMs = String.valueOf(value); return this; }
        /**
         * @param value failed sends that open the breaker
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setCircuitBreakerThreshold(int value) { circuitBreakerThreshold = String.valueOf(value); return this; }
        /**
         * @param value how long the breaker stays open
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setCircuitBreakerResetMs(long value) { circuitBreakerResetMs = String.valueOf(value); return this; }
        /**
         * @param value the longest string value
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setMaxFieldSize(int value) { maxFieldSize = String.valueOf(value); return this; }
        /**
         * @param value the largest entry
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setMaxLogSize(int value) { maxLogSize = String.valueOf(value); return this; }
        /**
         * @param value comma-separated keys whose values are replaced
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setExcludeFields(String value) { excludeFields = value; return this; }
        /**
         * @param value appended to truncated strings
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setTruncationMarker(String value) { truncationMarker = value; return this; }
        /**
         * @param value the share of events sent, 0 to 1
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setSampleRate(double value) { sampleRate = String.valueOf(value); return this; }
        /**
         * @param value {@code key=value,key=value} added to every entry
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setGlobalMetadata(String value) { globalMetadata = value; return this; }
        /**
         * @param value whether entries without a trace id get a fresh UUID
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setAutoTraceId(boolean value) { autoTraceId = String.valueOf(value); return this; }
        /**
         * @param value whether client diagnostics are verbose
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setDebug(boolean value) { debug = String.valueOf(value); return this; }
        /**
         * @param value HTTP connect timeout
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setConnectTimeoutMs(long value) { connectTimeoutMs = String.valueOf(value); return this; }
        /**
         * @param value HTTP read timeout
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setReadTimeoutMs(long value) { readTimeoutMs = String.valueOf(value); return this; }
        /**
         * @param value HTTP write timeout
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setWriteTimeoutMs(long value) { writeTimeoutMs = String.valueOf(value); return this; }
        /**
         * @param value the longest one ingest request may take as a whole, in ms
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setRequestTimeoutMs(long value) { requestTimeoutMs = String.valueOf(value); return this; }
        /**
         * @param value the flush budget when the appender stops without a timeout
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setCloseTimeoutMs(long value) { closeTimeoutMs = String.valueOf(value); return this; }
        /**
         * @param value whether the client closes itself in a JVM shutdown hook
         * @return this
         * @deprecated set the client options in code with {@link #setOptions(ClientOptions)}
         */
        @Deprecated
        public Builder setRegisterShutdownHook(boolean value) { registerShutdownHook = String.valueOf(value); return this; }
        /**
         * @param value whether ThreadContext entries and stack are sent (default true)
         * @return this
         */
        public Builder setIncludeThreadContext(boolean value) { includeThreadContext = value; return this; }
        /**
         * @param value comma-separated ThreadContext keys to send; unset sends all
         * @return this
         */
        public Builder setThreadContextKeys(String value) { threadContextKeys = value; return this; }
        /**
         * @param value comma-separated ThreadContext keys holding the trace id
         * @return this
         */
        public Builder setTraceIdKey(String value) { traceIdKey = value; return this; }
        /**
         * @param value comma-separated ThreadContext keys holding the span id
         * @return this
         */
        public Builder setSpanIdKey(String value) { spanIdKey = value; return this; }
        /**
         * @param value whether the source location is computed and sent
         * @return this
         */
        public Builder setIncludeLocation(boolean value) { includeLocation = value; return this; }
        /**
         * @param value extra global metadata pairs
         * @return this
         */
        public Builder setKeyValuePairs(KeyValuePair... value) { keyValuePairs = value; return this; }

        /**
         * Uses options built in code (with {@link ClientOptions#builder()} or
         * {@link ClientOptions#fromEnvironment()}) instead of the client option attributes, which
         * are then ignored, as are nested {@code KeyValuePair}s. Diagnostics go to the
         * StatusLogger unless the options name a listener. The options are used as they are:
         * {@code registerShutdownHook} is not turned off for Log4j2's own shutdown hook as the
         * attribute's default is.
         *
         * @param value the client's options; {@code null} returns to the attributes
         * @return this
         */
        public Builder setOptions(ClientOptions value) { options = value; return this; }

        /**
         * Validates the options and creates the appender (not started).
         *
         * @return the appender; when an option is missing or invalid, an inactive appender that
         *     drops every event, after one StatusLogger warning that names the option (a logging
         *     problem never stops an application)
         */
        @Override
        public LogTideAppender build() {
            String name = getName();
            ClientSettings settings = new ClientSettings();
            for (ClientOption<?> option : ClientOption.all()) {
                set(settings, option.name(), attribute(option.name()));
            }
            if (settings.get("registerShutdownHook") == null && log4jStopsAtExit(getConfiguration())) {
                // Log4j2's own hook stops this appender after draining async loggers; a second hook
                // racing it could close the client while drained events are still arriving.
                settings.set("registerShutdownHook", "false");
            }
            if (keyValuePairs != null) {
                for (KeyValuePair pair : keyValuePairs) {
                    if (pair != null) {
                        settings.putGlobalMetadata(pair.getKey(), pair.getValue());
                    }
                }
            }
            settings.setDiagnosticListener(statusListener(name));

            ClientOptions resolved;
            try {
                resolved = options != null ? ClientSettings.reportingTo(options, statusListener(name))
                        : settings.toOptions(System::getenv);
            } catch (IllegalArgumentException e) {
                warnVisibly("LogTide appender '" + name + "' is inactive and drops every event: " + e.getMessage());
                return new LogTideAppender(name, getFilter(), getLayout(), isIgnoreExceptions(), getPropertyArray(),
                        null, null, false);
            }
            EventMapper mapper = new EventMapper(includeThreadContext, ClientSettings.parseList(threadContextKeys),
                    ClientSettings.contextKeys(traceIdKey, DEFAULT_TRACE_ID_KEYS),
                    ClientSettings.contextKeys(spanIdKey, DEFAULT_SPAN_ID_KEYS), includeLocation, getLayout());
            return new LogTideAppender(name, getFilter(), getLayout(), isIgnoreExceptions(), getPropertyArray(),
                    resolved, mapper, includeLocation);
        }

        /** The text of a client option's attribute: the field of the same name, which Log4j2 filled. */
        private String attribute(String option) {
            try {
                return (String) Builder.class.getDeclaredField(option).get(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("LogTide's Log4j2 builder has no attribute for the option " + option, e);
            }
        }

        private static void set(ClientSettings settings, String option, String value) {
            if (value != null && UNRESOLVED_LOOKUP.matcher(value.trim()).matches()) {
                // Log4j2 leaves "${env:X}" as it is when X is not set; that is "unset", not a value.
                STATUS.warn("LogTide option {} refers to {}, which is not set; treating {} as unset",
                        option, value.trim(), option);
                return;
            }
            settings.set(option, value);
        }

        private static boolean log4jStopsAtExit(Configuration configuration) {
            LoggerContextFactory factory = LogManager.getFactory();
            return configuration != null && configuration.isShutdownHookEnabled()
                    && factory instanceof Log4jContextFactory
                    && ((Log4jContextFactory) factory).isShutdownHookEnabled();
        }

        /**
         * The StatusLogger shows errors only unless the configuration says {@code status="warn"}: a
         * warning that explains why nothing ships also goes to stderr then.
         */
        private static void warnVisibly(String message) {
            STATUS.warn(message);
            if (!STATUS.isWarnEnabled()) {
                System.err.println("[logtide] WARN " + message);
            }
        }

        private static DiagnosticListener statusListener(String appenderName) {
            return new DiagnosticListener() {
                @Override
                public void report(Severity severity, String message, Throwable error) {
                    STATUS.log(toStatusLevel(severity), "LogTide appender '" + appenderName + "': " + message, error);
                }

                @Override
                public boolean showsWarnings() {
                    return STATUS.isWarnEnabled(); // the StatusLogger shows ERROR only, by default
                }
            };
        }

        private static Level toStatusLevel(DiagnosticListener.Severity severity) {
            switch (severity) {
                case DEBUG: return Level.DEBUG;
                case INFO: return Level.INFO;
                case WARN: return Level.WARN;
                default: return Level.ERROR;
            }
        }
    }
}
