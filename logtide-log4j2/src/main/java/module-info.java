/**
 * The Log4j2 {@code LogTide} appender plugin, {@link dev.logtide.log4j2.LogTideAppender}. An application
 * module needs only {@code requires dev.logtide.log4j2;} (the core, OkHttp and Jackson come with it)
 * besides Log4j2.
 */
module dev.logtide.log4j2 {
    requires transitive dev.logtide;
    requires transitive org.apache.logging.log4j;
    requires transitive org.apache.logging.log4j.core;

    exports dev.logtide.log4j2;
    // Log4j2 sets the plugin builder's private @PluginBuilderAttribute fields reflectively.
    opens dev.logtide.log4j2 to org.apache.logging.log4j.core;

    provides dev.logtide.TraceContext.Mirror with dev.logtide.log4j2.ThreadContextTraceMirror;
}
