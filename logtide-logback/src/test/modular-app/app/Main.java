package app;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Main {
    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger(Main.class);
        for (int i = 0; i < 11; i++) {
            log.info("modular {}", i);
        }
        System.out.println("modules: " + dev.logtide.logback.LogTideAppender.class.getModule().getName()
                + " " + okhttp3.OkHttpClient.class.getModule().getName()
                + " " + Main.class.getModule().getName());
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}
