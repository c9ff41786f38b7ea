/** The Jakarta Servlet filter {@link dev.logtide.servlet.LogTideFilter}. */
module dev.logtide.servlet {
    requires transitive dev.logtide.http;
    requires transitive jakarta.servlet;

    exports dev.logtide.servlet;
}
