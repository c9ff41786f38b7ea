package dev.logtide.spring.boot;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;

/**
 * Adds the LogTide appender to the logging framework Spring Boot runs, without XML. One
 * implementation per framework, each loaded only when its framework is the one in use.
 */
interface LoggingAttachment {
    /** The appender's name in the framework's configuration, and how the starter recognises its own. */
    String APPENDER_NAME = "LOGTIDE_SPRING_BOOT";

    /**
     * @return whether the application configured a LogTide appender itself
     *     ({@code logback-spring.xml}, {@code log4j2-spring.xml}); its appender is then left as it
     *     is, and none is added beside it
     */
    boolean configuredByApplication();

    /** @return the client of the application's own LogTide appender, or {@code null} (none, or inactive) */
    LogTideClient applicationClient();

    /**
     * Adds the appender to the root logger, replacing (and so closing) the one a previous start in
     * this JVM added (a DevTools restart), so that one client and one sender thread remain.
     *
     * @param options the client's options
     * @return the appender's client, or {@code null} when the framework refused it (its status says why)
     */
    LogTideClient attach(ClientOptions options);

    /** Removes and stops the appender the starter added, if any. */
    void detach();
}
