package app;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

public class Main {
    public static void main(String[] args) {
        Logger log = LogManager.getLogger(Main.class);
        for (int i = 0; i < 10; i++) {
            log.info("modular {}", i);
        }
        System.out.println("modules: " + dev.logtide.log4j2.LogTideAppender.class.getModule().getName()
                + " " + okhttp3.OkHttpClient.class.getModule().getName()
                + " " + Main.class.getModule().getName());
        LogManager.shutdown();
    }
}
