package app;

import java.util.logging.Handler;
import java.util.logging.Logger;

public class Main {
    public static void main(String[] args) {
        Logger log = Logger.getLogger(Main.class.getName());
        for (int i = 0; i < 10; i++) {
            log.info("modular " + i);
        }
        System.out.println("modules: " + dev.logtide.jul.LogTideHandler.class.getModule().getName()
                + " " + okhttp3.OkHttpClient.class.getModule().getName()
                + " " + Main.class.getModule().getName());
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.close();
        }
    }
}
