package dev.logtide;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Per-request or per-task context added to every entry built on the thread where the scope is
 * current (SDK contract C20): tags, extras, the user (C16: only ever set by the application),
 * a session id, a trace context and breadcrumbs (C21). docs/scope.md has the full picture per
 * framework.
 *
 * <p>A scope is current on the thread that pushed it. {@link #push()} makes a <em>clone</em> of
 * the current scope current and {@link #close()} restores the previous one, so what a request or task
 * changes never leaks out of it:
 *
 * <pre>{@code
 * try (LogTideScope scope = LogTideScope.push()) {
 *     scope.setTag("tenant", "acme").setUser(LogTideScope.User.id("42"));
 *     log.info("checkout");                 // carries tags.tenant and user.id
 * }                                         // the thread's previous scope is current again
 * }</pre>
 *
 * <p>Another thread sees nothing of it unless it is handed over explicitly:
 * {@link #wrap(Runnable)} (and {@link #wrapCallable(Callable)}, {@link #wrapSupplier(Supplier)})
 * runs a task inside a clone of this scope as it is at the call; {@link #executor(Executor)} does
 * that for every task an executor runs, e.g.
 * {@code CompletableFuture.supplyAsync(work, scope.executor(pool))}, and
 * {@link #propagating(Executor)} hands each task the scope of the thread that submits it.
 *
 * <p>How an entry takes the scope: the scope as it is when the entry is built, on the building
 * thread. Its extras become top-level metadata keys; its tags go in {@code metadata.tags}, its
 * user in {@code metadata.user}, its breadcrumbs in {@code metadata.breadcrumbs} (oldest first)
 * and its session id in {@code metadata.session_id}, and also in the top-level
 * {@code session_id} when it is a UUID (LogTide 0.8.0 and newer store it there and refuse a batch
 * with any other value; older servers drop that field, hence the metadata copy). The
 * entry's own values win: its metadata keys, then the logging framework's context (MDC,
 * ThreadContext), then the scope, then the client's global metadata. The scope's trace and span
 * ids are used when the entry has no explicit ids, no span is current and the framework's context
 * has none, before {@link TraceContext}.
 *
 * <p>Changing a scope is thread-safe and never throws for any value (a {@code null} key is
 * ignored; only a negative breadcrumb capacity is refused); reading it for an entry takes no
 * lock. Each change replaces an immutable {@link Values}, so an entry keeps the scope as it was
 * when the entry was built.
 */
public final class LogTideScope implements AutoCloseable {
    /** Breadcrumbs a scope keeps unless {@link #setMaxBreadcrumbs} says otherwise (contract C21). */
    public static final int DEFAULT_MAX_BREADCRUMBS = 100;
    private static final Breadcrumb[] NO_CRUMBS = new Breadcrumb[0];
    private static final ThreadLocal<LogTideScope> CURRENT = new ThreadLocal<>();
    private static final Pattern UUID_FORM = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private volatile Values state;
    /** The scope current before {@link #push()}; restored on {@link #close()}. */
    private final LogTideScope previous;
    /** The thread whose current scope this is (made current by push or wrap), or {@code null}. */
    private final Thread owner;

    private LogTideScope(Values state, LogTideScope previous, Thread owner) {
        this.state = state;
        this.previous = previous;
        this.owner = owner;
    }

    /**
     * The scope current on this thread. With none, an empty one is made current for the rest of
     * the thread's life: values set on it stay for every later entry of the thread, pooled threads
     * included, so a request or task should {@link #push()} its own.
     *
     * @return the current scope, never {@code null}
     */
    public static LogTideScope current() {
        LogTideScope scope = CURRENT.get();
        if (scope == null) {
            scope = new LogTideScope(Values.EMPTY, null, Thread.currentThread());
            CURRENT.set(scope);
        }
        return scope;
    }

    /**
     * Makes a clone of the current scope (or an empty scope) current on this thread until the
     * returned scope is closed: new tag and extra maps, a copy of the breadcrumbs with the same
     * capacity, the same user, session id and trace ids.
     *
     * @return the new current scope; close it on the same thread, in a try-with-resources block
     */
    public static LogTideScope push() {
        LogTideScope before = CURRENT.get();
        return activate(before == null ? Values.EMPTY : before.state, before);
    }

    /**
     * Makes a scope holding the given values current on this thread until it is closed, as
     * {@link #push()} does with the current scope's: to carry a scope across threads by hand
     * (keep {@link #values()}, push them where the work continues).
     *
     * @param values values taken with {@link #values()}; {@code null} for an empty scope
     * @return the new current scope; close it on the same thread
     */
    public static LogTideScope push(Values values) {
        return activate(values == null ? Values.EMPTY : values, CURRENT.get());
    }

    /**
     * An executor that runs each task inside a clone of the scope current on the thread that
     * submits it, as {@link #wrap(Runnable)} does. A dependent stage of a
     * {@code CompletableFuture} ({@code thenApplyAsync}) is submitted by whichever thread completes
     * the stage before it, often a pool thread without the scope: give such chains
     * {@link #executor(Executor)} of the scope instead.
     *
     * @param executor the executor that runs the tasks
     * @return an executor handing the submitter's scope to each task
     */
    public static Executor propagating(Executor executor) {
        return task -> executor.execute(fork().wrap(task));
    }

    /**
     * A clone of the scope current on this thread (or an empty scope), current nowhere: for an
     * integration that makes one request's scope current on each thread serving the request, with
     * {@link #setCurrent(LogTideScope)}.
     *
     * @return the new scope
     */
    public static LogTideScope fork() {
        LogTideScope scope = CURRENT.get();
        return new LogTideScope(scope == null ? Values.EMPTY : scope.state, null, null);
    }

    /**
     * For integrations that carry one request's scope object across threads, as Reactor's context
     * propagation carries a request's context (logtide-spring-webflux): what they save before
     * {@link #setCurrent(LogTideScope)} and give back after.
     *
     * @return the scope current on this thread, or {@code null}; unlike {@link #current()}, none is made
     */
    public static LogTideScope currentOrNull() {
        return CURRENT.get();
    }

    /**
     * Makes this very scope (not a clone) current on the calling thread, or none: for integrations,
     * with {@link #currentOrNull()} and {@link #fork()}. Changes made on any thread where it is
     * current reach the same scope; closing it there does nothing. Applications use {@link #push()}.
     *
     * @param scope the scope, or {@code null} for none
     */
    public static void setCurrent(LogTideScope scope) {
        if (scope == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(scope);
        }
    }

    /**
     * The scope values an entry built now on this thread takes.
     *
     * @return the current scope's values, or {@code null} when none is current or it is empty
     */
    static Values forEntry() {
        LogTideScope scope = CURRENT.get();
        if (scope == null) {
            return null;
        }
        Values s = scope.state;
        return s.isEmpty() ? null : s;
    }

    private static LogTideScope activate(Values state, LogTideScope before) {
        LogTideScope scope = new LogTideScope(state, before, Thread.currentThread());
        CURRENT.set(scope);
        return scope;
    }

    /** @return the scope's values now; later changes do not change them */
    public Values values() {
        return state;
    }

    /**
     * @param key   a tag name; {@code null} is ignored
     * @param value its value, sent in {@code metadata.tags}; {@code null} removes the tag
     * @return this scope
     */
    public LogTideScope setTag(String key, String value) {
        if (key != null) {
            synchronized (this) {
                state = state.withTags(put(state.tags, key, value));
            }
        }
        return this;
    }

    /**
     * @param key   an extra's name, sent as a top-level metadata key; {@code null} is ignored
     * @param value its value, copied now as a log call's metadata is ({@link Snapshot});
     *              {@code null} removes the extra
     * @return this scope
     */
    public LogTideScope setExtra(String key, Object value) {
        if (key != null) {
            Object copy = value == null ? null : Snapshot.value(value);
            synchronized (this) {
                state = state.withExtras(put(state.extras, key, copy));
            }
        }
        return this;
    }

    /**
     * Sets the user the entries are about (contract C16: nothing sets it but the application).
     *
     * @param user the user, sent as {@code metadata.user}; {@code null} clears it
     * @return this scope
     */
    public LogTideScope setUser(User user) {
        synchronized (this) {
            state = state.withUser(user);
        }
        return this;
    }

    /**
     * @param sessionId the session id, sent as {@code metadata.session_id}, and as the top-level
     *                  {@code session_id} when it is a UUID ({@code 8-4-4-4-12} hex digits, which
     *                  LogTide 0.8.0 and newer require there); {@code null} or blank clears it
     * @return this scope
     */
    public LogTideScope setSessionId(String sessionId) {
        String id = sessionId == null || sessionId.isBlank() ? null : sessionId;
        synchronized (this) {
            state = state.withSession(id);
        }
        return this;
    }

    /**
     * Sets the trace context of the scope's entries: used when an entry has no explicit ids, no
     * span is current and the logging framework's context has none (before {@link TraceContext}).
     *
     * @param traceId the trace id, any text (a W3C trace id is 32 hex digits); {@code null} clears it
     * @param spanId  the span id, sent only when it is 16 hex digits; may be {@code null}
     * @return this scope
     */
    public LogTideScope setTrace(String traceId, String spanId) {
        String trace = traceId == null || traceId.isBlank() ? null : traceId;
        synchronized (this) {
            state = state.withTrace(trace, trace == null ? null : spanId);
        }
        return this;
    }

    /**
     * Records a breadcrumb (contract C21): the ring keeps the newest {@link #setMaxBreadcrumbs}
     * (default {@value #DEFAULT_MAX_BREADCRUMBS}), evicting the oldest first, and every entry
     * logged while it holds any carries them, oldest first, as {@code metadata.breadcrumbs}.
     *
     * @param breadcrumb the breadcrumb; {@code null} is ignored
     * @return this scope
     */
    public LogTideScope addBreadcrumb(Breadcrumb breadcrumb) {
        if (breadcrumb != null) {
            synchronized (this) {
                if (state.maxBreadcrumbs > 0) {
                    state = state.plus(breadcrumb);
                }
            }
        }
        return this;
    }

    /**
     * Records {@link Breadcrumb#of(String)}: type custom, level info, timestamped now.
     *
     * @param message what happened
     * @return this scope
     */
    public LogTideScope addBreadcrumb(String message) {
        return addBreadcrumb(Breadcrumb.of(message));
    }

    /**
     * Sets the ring's capacity; the oldest breadcrumbs beyond it are dropped now. A scope pushed
     * from this one starts with the same capacity.
     *
     * @param max the most breadcrumbs kept, 0 to keep none; default {@value #DEFAULT_MAX_BREADCRUMBS}
     * @return this scope
     * @throws IllegalArgumentException when {@code max} is negative
     */
    public LogTideScope setMaxBreadcrumbs(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxBreadcrumbs must not be negative, was " + max);
        }
        synchronized (this) {
            state = state.withCrumbs(state.crumbs, max);
        }
        return this;
    }

    /**
     * Removes every breadcrumb; the capacity stays.
     *
     * @return this scope
     */
    public LogTideScope clearBreadcrumbs() {
        synchronized (this) {
            state = state.withCrumbs(NO_CRUMBS, state.maxBreadcrumbs);
        }
        return this;
    }

    /**
     * Removes every value from this scope, breadcrumbs included; the breadcrumb capacity stays.
     *
     * @return this scope
     */
    public LogTideScope clear() {
        synchronized (this) {
            state = Values.EMPTY.withCrumbs(NO_CRUMBS, state.maxBreadcrumbs);
        }
        return this;
    }

    /**
     * Runs a task inside a clone of this scope as it is now, on whatever thread runs the task;
     * the task's thread gets its previous scope back afterwards.
     *
     * @param task the task
     * @return the wrapped task
     */
    public Runnable wrap(Runnable task) {
        Values s = state;
        return () -> {
            try (LogTideScope ignored = activate(s, CURRENT.get())) {
                task.run();
            }
        };
    }

    /**
     * Like {@link #wrap(Runnable)}, for a task with a result.
     *
     * @param task the task
     * @param <T>  its result type
     * @return the wrapped task
     */
    public <T> Callable<T> wrapCallable(Callable<T> task) {
        Values s = state;
        return () -> {
            try (LogTideScope ignored = activate(s, CURRENT.get())) {
                return task.call();
            }
        };
    }

    /**
     * Like {@link #wrap(Runnable)}, for {@code CompletableFuture.supplyAsync}.
     *
     * @param task the task
     * @param <T>  its result type
     * @return the wrapped task
     */
    public <T> Supplier<T> wrapSupplier(Supplier<T> task) {
        Values s = state;
        return () -> {
            try (LogTideScope ignored = activate(s, CURRENT.get())) {
                return task.get();
            }
        };
    }

    /**
     * An executor that runs each task inside a clone of this scope as it is when the task is
     * submitted, whichever thread submits it: for every stage of a {@code CompletableFuture}
     * chain, {@code supplyAsync(work, scope.executor(pool)).thenAcceptAsync(next, scope.executor(pool))}.
     *
     * @param executor the executor that runs the tasks
     * @return an executor handing this scope to each task
     */
    public Executor executor(Executor executor) {
        return task -> executor.execute(wrap(task));
    }

    /**
     * Makes the scope that was current before this one current again, when this scope is current
     * on the calling thread; otherwise (closed twice, out of order, or on another thread) does
     * nothing.
     */
    @Override
    public void close() {
        if (owner == Thread.currentThread() && CURRENT.get() == this) {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Shows the names of the values, never the values (they may be personal data). */
    @Override
    public String toString() {
        return "LogTideScope" + state;
    }

    /** @return an unmodifiable copy of {@code map} with the key set, or removed for {@code null} */
    static <V> Map<String, V> put(Map<String, V> map, String key, V value) {
        if (value == null && !map.containsKey(key)) {
            return map;
        }
        Map<String, V> copy = new LinkedHashMap<>(map);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return Collections.unmodifiableMap(copy);
    }

    /** @return whether the text is a UUID in the form LogTide's {@code session_id} takes */
    static boolean isUuid(String text) {
        return text != null && UUID_FORM.matcher(text).matches();
    }

    /**
     * The values of a scope at one moment; immutable. An entry holds the snapshot of the scope
     * that was current when it was built ({@link LogEntry#scope()}).
     */
    public static final class Values {
        static final Values EMPTY = new Values(Collections.emptyMap(), Collections.emptyMap(), null, null, null, null,
                NO_CRUMBS, DEFAULT_MAX_BREADCRUMBS);

        private final Map<String, String> tags;
        private final Map<String, Object> extras;
        private final User user;
        private final String sessionId;
        private final String traceId;
        private final String spanId;
        /** Oldest first; never changed once the values exist. */
        private final Breadcrumb[] crumbs;
        private final int maxBreadcrumbs;

        private Values(Map<String, String> tags, Map<String, Object> extras, User user, String sessionId,
                       String traceId, String spanId, Breadcrumb[] crumbs, int maxBreadcrumbs) {
            this.tags = tags;
            this.extras = extras;
            this.user = user;
            this.sessionId = sessionId;
            this.traceId = traceId;
            this.spanId = spanId;
            this.crumbs = crumbs;
            this.maxBreadcrumbs = maxBreadcrumbs;
        }

        private Values withTags(Map<String, String> t) {
            return new Values(t, extras, user, sessionId, traceId, spanId, crumbs, maxBreadcrumbs);
        }

        private Values withExtras(Map<String, Object> x) {
            return new Values(tags, x, user, sessionId, traceId, spanId, crumbs, maxBreadcrumbs);
        }

        private Values withUser(User u) {
            return new Values(tags, extras, u, sessionId, traceId, spanId, crumbs, maxBreadcrumbs);
        }

        private Values withSession(String id) {
            return new Values(tags, extras, user, id, traceId, spanId, crumbs, maxBreadcrumbs);
        }

        private Values withTrace(String trace, String span) {
            return new Values(tags, extras, user, sessionId, trace, span, crumbs, maxBreadcrumbs);
        }

        /** The ring's newest {@code max} breadcrumbs, oldest first. */
        private Values withCrumbs(Breadcrumb[] all, int max) {
            Breadcrumb[] kept = all.length <= max ? all : Arrays.copyOfRange(all, all.length - max, all.length);
            return new Values(tags, extras, user, sessionId, traceId, spanId, kept, max);
        }

        private Values plus(Breadcrumb crumb) {
            Breadcrumb[] all = Arrays.copyOf(crumbs, crumbs.length + 1);
            all[crumbs.length] = crumb;
            return withCrumbs(all, maxBreadcrumbs);
        }

        /** @return the tags, unmodifiable, in the order they were first set */
        public Map<String, String> tags() { return tags; }
        /** @return the extras, unmodifiable, in the order they were first set */
        public Map<String, Object> extras() { return extras; }
        /** @return the user, or {@code null} */
        public User user() { return user; }
        /** @return the session id as set, or {@code null} */
        public String sessionId() { return sessionId; }
        /**
         * @return the session id when it is a UUID, the form the server's top-level
         *     {@code session_id} takes, else {@code null}
         */
        public String sessionIdForServer() { return isUuid(sessionId) ? sessionId : null; }
        /** @return the trace id, or {@code null} */
        public String traceId() { return traceId; }
        /** @return the span id, or {@code null} */
        public String spanId() { return spanId; }
        /** @return the breadcrumbs, oldest first, unmodifiable */
        public List<Breadcrumb> breadcrumbs() { return Collections.unmodifiableList(Arrays.asList(crumbs)); }
        /** @return the most breadcrumbs the scope keeps */
        public int maxBreadcrumbs() { return maxBreadcrumbs; }

        /** @return each breadcrumb's fields as sent, oldest first */
        public List<Map<String, Object>> breadcrumbFields() {
            return new AbstractList<Map<String, Object>>() {
                @Override
                public Map<String, Object> get(int index) {
                    return crumbs[index].fields();
                }

                @Override
                public int size() {
                    return crumbs.length;
                }
            };
        }

        /** @return whether it holds no value at all */
        public boolean isEmpty() {
            return tags.isEmpty() && extras.isEmpty() && user == null && sessionId == null && traceId == null
                    && crumbs.length == 0;
        }

        /** Names what is set, never a value. */
        @Override
        public String toString() {
            return "{tags=" + tags.keySet() + ", extras=" + extras.keySet() + (user == null ? "" : ", user")
                    + (sessionId == null ? "" : ", sessionId") + (traceId == null ? "" : ", trace")
                    + ", breadcrumbs=" + crumbs.length + "}";
        }
    }

    /**
     * The user entries are about, sent as {@code metadata.user}: {@code id}, {@code email},
     * {@code username} when set, then any other field. Immutable; each {@code with} method returns a
     * new user. Nothing in the SDK fills it: it holds only what the application puts in it (C16).
     */
    public static final class User {
        private final Map<String, Object> fields;

        private User(Map<String, Object> fields) {
            this.fields = fields;
        }

        /**
         * @param id the user's id in the application; {@code null} for a user known by other fields
         * @return a user with that id
         */
        public static User id(String id) {
            return new User(Collections.emptyMap()).with("id", id);
        }

        /**
         * @param email the user's email address
         * @return a copy with it
         */
        public User withEmail(String email) { return with("email", email); }

        /**
         * @param username the user's name in the application
         * @return a copy with it
         */
        public User withUsername(String username) { return with("username", username); }

        /**
         * @param key   a field name; {@code null} is ignored
         * @param value its value, copied now ({@link Snapshot}); {@code null} removes it
         * @return a copy with it
         */
        public User with(String key, Object value) {
            return key == null ? this : new User(put(fields, key, value == null ? null : Snapshot.value(value)));
        }

        /** @return the fields as sent, unmodifiable */
        public Map<String, Object> fields() {
            return fields;
        }

        /** Names the fields, never their values. */
        @Override
        public String toString() {
            return "User" + fields.keySet();
        }
    }
}
