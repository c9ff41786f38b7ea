package dev.logtide.servlet;

import jakarta.servlet.ServletContainerInitializer;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real embedded Tomcat 11 on a random loopback port, for the filter's tests. */
final class EmbeddedTomcat implements AutoCloseable {
    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;

    /**
     * @param maxThreads request threads: 1 makes consecutive requests share a pooled thread
     * @throws Exception when the base directory cannot be made
     */
    EmbeddedTomcat(int maxThreads) throws Exception {
        baseDir = Files.createTempDirectory("tomcat");
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getConnector().setProperty("maxThreads", Integer.toString(maxThreads));
    }

    /**
     * @param path        the context path, {@code ""} for the root
     * @param initializer registers the context's filters and servlets, as a container initializer does
     * @return the context, for error pages
     */
    Context context(String path, ServletContainerInitializer initializer) {
        Context context = tomcat.addContext(path, baseDir.toString());
        context.addServletContainerInitializer(initializer, null);
        return context;
    }

    /**
     * @return the base URL, {@code http://127.0.0.1:port}
     * @throws Exception when Tomcat does not start
     */
    String start() throws Exception {
        tomcat.start();
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
