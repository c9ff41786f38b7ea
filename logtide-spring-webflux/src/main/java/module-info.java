/**
 * The Spring WebFlux filter {@link dev.logtide.spring.webflux.LogTideWebFilter}. Micrometer's
 * context-propagation is optional, so this descriptor declares no {@code provides} for its
 * {@code ThreadLocalAccessor} (a module providing a service whose module is absent fails to resolve):
 * on the class path {@code META-INF/services} registers {@code TraceIdsAccessor} and
 * {@code ScopeAccessor}; on the module path the trace id and the request's scope do not follow the
 * Reactor context automatically.
 */
module dev.logtide.spring.webflux {
    requires transitive dev.logtide.http;
    requires transitive spring.webflux;
    requires transitive spring.web;
    requires transitive spring.core;
    requires transitive reactor.core;
    requires static context.propagation;

    exports dev.logtide.spring.webflux;
}
