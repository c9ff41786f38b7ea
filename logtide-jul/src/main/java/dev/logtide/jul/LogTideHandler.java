package dev.logtide.jul;

import dev.logtide.ClientOption;
import dev.logtide.ClientOptions;
import dev.logtide.LogLevel;
import dev.logtide.LogTideClient;
import dev.logtide.internal.config.ClientSettings;
import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.diagnostics.DiagnosticListener.Severity;

import java.io.UnsupportedEncodingException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.ErrorManager;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A {@code java.util.logging} handler that ships records to LogTide.
 *
 * <p>Configured from {@code logging.properties}, with every property prefixed by the class name:
 * <pre>
 * handlers=dev.logtide.jul.LogTideHandler
 * dev.logtide.jul.LogTideHandler.level=INFO
 * dev.logtide.jul.LogTideHandler.apiUrl=https://logs.example.com
 * dev.logtide.jul.LogTideHandler.apiKey=${env:LOGTIDE_API_KEY}
 * dev.logtide.jul.LogTideHandler.service=checkout
 * </pre>
 * The no-argument constructor reads every client option ({@link ClientOption#all()}), the
 * standard {@code level}, {@code filter}, {@code formatter} and {@code encoding}, and
 * {@code includeSource}, {@code traceIdKey} and {@code spanIdKey}; {@code ${...}} references are
 * expanded (see docs/jul.md). A handler
 * configured this way creates its own {@link LogTideClient} and closes it in {@link #close()}.
 * Invalid configuration is reported to the {@link ErrorManager} with the property's name; the
 * handler then drops every record quietly and the application runs on.
 *
 * <p>Programmatically, {@link #builder()} creates one from {@link Builder#options(ClientOptions)},
 * and {@link #LogTideHandler(LogTideClient, String)} shares a client the application owns (the
 * handler never closes it).
 *
 * <p>{@link #publish(LogRecord)} never blocks on the network and never throws: it maps the record
 * to a {@link dev.logtide.LogEntry} on the calling thread (with the thread's {@link LogTideMdc} and trace id)
 * and queues it; without a {@code formatter}, the parameters are copied there and
 * {@code MessageFormat} runs later on the sender thread. Records produced by LogTide's own
 * sender thread or by OkHttp's threads (OkHttp logs through JUL) are dropped, so a handler on the
 * root logger cannot feed itself.
 */
public class LogTideHandler extends Handler {
    private final LogTideClient client;
    private final boolean ownsClient;
    private final EventMapper mapper;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean reportedClosed = new AtomicBoolean();
    /** The root logger when the LogManager put this handler there ({@code handlers=}), else null. */
    private final Logger rootLogger;
    /** The class of the thread that resets JUL at JVM exit (the standard LogManager's hook). */
    private static final String JUL_RESET_AT_EXIT = "java.util.logging.LogManager$Cleaner";

    /**
     * Creates a handler from the {@link LogManager} properties named
     * {@code <class name>.<option>}, the way JUL instantiates handlers listed in
     * {@code handlers=}. Subclasses read properties under their own class name, which is how two
     * differently configured handlers can be declared in one file.
     */
    public LogTideHandler() {
        String prefix = getClass().getName() + ".";
        LogManager manager = LogManager.getLogManager();
        Function<String, String> property = name -> Placeholders.expand(
                manager.getProperty(prefix + name), System::getProperty, System::getenv);

        configureLevel(prefix, property.apply("level"));
        configureFilter(prefix, property.apply("filter"));
        configureFormatter(prefix, property.apply("formatter"));
        configureEncoding(prefix, property.apply("encoding"));
        this.mapper = new EventMapper(null, parseIncludeSource(prefix, property.apply("includeSource")),
                ClientSettings.contextKeys(property.apply("traceIdKey"), ClientSettings.DEFAULT_TRACE_ID_KEYS),
                ClientSettings.contextKeys(property.apply("spanIdKey"), ClientSettings.DEFAULT_SPAN_ID_KEYS),
                this::getFormatter, this::formatterFailed);

        ClientSettings settings = new ClientSettings();
        for (String option : ClientSettings.OPTION_NAMES) {
            settings.set(option, property.apply(option));
        }
        settings.setDiagnosticListener(this::onDiagnostic);
        this.client = startClient(prefix, () -> new LogTideClient(settings.toOptions(System::getenv)));
        this.ownsClient = true;
        String rootHandlers = manager.getProperty("handlers");
        // Looked up now: at exit the handler must go back on it within microseconds.
        this.rootLogger = rootHandlers != null && Arrays.asList(rootHandlers.trim().split("[\\s,]+"))
                .contains(getClass().getName()) ? Logger.getLogger("") : null;
    }

    /**
     * Shares a client the application owns, like the Python SDK's
     * {@code LogTideHandler(client=client, service="api")}. {@link #close()} flushes the client but
     * does not close it.
     *
     * @param client  the client; not {@code null}
     * @param service the service name for every record, or {@code null} for the client's default
     */
    public LogTideHandler(LogTideClient client, String service) {
        this(Objects.requireNonNull(client, "client"), false, service, true,
                ClientSettings.contextKeys(null, ClientSettings.DEFAULT_TRACE_ID_KEYS),
                ClientSettings.contextKeys(null, ClientSettings.DEFAULT_SPAN_ID_KEYS));
    }

    private LogTideHandler(LogTideClient client, boolean ownsClient, String service, boolean includeSource,
                           List<String> traceIdKeys, List<String> spanIdKeys) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.mapper = new EventMapper(blankToNull(service), includeSource, traceIdKeys, spanIdKeys,
                this::getFormatter, this::formatterFailed);
        this.rootLogger = null;
    }

    /** @return a builder for a handler configured in code */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the client records go to, for its metrics and circuit state, as the Logback and
     *     Log4j2 appenders' {@code getClient()}; {@code null} when the configuration was invalid
     *     and the handler drops everything
     */
    public LogTideClient getClient() {
        return client;
    }

    /**
     * Queues the record for delivery. Never throws and never waits for the network; records from
     * LogTide's or OkHttp's own threads, records below the level or rejected by the filter, and
     * records after {@link #close()} are dropped. After close, a client this handler created counts
     * them ({@code AFTER_CLOSE}, one warning); with a client given to the builder, which is still
     * yours and open, the handler reports once to its ErrorManager that it drops them.
     *
     * @param record the record; {@code null} is ignored
     */
    @Override
    public void publish(LogRecord record) {
        LogTideClient target = client;
        if (record == null || target == null) {
            return;
        }
        if (closed.get() && !ownsClient) {
            if (reportedClosed.compareAndSet(false, true)) {
                reportError("LogTide handler is closed: records published to it are dropped (its client, "
                        + "given to the builder, stays open)", null, ErrorManager.WRITE_FAILURE);
            }
            return;
        }
        try {
            // The client guards (a client this handler closed counts the record as AFTER_CLOSE), refuses early under overload, and only then maps the record.
            if (isLoggable(record)) {
                target.append(record.getLoggerName(), null, EventMapper.level(record.getLevel()), record, mapper);
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // A hostile parameter, filter or formatter must not reach the code that logged.
            reportError("LogTide could not capture a log record from " + record.getLoggerName(),
                    e instanceof Exception ? (Exception) e : null, ErrorManager.FORMAT_FAILURE);
        }
    }

    /**
     * Asks the client to send what is buffered now and waits for it, at most the client's
     * {@code closeTimeoutMs}. Entries the server does not take in that time stay buffered.
     */
    @Override
    public void flush() {
        LogTideClient target = client;
        if (target != null && !closed.get()) {
            target.flush(target.options().closeTimeoutMs(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops taking records. A client this handler created is closed (a flush bounded by its
     * {@code closeTimeoutMs}, then its thread stops); a shared client is only flushed, within the
     * same bound. Idempotent. JUL's LogManager calls this from its own shutdown hook, which is
     * what delivers records logged just before {@code main} returns.
     */
    @Override
    public void close() {
        LogTideClient target = client;
        if (target == null || closed.get() || stayForTheClientsHook(target)) {
            return;
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (ownsClient) {
                target.close();
            } else {
                target.flush(target.options().closeTimeoutMs(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            reportError("LogTide could not close its client", e, ErrorManager.CLOSE_FAILURE);
        }
    }

    /**
     * JUL's own shutdown hook resets the LogManager, which takes every handler off its logger and
     * closes it, at the same time as the application's shutdown hooks run: what those log after it
     * would reach no handler. When this handler sits on the root logger and its client closes
     * itself at exit ({@code registerShutdownHook}), it stays on the root logger instead (see
     * {@link #equals(Object)}; put back if it was taken off all the same), and the client's hook
     * closes the client once logging has gone quiet.
     */
    private boolean stayForTheClientsHook(LogTideClient target) {
        if (!staysThroughResetAtExit(target)) {
            return false;
        }
        for (Handler handler : rootLogger.getHandlers()) {
            if (handler == this) {
                return true;
            }
        }
        rootLogger.addHandler(this);
        return true;
    }

    private boolean staysThroughResetAtExit(LogTideClient target) {
        return rootLogger != null && ownsClient && target != null && !closed.get()
                && JUL_RESET_AT_EXIT.equals(Thread.currentThread().getClass().getName())
                && target.options().registerShutdownHook();
    }

    /**
     * Identity, except that on JUL's reset at exit a handler that stays for its client's hook is
     * equal to nothing. {@code LogManager.reset()} takes a handler off its logger with
     * {@code Logger.removeHandler}, which finds it by {@code equals}; a record logged by another
     * shutdown hook between that removal and the handler putting itself back would reach no
     * handler and be lost. Declining the removal leaves no such window.
     *
     * @param other the object compared
     * @return {@code true} only for this handler itself, outside JUL's reset at exit
     */
    @Override
    public boolean equals(Object other) {
        return this == other && !staysThroughResetAtExit(client);
    }

    /** @return the identity hash code, as {@link Object#hashCode()} */
    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /**
     * Maps a JUL level to LogTide's by {@link Level#intValue()}: above SEVERE (custom levels such as
     * {@link LogTideLevel#CRITICAL}) is critical, SEVERE error, WARNING warn, INFO and CONFIG info,
     * anything lower debug.
     *
     * @param level a JUL level; {@code null} is taken as INFO
     * @return the LogTide level
     */
    public static LogLevel toLogLevel(Level level) {
        return EventMapper.level(level);
    }

    private void formatterFailed(String problem, RuntimeException e) {
        reportError(problem, e, ErrorManager.FORMAT_FAILURE);
    }

    private LogTideClient startClient(String prefix, Supplier<LogTideClient> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            reportError(disabledBecause(prefix, e.getMessage()), null, ErrorManager.OPEN_FAILURE);
        } catch (RuntimeException | LinkageError e) {
            reportError(disabledBecause(prefix, "the client could not start: " + e),
                    e instanceof Exception ? (Exception) e : null, ErrorManager.OPEN_FAILURE);
        }
        return null;
    }

    /** Names the property: the core's messages start with the option they are about. */
    private static String disabledBecause(String prefix, String problem) {
        String text = String.valueOf(problem);
        for (String option : ClientSettings.OPTION_NAMES) {
            if (text.startsWith(option + " ")) {
                text = prefix + option + ": " + text;
                break;
            }
        }
        return "LogTide handler disabled, it drops every record: " + text;
    }

    private void configureLevel(String prefix, String text) {
        if (text == null || text.trim().isEmpty()) {
            return;
        }
        try {
            // Level.parse knows CRITICAL only once LogTideLevel is loaded, which may not have happened yet.
            String name = text.trim();
            setLevel(LogTideLevel.CRITICAL.getName().equals(name) ? LogTideLevel.CRITICAL : Level.parse(name));
        } catch (IllegalArgumentException e) {
            reportError(prefix + "level: '" + text.trim() + "' is not a level (CRITICAL, SEVERE, WARNING, INFO, CONFIG, "
                    + "FINE, FINER, FINEST, ALL, OFF or a number); using " + getLevel(), null, ErrorManager.GENERIC_FAILURE);
        }
    }

    private void configureFilter(String prefix, String className) {
        Filter filter = instantiate(prefix + "filter", className, Filter.class);
        if (filter != null) {
            setFilter(filter);
        }
    }

    private void configureFormatter(String prefix, String className) {
        Formatter formatter = instantiate(prefix + "formatter", className, Formatter.class);
        if (formatter != null) {
            setFormatter(formatter);
        }
    }

    private void configureEncoding(String prefix, String encoding) {
        if (encoding == null || encoding.trim().isEmpty()) {
            return;
        }
        try {
            setEncoding(encoding.trim());
        } catch (UnsupportedEncodingException e) {
            reportError(prefix + "encoding: '" + encoding.trim() + "' is not a supported charset; ignored",
                    null, ErrorManager.GENERIC_FAILURE);
        }
    }

    private boolean parseIncludeSource(String prefix, String text) {
        if (text == null || text.trim().isEmpty()) {
            return true;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                reportError(prefix + "includeSource must be true or false, got '" + text.trim() + "'; using true",
                        null, ErrorManager.GENERIC_FAILURE);
                return true;
        }
    }

    /**
     * Loads a filter or formatter class the way JUL does (system class loader first), then from the
     * thread's and this class's loaders, which is where an application server keeps them.
     */
    private <T> T instantiate(String property, String className, Class<T> type) {
        if (className == null || className.trim().isEmpty()) {
            return null;
        }
        String name = className.trim();
        Class<?> found = null;
        for (ClassLoader loader : new ClassLoader[] {
                ClassLoader.getSystemClassLoader(), Thread.currentThread().getContextClassLoader(),
                LogTideHandler.class.getClassLoader()}) {
            if (loader != null && found == null) {
                try {
                    found = Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // Try the next loader; the error below says none had it.
                }
            }
        }
        if (found == null) {
            reportError(property + ": class " + name + " not found; ignored", null, ErrorManager.GENERIC_FAILURE);
            return null;
        }
        if (!type.isAssignableFrom(found)) {
            reportError(property + ": " + name + " is not a " + type.getName() + "; ignored", null,
                    ErrorManager.GENERIC_FAILURE);
            return null;
        }
        try {
            return type.cast(found.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            reportError(property + ": could not create " + name + " (it needs a public no-argument constructor): " + e
                    + "; ignored", null, ErrorManager.GENERIC_FAILURE);
            return null;
        }
    }

    /**
     * The client's diagnostics: errors go to this handler's ErrorManager, where JUL users look for
     * handler trouble; warnings and (with {@code debug}) informational messages to stderr. Never
     * through a Logger, which would lead back here.
     */
    private void onDiagnostic(Severity severity, String message, Throwable error) {
        if (severity == Severity.ERROR) {
            reportError("[logtide] " + message, error instanceof Exception ? (Exception) error : null,
                    ErrorManager.WRITE_FAILURE);
        } else {
            toStderr(severity, message, error);
        }
    }

    private static void toStderr(Severity severity, String message, Throwable error) {
        System.err.println("[logtide] " + severity + " " + message + (error == null ? "" : ": " + error));
    }

    private static String blankToNull(String text) {
        return text == null || text.trim().isEmpty() ? null : text.trim();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{service=" + mapper.service() + ", client=" + client
                + (closed.get() ? ", closed" : "") + "}";
    }

    /**
     * Builds a {@link LogTideHandler} in code. Without {@link #client(LogTideClient)} the handler
     * creates its own client from the options set here (and the {@code LOGTIDE_*} environment
     * fallback) and closes it in {@link LogTideHandler#close()}.
     *
     * <pre>{@code
     * Handler handler = LogTideHandler.builder()
     *         .options(ClientOptions.fromEnvironment()
     *                 .apiUrl("https://logs.example.com")
     *                 .service("checkout")
     *                 .build())
     *         .level(Level.INFO)
     *         .build();
     * Logger.getLogger("").addHandler(handler);
     * }</pre>
     */
    public static final class Builder {
        private final ClientSettings settings = new ClientSettings();
        private ClientOptions options;
        private LogTideClient client;
        private String service;
        private boolean includeSource = true;
        private String traceIdKey;
        private String spanIdKey;
        private Level level;
        private Filter filter;
        private Formatter formatter;

        private Builder() {
        }

        /**
         * Sets a client option from text, exactly as in {@code logging.properties}.
         *
         * @param name  the name of an option of {@link ClientOption#all()}
         * @param value its text; blank means unset
         * @return this builder
         * @throws IllegalArgumentException for an unknown option
         */
        public Builder option(String name, String value) {
            settings.set(name, value);
            return this;
        }

        /**
         * Uses options built in code (with {@link ClientOptions#builder()} or
         * {@link ClientOptions#fromEnvironment()}) for the client the handler creates (and
         * closes); overrides {@link #option(String, String)}. The client's diagnostics go to the
         * handler's ErrorManager and stderr unless the options name a listener.
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(ClientOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Shares an existing client: the handler flushes it on close but never closes it.
         * Overrides the options.
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(LogTideClient client) {
            this.client = client;
            return this;
        }

        /**
         * @param service the service name of every record (also the default service of a client
         *                the handler creates)
         * @return this builder
         */
        public Builder service(String service) {
            this.service = service;
            settings.set("service", service);
            return this;
        }

        /**
         * @param include whether to send {@code sourceClass} and {@code sourceMethod}; inferring
         *                them walks the caller's stack; default true
         * @return this builder
         */
        public Builder includeSource(boolean include) {
            this.includeSource = include;
            return this;
        }

        /**
         * @param keys comma-separated {@link LogTideMdc} keys holding the trace id, first present
         *             wins; blank gives the default, {@code trace_id,traceId}
         * @return this builder
         */
        public Builder traceIdKey(String keys) {
            this.traceIdKey = keys;
            return this;
        }

        /**
         * @param keys comma-separated {@link LogTideMdc} keys holding the span id, first present
         *             wins; blank gives the default, {@code span_id,spanId}
         * @return this builder
         */
        public Builder spanIdKey(String keys) {
            this.spanIdKey = keys;
            return this;
        }

        /**
         * @param level the handler's level; default ALL
         * @return this builder
         */
        public Builder level(Level level) {
            this.level = level;
            return this;
        }

        /**
         * @param filter the handler's filter
         * @return this builder
         */
        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        /**
         * @param formatter formats the message text instead of the record's own message and
         *                  parameters
         * @return this builder
         */
        public Builder formatter(Formatter formatter) {
            this.formatter = formatter;
            return this;
        }

        /**
         * @return the handler, with a started client
         * @throws IllegalArgumentException naming the option that is missing or invalid
         */
        public LogTideHandler build() {
            List<String> traceIdKeys = ClientSettings.contextKeys(traceIdKey, ClientSettings.DEFAULT_TRACE_ID_KEYS);
            List<String> spanIdKeys = ClientSettings.contextKeys(spanIdKey, ClientSettings.DEFAULT_SPAN_ID_KEYS);
            LogTideHandler handler;
            if (client != null) {
                handler = new LogTideHandler(client, false, service, includeSource, traceIdKeys, spanIdKeys);
            } else {
                ForwardingListener diagnostics = new ForwardingListener();
                ClientOptions resolved;
                if (options != null) {
                    resolved = ClientSettings.reportingTo(options, diagnostics);
                } else {
                    settings.setDiagnosticListener(diagnostics);
                    resolved = settings.toOptions(System::getenv);
                }
                handler = new LogTideHandler(new LogTideClient(resolved), true, service, includeSource,
                        traceIdKeys, spanIdKeys);
                diagnostics.target = handler;
            }
            if (level != null) {
                handler.setLevel(level);
            }
            if (filter != null) {
                handler.setFilter(filter);
            }
            if (formatter != null) {
                handler.setFormatter(formatter);
            }
            return handler;
        }
    }

    /** The client is created before its handler; diagnostics until then go to stderr. */
    private static final class ForwardingListener implements DiagnosticListener {
        volatile LogTideHandler target;

        @Override
        public void report(Severity severity, String message, Throwable error) {
            LogTideHandler handler = target;
            if (handler != null) {
                handler.onDiagnostic(severity, message, error);
            } else {
                toStderr(severity, message, error);
            }
        }
    }
}
