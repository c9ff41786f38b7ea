/**
 * The Spring WebFlux filter {@link dev.logtide.spring.webflux.LogTideWebFilter}. Micrometer's
 * context-propagation is optional; on the module path the application module must require it for the
 * trace id to follow the Reactor context.
 */
module dev.logtide.spring.webflux {
    requires transitive dev.logtide.http;
    requires transitive spring.webflux;
    requires transitive spring.web;
    requires transitive spring.core;
    requires transitive reactor.core;
    requires static micrometer.context.propagation;

    exports dev.logtide.spring.webflux;

    provides io.micrometer.context.ThreadLocalAccessor with dev.logtide.spring.webflux.TraceIdsAccessor;
}
