/**
 * The LogTide delivery engine and programmatic client: {@link dev.logtide.LogTideClient},
 * {@link dev.logtide.ClientOptions}, {@link dev.logtide.TraceContext}, the query API in
 * {@code dev.logtide.query} and diagnostics in {@code dev.logtide.diagnostics}.
 *
 * <p>{@code dev.logtide.internal.*} is the engine, not API: it may change in any release. Three of
 * its packages are exported only to LogTide's own adapters.
 * OkHttp is required transitively because {@code QueryClient} takes an {@code OkHttpClient}.
 */
// The adapters' modules require this one, so they are never on its module path and javac warns
// "module not found" for each name in the qualified exports below. Each adapter's own compilation
// checks the names: a misspelt one leaves that adapter unable to read these packages, and it fails
// to compile.
@SuppressWarnings("module")
module dev.logtide {
    requires transitive okhttp3;
    requires okio;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    exports dev.logtide;
    exports dev.logtide.diagnostics;
    exports dev.logtide.query;
    exports dev.logtide.internal.config to
            dev.logtide.logback, dev.logtide.log4j2, dev.logtide.jul, dev.logtide.http;
    exports dev.logtide.internal.entry to
            dev.logtide.logback, dev.logtide.log4j2, dev.logtide.jul;
    exports dev.logtide.internal.diagnostics to
            dev.logtide.http;

    // The Logback and Log4j2 adapters copy the trace id into their MDC / ThreadContext.
    uses dev.logtide.TraceContext.Mirror;
    // logtide-opentelemetry gives entries the active span's ids.
    uses dev.logtide.TraceContext.SpanSource;
}
