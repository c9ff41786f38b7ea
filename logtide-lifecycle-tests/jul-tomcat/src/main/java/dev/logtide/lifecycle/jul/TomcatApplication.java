package dev.logtide.lifecycle.jul;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An embedded Tomcat 11 application that logs through java.util.logging (Tomcat's own logging
 * goes there too) and stops Tomcat from its own JVM shutdown hook, logging as it does: the
 * pattern of many plain servers. LogTide is configured only in {@code logging.properties}.
 */
public final class TomcatApplication {
    private static final Logger log = Logger.getLogger(TomcatApplication.class.getName());

    private TomcatApplication() {
    }

    /**
     * Starts Tomcat on a random port and waits until the JVM is told to stop.
     *
     * @param args none
     * @throws Exception when Tomcat cannot start
     */
    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-app").toString());
        tomcat.setPort(0);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "hello", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                log.info("hello request served");
                response.getWriter().write("hello");
            }
        });
        context.addServletMappingDecoded("/hello", "hello");

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutdown hook: stopping Tomcat");
            try {
                tomcat.stop();
                tomcat.destroy();
                log.info("shutdown hook: Tomcat stopped");
            } catch (LifecycleException e) {
                log.log(Level.SEVERE, "shutdown hook: Tomcat did not stop cleanly", e);
            }
        }, "app-shutdown"));

        tomcat.start();
        log.info("listening on port " + tomcat.getConnector().getLocalPort());
        tomcat.getServer().await();
    }
}
