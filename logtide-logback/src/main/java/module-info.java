/**
 * The Logback appender {@link dev.logtide.logback.LogTideAppender}. An application module needs only
 * {@code requires dev.logtide.logback;} (the core, OkHttp and Jackson come with it) besides SLF4J and Logback.
 */
module dev.logtide.logback {
    requires transitive dev.logtide;
    requires transitive ch.qos.logback.classic;
    requires transitive ch.qos.logback.core;
    requires org.slf4j;

    exports dev.logtide.logback;

    provides dev.logtide.TraceContext.Mirror with dev.logtide.logback.MdcTraceMirror;
}
