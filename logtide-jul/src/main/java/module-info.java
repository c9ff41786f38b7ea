/**
 * The {@code java.util.logging} handler {@link dev.logtide.jul.LogTideHandler}. An application module
 * needs only {@code requires dev.logtide.jul;} (the core, OkHttp and Jackson come with it).
 */
module dev.logtide.jul {
    requires transitive dev.logtide;
    requires transitive java.logging;

    exports dev.logtide.jul;
}
