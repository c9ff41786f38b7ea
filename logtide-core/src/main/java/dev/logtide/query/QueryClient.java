package dev.logtide.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogLevel;
import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.internal.diagnostics.Diagnostics;
import dev.logtide.internal.diagnostics.Redaction;
import dev.logtide.internal.transport.HttpClients;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads logs back from a LogTide server: search, one trace, one log, aggregated statistics and
 * the live tail. {@link dev.logtide.LogTideClient} and {@link dev.logtide.AsyncLogTideClient}
 * expose these calls; build one directly for a read-only tool that ships no logs.
 *
 * <p>Reads go straight to the server on the given OkHttpClient: they do not pass through the
 * delivery buffer or its circuit breaker, so a query works (or fails with its own error) whatever
 * the state of log delivery. Every request carries the API key in the {@code X-API-Key} header,
 * never in the URL; redirects are not followed, so the key never reaches another address.
 *
 * <p>The client given is not changed: reads use a copy of it (its pool, dispatcher and the
 * interceptors you added) without the interceptors the OpenTelemetry Java agent adds to every OkHttp
 * client, so reads make no span and carry no {@code traceparent} of the agent's, as the SDK's log
 * delivery does not (docs/opentelemetry.md). An interceptor you added yourself still runs.
 *
 * <p>Failures are unchecked: {@link LogTideApiException} for an HTTP error answer,
 * {@link LogTideQueryException} for an unreachable server or a malformed answer. Both name the
 * request URL and never contain the API key. Instances are thread-safe.
 *
 * <p>Every read call is bounded: it fails with a {@link LogTideQueryException} when it takes longer
 * than its time limit in all (connecting, waiting and reading the answer, however slowly the server
 * sends it; default {@link #DEFAULT_CALL_TIMEOUT}), or when the answer, decoded (after gzip), is
 * larger than its size limit (default {@link #DEFAULT_MAX_ANSWER_BYTES}). The message says which
 * limit was hit. The live tail's stream has no time limit (it is meant to stay open), but its
 * catch-up queries have.
 */
public final class QueryClient {
    /**
     * The time limit of one read call when none is given: 60 seconds, or the HTTP client's
     * connect timeout plus its read timeout when that is longer (raising the timeouts is never
     * silently cut short).
     */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The largest decoded answer read when none is given: 64 MiB. A full page of 1000 logs fits
     * many times over; a broken or hostile server cannot exhaust the heap.
     */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 64L * 1024 * 1024;

    static final String JSON = "application/json";
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final long ERROR_BODY_LIMIT = 64 * 1024;
    private static final int SNIPPET = 200;

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String apiKey;
    private final Diagnostics diagnostics;
    private final Duration callTimeout;
    private final long maxAnswerBytes;

    /**
     * A client with the default limits ({@link #DEFAULT_CALL_TIMEOUT}, {@link #DEFAULT_MAX_ANSWER_BYTES}).
     *
     * @param http        the HTTP client to share (its connection pool and dispatcher are reused)
     * @param apiUrl      the server's base URL, {@code http(s)://host[:port][/base]}
     * @param apiKey      the project API key
     * @param diagnostics where the live tail reports what it recovers from (warnings and errors,
     *                    each distinct message at most once a minute); {@code null} for stderr
     * @throws IllegalArgumentException when the URL is not http(s) or the key is blank
     */
    public QueryClient(OkHttpClient http, String apiUrl, String apiKey, DiagnosticListener diagnostics) {
        this(http, apiUrl, apiKey, diagnostics, defaultCallTimeout(http), DEFAULT_MAX_ANSWER_BYTES);
    }

    /**
     * @param http           the HTTP client to share (its connection pool and dispatcher are reused)
     * @param apiUrl         the server's base URL, {@code http(s)://host[:port][/base]}
     * @param apiKey         the project API key
     * @param diagnostics    where the live tail reports what it recovers from (warnings and errors,
     *                       each distinct message at most once a minute); {@code null} for stderr
     * @param callTimeout    the most time one read call may take in all, positive
     * @param maxAnswerBytes the largest answer read, in bytes after decompression, positive
     * @throws IllegalArgumentException when the URL is not http(s), the key is blank or a limit is not positive
     */
    public QueryClient(OkHttpClient http, String apiUrl, String apiKey, DiagnosticListener diagnostics,
                       Duration callTimeout, long maxAnswerBytes) {
        QueryOptions.require(callTimeout != null && !callTimeout.isNegative() && !callTimeout.isZero(),
                "callTimeout must be positive, was " + callTimeout);
        QueryOptions.require(maxAnswerBytes > 0, "maxAnswerBytes must be positive, was " + maxAnswerBytes);
        HttpUrl parsed = apiUrl == null ? null : HttpUrl.parse(apiUrl.trim());
        if (parsed == null) {
            throw new IllegalArgumentException("apiUrl must be an http:// or https:// URL");
        }
        if (apiKey == null || apiKey.trim().isEmpty()) {
            throw new IllegalArgumentException("apiKey is required to read logs");
        }
        // Without following redirects the key header cannot be carried to another host.
        // OkHttp's call timeout spans the whole call, reading the body included: a server that
        // trickles its answer a byte at a time cannot hold a read for longer.
        this.http = HttpClients.builder(http).followRedirects(false).followSslRedirects(false).callTimeout(callTimeout).build();
        this.callTimeout = callTimeout;
        this.maxAnswerBytes = maxAnswerBytes;
        this.base = parsed.newBuilder().username("").password("").query(null).fragment(null).build();
        this.apiKey = apiKey.trim();
        this.diagnostics = Diagnostics.of(diagnostics);
    }

    /**
     * Searches logs ({@code GET /api/v1/logs}): one page, newest first.
     *
     * @param options filters and paging
     * @return the page
     * @throws LogTideApiException   on an HTTP error answer (401: key rejected)
     * @throws LogTideQueryException when the server is unreachable, answers malformed JSON, or a
     *     limit of the call (time, answer size) is hit
     */
    public LogsResponse query(QueryOptions options) {
        return execute(logsUrl(options), Answers::logsResponse, null, null);
    }

    /**
     * Like {@link #query(QueryOptions)}, without blocking: the future completes on OkHttp's
     * dispatcher thread, and cancelling it cancels the HTTP call.
     *
     * @param options filters and paging
     * @return the page, or a failure as in {@link #query(QueryOptions)}
     */
    public CompletableFuture<LogsResponse> queryAsync(QueryOptions options) {
        return executeAsync(logsUrl(options), Answers::logsResponse, null);
    }

    /**
     * Every log that matches, fetched lazily page by page by following {@code nextCursor}: a page
     * is requested only when the stream needs its first element, so {@code limit(n)} or
     * {@code findFirst()} stop the requests early. {@link QueryOptions#limit()} is the page size.
     * A failed page request throws from the stream operation that needed it.
     *
     * @param options filters, and where to start
     * @return the matches, newest first
     */
    public Stream<LogRecord> queryAll(QueryOptions options) {
        Iterator<LogRecord> pages = new PageIterator(options);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * The logs of one trace ({@code GET /api/v1/logs/trace/{traceId}}), oldest first.
     *
     * @param traceId the trace id; any string (it is URL-encoded as one path segment)
     * @return the trace's logs; empty when none
     * @throws IllegalArgumentException when the id is blank, {@code .} or {@code ..}
     */
    public List<LogRecord> getByTraceId(String traceId) {
        return execute(traceUrl(traceId), Answers::logList, null, null);
    }

    /**
     * Like {@link #getByTraceId(String)}, without blocking.
     *
     * @param traceId the trace id
     * @return the trace's logs
     */
    public CompletableFuture<List<LogRecord>> getByTraceIdAsync(String traceId) {
        return executeAsync(traceUrl(traceId), Answers::logList, null);
    }

    /**
     * One log by id ({@code GET /api/v1/logs/{id}}).
     *
     * @param logId the log's id, a UUID
     * @return the log, or empty when the server has none with that id (404)
     * @throws IllegalArgumentException when the id is not a UUID (no log can have it, and other
     *     routes such as {@code stream} share the path)
     */
    public Optional<LogRecord> getLog(String logId) {
        return execute(logUrl(logId), QueryClient::presentLog, Optional.empty(), null);
    }

    /**
     * Like {@link #getLog(String)}, without blocking.
     *
     * @param logId the log's id, a UUID
     * @return the log, or empty on a 404
     */
    public CompletableFuture<Optional<LogRecord>> getLogAsync(String logId) {
        return executeAsync(logUrl(logId), QueryClient::presentLog, Optional.empty());
    }

    /**
     * Log counts per time bucket ({@code GET /api/v1/logs/aggregated}).
     *
     * @param options the range, bucket width and service
     * @return the buckets
     */
    public AggregatedStats getAggregatedStats(AggregatedStatsOptions options) {
        return execute(statsUrl(options), Answers::stats, null, null);
    }

    /**
     * Like {@link #getAggregatedStats(AggregatedStatsOptions)}, without blocking.
     *
     * @param options the range, bucket width and service
     * @return the buckets
     */
    public CompletableFuture<AggregatedStats> getAggregatedStatsAsync(AggregatedStatsOptions options) {
        return executeAsync(statsUrl(options), Answers::stats, null);
    }

    /**
     * Starts a live tail ({@code GET /api/v1/logs/stream}) and returns at once. See {@link LiveTail}.
     *
     * @param onLog   receives each new log once, on the tail's own thread
     * @param onError receives the error that stopped the tail (a rejected key, a missing route),
     *                at most once; {@code null} to ignore
     * @param options filters and reconnection; {@code null} for {@link LiveTailOptions#defaults()}
     * @return the running tail; close it to stop
     */
    public LiveTail stream(Consumer<? super LogRecord> onLog, Consumer<? super Throwable> onError,
                           LiveTailOptions options) {
        if (onLog == null) {
            throw new IllegalArgumentException("onLog must not be null");
        }
        LiveTail tail = new LiveTail(this, onLog, onError, options == null ? LiveTailOptions.defaults() : options);
        tail.start();
        return tail;
    }

    /** @return the most time one read call may take in all (the live tail's stream excepted) */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** @return the largest answer a read call accepts, in bytes after decompression */
    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    @Override
    public String toString() {
        return "QueryClient{" + base + "}";
    }

    private static Duration defaultCallTimeout(OkHttpClient http) {
        long ms = (long) http.connectTimeoutMillis() + http.readTimeoutMillis();
        return ms > DEFAULT_CALL_TIMEOUT.toMillis() ? Duration.ofMillis(ms) : DEFAULT_CALL_TIMEOUT;
    }

    // ---- internals shared with LiveTail ----

    private static Optional<LogRecord> presentLog(JsonNode root) {
        return Optional.of(Answers.singleLog(root));
    }

    HttpUrl.Builder route(String segments) {
        return base.newBuilder().addPathSegments(segments);
    }

    HttpUrl logsUrl(QueryOptions o) {
        HttpUrl.Builder url = route("api/v1/logs");
        for (String service : o.services()) {
            url.addQueryParameter("service", service);
        }
        for (LogLevel level : o.levels()) {
            url.addQueryParameter("level", level.wireName());
        }
        addParam(url, "from", o.from() == null ? null : Answers.formatInstant(o.from()));
        addParam(url, "to", o.to() == null ? null : Answers.formatInstant(o.to()));
        addParam(url, "traceId", o.traceId());
        addParam(url, "q", o.q());
        addParam(url, "searchMode", o.searchMode() == null ? null : o.searchMode().wireName());
        addParam(url, "limit", o.limit() == null ? null : o.limit().toString());
        addParam(url, "offset", o.offset() == null ? null : o.offset().toString());
        addParam(url, "cursor", o.cursor());
        return url.build();
    }

    private static void addParam(HttpUrl.Builder url, String name, String value) {
        if (value != null) {
            url.addQueryParameter(name, value);
        }
    }

    private HttpUrl traceUrl(String traceId) {
        if (traceId == null || traceId.trim().isEmpty()) {
            throw new IllegalArgumentException("traceId must not be null or blank");
        }
        if (traceId.equals(".") || traceId.equals("..")) {
            // URL path rules turn these into "this folder" and "parent folder": no route can receive them.
            throw new IllegalArgumentException("traceId cannot be \".\" or \"..\": a URL path cannot carry it");
        }
        return route("api/v1/logs/trace").addPathSegment(traceId).build();
    }

    private HttpUrl logUrl(String logId) {
        if (logId == null || !UUID_FORM.matcher(logId).matches()) {
            throw new IllegalArgumentException("logId must be a UUID, was " + logId);
        }
        return route("api/v1/logs").addPathSegment(logId).build();
    }

    private HttpUrl statsUrl(AggregatedStatsOptions o) {
        HttpUrl.Builder url = route("api/v1/logs/aggregated")
                .addQueryParameter("from", Answers.formatInstant(o.from()))
                .addQueryParameter("to", Answers.formatInstant(o.to()))
                .addQueryParameter("interval", o.interval().wireName());
        addParam(url, "service", o.service());
        return url.build();
    }

    OkHttpClient http() {
        return http;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * @throws LogTideQueryException when the key cannot be sent in a header; OkHttp's own error
     *     carries the whole header value, the key, so it is replaced by one that names the rule
     */
    Request request(HttpUrl url, String accept) {
        try {
            return new Request.Builder().url(url).header("X-API-Key", apiKey).header("Accept", accept).get().build();
        } catch (IllegalArgumentException e) {
            throw new LogTideQueryException("GET " + url + " was not sent: the API key has a character an HTTP header"
                    + " cannot carry (only visible ASCII; a space, line break, BOM or no-break space pasted with the key?)",
                    url.toString(), null);
        }
    }

    /** Decodes one JSON answer into a value; throws {@link Answers.MalformedAnswer} on a wrong shape. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(JsonNode root);
    }

    /**
     * Runs a GET on the calling thread.
     *
     * @param ifNotFound what a 404 means, or {@code null} when a 404 is an error
     * @param onCall     told the call before it runs, so another thread can cancel it; or {@code null}
     */
    <T> T execute(HttpUrl url, Decoder<T> decoder, T ifNotFound, Consumer<Call> onCall) {
        Call call = http.newCall(request(url, JSON));
        if (onCall != null) {
            onCall.accept(call);
        }
        try (Response response = call.execute()) {
            return decode(url, response, decoder, ifNotFound);
        } catch (IOException e) {
            throw networkError(url, e);
        }
    }

    private <T> CompletableFuture<T> executeAsync(HttpUrl url, Decoder<T> decoder, T ifNotFound) {
        Call call;
        try {
            call = http.newCall(request(url, JSON));
        } catch (LogTideQueryException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        // cancel(), orTimeout() or completeExceptionally() by the caller abandon the request.
        future.whenComplete((value, error) -> {
            if (error != null) {
                call.cancel();
            }
        });
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                future.completeExceptionally(networkError(url, e));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (Response closing = response) {
                    future.complete(decode(url, closing, decoder, ifNotFound));
                } catch (IOException e) {
                    future.completeExceptionally(networkError(url, e));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
        });
        return future;
    }

    private <T> T decode(HttpUrl url, Response response, Decoder<T> decoder, T ifNotFound) throws IOException {
        int status = response.code();
        if (status == 404 && ifNotFound != null && !isUnknownRoute(response)) {
            return ifNotFound;
        }
        if (!response.isSuccessful()) {
            throw apiError(url, response);
        }
        JsonNode root;
        try {
            root = Answers.MAPPER.readTree(boundedBody(url, response).inputStream());
        } catch (JsonProcessingException e) {
            throw new LogTideQueryException("GET " + url + " answered " + status
                    + " with a body that is not JSON (Content-Type " + response.header("Content-Type", "none")
                    + "): " + redact(e.getOriginalMessage()), url.toString(), null);
        }
        try {
            return decoder.decode(root);
        } catch (Answers.MalformedAnswer e) {
            throw new LogTideQueryException("GET " + url + " answered " + status
                    + " with JSON of an unexpected shape: " + redact(e.getMessage()), url.toString(), null);
        }
    }

    /**
     * Reads the whole answer, decoded, refusing one larger than {@code maxAnswerBytes} before it
     * is all in memory: at most the limit plus one read's worth is ever held.
     */
    private Buffer boundedBody(HttpUrl url, Response response) throws IOException {
        ResponseBody body = response.body();
        BufferedSource source = body.source();
        // A declared length is checked before reading; gzip answers declare none and are counted as read.
        if (body.contentLength() > maxAnswerBytes || source.request(maxAnswerBytes + 1)) {
            throw new LogTideQueryException("GET " + url + " answered " + response.code() + " with more than "
                    + bytes(maxAnswerBytes) + ", the size limit of an answer (decoded); ask for less: a smaller limit or"
                    + " a shorter time range", url.toString(), null);
        }
        return source.getBuffer();
    }

    private static String bytes(long n) {
        return n % (1024 * 1024) == 0 ? n / (1024 * 1024) + " MiB" : n + " bytes";
    }

    /** The error for an HTTP error answer, with the server's own explanation when it gave one. */
    LogTideApiException apiError(HttpUrl url, Response response) {
        int status = response.code();
        String error = null;
        String message = null;
        String body = null;
        try {
            body = response.peekBody(ERROR_BODY_LIMIT).string();
        } catch (IOException | IllegalStateException ignored) {
            // The status alone still explains the failure.
        }
        if (body != null && !body.trim().isEmpty()) {
            try {
                JsonNode root = Answers.MAPPER.readTree(body);
                error = shortText(root.get("error"));
                message = shortText(root.get("message"));
            } catch (JsonProcessingException notJson) {
                message = snippet(body);
            }
        }
        StringBuilder text = new StringBuilder("GET ").append(url).append(" answered ").append(status);
        if (status == 401) {
            text.append(": the API key was rejected");
        } else if (status == 403) {
            // LogTide 0.5.0 keys have no scopes: a 403 comes from a proxy, or a server that restricts keys.
            text.append(": the server or a proxy in front of it refused to let this API key read logs");
        } else if (status == 404) {
            text.append(": no such route; check that apiUrl (with its base path) points at the LogTide API");
        } else if (status >= 300 && status < 400) {
            text.append(": a redirect to ").append(response.header("Location", "nowhere"))
                    .append("; redirects are not followed so the API key stays with apiUrl: set apiUrl to the new address");
        } else if (status == 429) {
            String retryAfter = response.header("Retry-After");
            text.append(": rate limited").append(retryAfter == null ? "" : ", retry after " + retryAfter + " s");
        }
        if (error != null || message != null) {
            text.append(" (").append(error == null ? message : message == null ? error : error + ": " + message).append(')');
        }
        return new LogTideApiException(text.toString(), url.toString(), status, error, message);
    }

    /** Fastify's answer for a path it has no route for (a wrong base path), unlike "no such log". */
    private static boolean isUnknownRoute(Response response) {
        try {
            JsonNode root = Answers.MAPPER.readTree(response.peekBody(ERROR_BODY_LIMIT).string());
            String message = root.path("message").asText("");
            return message.startsWith("Route ") && message.endsWith(" not found");
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    LogTideQueryException networkError(HttpUrl url, IOException e) {
        if (isCallTimeout(e)) {
            return new LogTideQueryException("GET " + url + " did not complete within " + callTimeout.toMillis()
                    + " ms, the time limit of a read call; the server is slow to answer or sends its answer slowly",
                    url.toString(), e);
        }
        return new LogTideQueryException("GET " + url + " failed: " + redact(e.toString()), url.toString(), e);
    }

    /**
     * OkHttp reports its call timeout as a plain {@code InterruptedIOException("timeout")};
     * socket read and connect timeouts are {@link SocketTimeoutException}s.
     */
    private static boolean isCallTimeout(IOException e) {
        return e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                && "timeout".equals(e.getMessage());
    }

    /** Text from outside made safe to show: no piece of the key, no control characters, no URL credentials. */
    String redact(String text) {
        return text == null ? null : Redaction.outsideText(text, apiKey, text.length());
    }

    private String shortText(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return snippet(n.isTextual() ? n.asText() : n.toString());
    }

    /** Server text shown to the user, on one line: redacted first, then cut, so a cut never leaves part of the key. */
    private String snippet(String s) {
        return Redaction.outsideText(s.trim().replaceAll("\\s+", " "), apiKey, SNIPPET);
    }

    /** Follows nextCursor one page at a time, fetching a page only when the previous one is used up. */
    private final class PageIterator implements Iterator<LogRecord> {
        private QueryOptions nextPage;
        private Iterator<LogRecord> current = Collections.emptyIterator();

        PageIterator(QueryOptions first) {
            this.nextPage = first;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && nextPage != null) {
                QueryOptions asked = nextPage;
                LogsResponse page = query(asked);
                current = page.logs().iterator();
                String cursor = page.nextCursor().orElse(null);
                // An empty page or a cursor that does not move would loop forever.
                boolean more = cursor != null && !page.logs().isEmpty() && !cursor.equals(asked.cursor());
                nextPage = more ? asked.atCursor(cursor) : null;
            }
            return current.hasNext();
        }

        @Override
        public LogRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}
