package dev.logtide.spring.boot;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Attaches the LogTide appender right after Spring Boot has initialised its logging system (on
 * {@link ApplicationEnvironmentPreparedEvent}, ordered just after
 * {@link LoggingApplicationListener}), the earliest point at which {@code logtide.*} properties
 * can be read and an appender survives: the lines of the application's start are shipped too.
 * Spring Boot initialises logging again on each start in the same JVM (a DevTools restart); each
 * time the appender is added again, replacing the previous one.
 *
 * <p>Registered in {@code META-INF/spring.factories}, not as a bean: the application context does
 * not exist yet at this point. The client is then given to the context as the singleton
 * {@value #CLIENT_BEAN} for request logging, metrics and health; the context does not close it:
 * the appender does, when Spring Boot stops the logging system after the context has closed, so
 * that what Spring logs while shutting down is delivered (docs/shutdown.md).
 */
public final class LogTideLoggingListener implements GenericApplicationListener {
    /** The bean name of the client in the application context. */
    public static final String CLIENT_BEAN = "logTideClient";

    private static final String LOGBACK = "ch.qos.logback.classic.LoggerContext";
    private static final String LOG4J2 = "org.apache.logging.log4j.core.LoggerContext";

    private LogTideClient client;

    /** Created by Spring Boot from {@code META-INF/spring.factories}. */
    public LogTideLoggingListener() {
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        Class<?> type = eventType.getRawClass();
        return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                || ApplicationPreparedEvent.class.isAssignableFrom(type));
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent) {
            ApplicationEnvironmentPreparedEvent prepared = (ApplicationEnvironmentPreparedEvent) event;
            client = attach(prepared.getEnvironment(), prepared.getSpringApplication().getClassLoader());
        } else if (event instanceof ApplicationPreparedEvent && client != null) {
            ((ApplicationPreparedEvent) event).getApplicationContext().getBeanFactory().registerSingleton(CLIENT_BEAN, client);
        }
    }

    /** Just after Spring Boot's logging system is initialised. */
    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    private static LogTideClient attach(ConfigurableEnvironment environment, ClassLoader classLoader) {
        // Spring Boot's own log, never the LogTide appender: when LogTide is off there is none.
        Log log = LogFactory.getLog(LogTideLoggingListener.class);
        LoggingAttachment attachment = attachment(environment, classLoader);
        if (attachment == null) {
            log.info("LogTide is off: Spring Boot runs neither Logback nor Log4j2");
            return null;
        }
        if (attachment.configuredByApplication()) {
            // The application's own logback-spring.xml / log4j2-spring.xml has a LogTide appender:
            // that one ships, and a second would send every line twice.
            attachment.detach();
            return attachment.applicationClient();
        }
        // Read as text: Spring's Boolean conversion would throw, and a wrong setting must not stop the start.
        String enabled = environment.getProperty(LogTideProperties.ENABLED, "true").trim();
        if ("false".equalsIgnoreCase(enabled)) {
            attachment.detach();
            log.info("LogTide is off: " + LogTideProperties.ENABLED + "=false");
            return null;
        }
        if (!"true".equalsIgnoreCase(enabled)) {
            attachment.detach();
            log.warn("LogTide is off: " + LogTideProperties.ENABLED + " must be true or false, was '" + enabled + "'");
            return null;
        }
        ClientOptions options;
        try {
            options = LogTideProperties.clientOptions(environment);
        } catch (IllegalArgumentException e) {
            attachment.detach();
            log.warn("LogTide is off: " + e.getMessage());
            return null;
        }
        return attachment.attach(options);
    }

    private static LoggingAttachment attachment(ConfigurableEnvironment environment, ClassLoader classLoader) {
        String system = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
        if (LoggingSystem.NONE.equals(system)) {
            return null;
        }
        if (ClassUtils.isPresent(LOG4J2, classLoader)) {
            Log4j2Attachment log4j2 = Log4j2Attachment.active();
            if (log4j2 != null) {
                return log4j2;
            }
        }
        if (ClassUtils.isPresent(LOGBACK, classLoader)) {
            return LogbackAttachment.active();
        }
        return null;
    }
}
