/**
 * Spring Boot auto-configuration for LogTide: {@code logtide.*} properties, the appender attached
 * to Logback or Log4j2 without XML, request logging. The logging framework and the web stack are
 * the application's, hence {@code static}.
 */
module dev.logtide.spring.boot {
    requires transitive dev.logtide;
    requires dev.logtide.http;
    requires static dev.logtide.logback;
    requires static dev.logtide.log4j2;
    requires static dev.logtide.servlet;
    requires static dev.logtide.spring.webflux;
    requires static dev.logtide.opentelemetry;
    requires static ch.qos.logback.classic;
    requires static ch.qos.logback.core;
    requires static org.slf4j;
    requires static org.apache.logging.log4j;
    requires static org.apache.logging.log4j.core;
    requires static java.desktop; // java.beans: Log4j2 reports a new configuration as a property change
    requires static jakarta.servlet;
    requires static spring.web;
    requires static spring.webflux;
    requires static micrometer.core;
    requires static spring.boot.actuator;
    requires static spring.boot.health;
    requires spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.context;
    requires spring.core;
    requires spring.beans;
    requires spring.jcl;

    exports dev.logtide.spring.boot;
    // Spring creates the configuration classes and calls their bean methods reflectively.
    opens dev.logtide.spring.boot to spring.core, spring.beans, spring.context;
}
