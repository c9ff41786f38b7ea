package dev.logtide.internal.transport;

import dev.logtide.ClientOptions;
import dev.logtide.internal.diagnostics.Redaction;
import dev.logtide.internal.entry.SdkInfo;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Posts encoded batches to {@code /api/v1/ingest}. One request at a time, started by the sender
 * thread; {@link #cancel()} lets {@code close()} abandon a request to a hung server.
 */
final class HttpTransport {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_ERROR_BODY = 300;
    /** How much of an error body is read: enough to redact the key before the text is cut. */
    private static final int MAX_ERROR_BODY_READ = 8 * 1024;
    /** Retry-After delay-seconds; a fraction is allowed (LogTide SDK contract C09). */
    private static final Pattern DELAY_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

    private final OkHttpClient http;
    private final HttpUrl ingestUrl;
    private final String apiKey;
    private final long requestTimeoutMs;
    private final String userAgent = SdkInfo.NAME + "/" + SdkInfo.VERSION;
    private volatile Call inFlight;

    HttpTransport(ClientOptions options, OkHttpClient http) {
        this.http = http;
        this.ingestUrl = HttpUrl.get(options.apiUrl()).newBuilder().addPathSegments("api/v1/ingest").build();
        this.apiKey = options.apiKey();
        this.requestTimeoutMs = options.requestTimeoutMs();
    }

    /** What the server said to one request. */
    static final class Answer {
        /** HTTP status, or -1 when the request failed with an I/O error. */
        final int status;
        /** The server's Retry-After in milliseconds, or -1. */
        final long retryAfterMs;
        /** The start of the error body, or the I/O error, for diagnostics. */
        final String detail;
        final long latencyMicros;

        Answer(int status, long retryAfterMs, String detail, long latencyMicros) {
            this.status = status;
            this.retryAfterMs = retryAfterMs;
            this.detail = detail;
            this.latencyMicros = latencyMicros;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** I/O errors, timeouts, rate limiting and server errors may pass; retry them. */
        boolean transientFailure() {
            return status == -1 || status == 408 || status == 429 || status >= 500;
        }
    }

    /** Sends {@code [from, to)} of the batch and waits for the answer. */
    Answer post(EncodedBatch batch, int from, int to) {
        long started = System.nanoTime();
        // Building the request is inside the error handling too: a header value OkHttp refuses
        // must come back as a failure, never as an exception that carries the value.
        try {
            Call call = newCall(batch, from, to);
            inFlight = call;
            try (Response response = call.execute()) {
                return answer(response, started);
            }
        } catch (IOException | RuntimeException e) {
            return failure(e, started);
        } finally {
            inFlight = null;
        }
    }

    private Call newCall(EncodedBatch batch, int from, int to) {
        Call call = http.newCall(request(batch, from, to));
        // The whole request, error body included: a server that trickles bytes cannot hold delivery.
        call.timeout().timeout(requestTimeoutMs, TimeUnit.MILLISECONDS);
        return call;
    }

    /**
     * Sends {@code [from, to)} of the batch on OkHttp's dispatcher, so the sender can encode the
     * next batch meanwhile; the batch must not change until the answer is in.
     */
    CompletableFuture<Answer> postAsync(EncodedBatch batch, int from, int to) {
        CompletableFuture<Answer> done = new CompletableFuture<>();
        long started = System.nanoTime();
        Call call;
        try {
            call = newCall(batch, from, to);
        } catch (RuntimeException e) {
            done.complete(failure(e, started));
            return done;
        }
        inFlight = call;
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                try (Response r = response) {
                    done.complete(answer(r, started));
                } catch (RuntimeException e) {
                    done.complete(failure(e, started));
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                done.complete(failure(e, started));
            }
        });
        return done.whenComplete((a, e) -> inFlight = null);
    }

    private Request request(EncodedBatch batch, int from, int to) {
        long contentLength = batch.bodyLength(from, to);
        RequestBody body = new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public long contentLength() {
                return contentLength;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                batch.writeBody(sink, from, to);
            }
        };
        return new Request.Builder()
                .url(ingestUrl)
                .header("X-API-Key", apiKey)
                .header("User-Agent", userAgent)
                .post(body)
                .build();
    }

    private Answer answer(Response response, long started) {
        String detail = response.isSuccessful() ? null : errorBody(response.body());
        long latency = (System.nanoTime() - started) / 1000;
        return new Answer(response.code(), retryAfter(response.header("Retry-After")), detail, latency);
    }

    private Answer failure(Exception e, long started) {
        long latency = (System.nanoTime() - started) / 1000;
        String what = e instanceof InterruptedIOException && "timeout".equals(e.getMessage())
                ? "request took longer than requestTimeoutMs (" + requestTimeoutMs + " ms)"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new Answer(-1, -1, Redaction.outsideText(what, apiKey, MAX_ERROR_BODY), latency);
    }

    /** Abandons the request in flight, if any. */
    void cancel() {
        Call call = inFlight;
        if (call != null) {
            call.cancel();
        }
    }

    /** @return where entries are posted (never carries the key) */
    HttpUrl ingestUrl() {
        return ingestUrl;
    }

    /** The start of an error body, with the key redacted before the text is cut. */
    private String errorBody(ResponseBody body) {
        try {
            BufferedSource source = body.source();
            source.request(MAX_ERROR_BODY_READ);
            Buffer buffer = source.getBuffer();
            String text = buffer.readUtf8(Math.min(buffer.size(), MAX_ERROR_BODY_READ));
            return Redaction.outsideText(text, apiKey, MAX_ERROR_BODY);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Retry-After is either delay-seconds or an HTTP date (RFC 9110). A fraction of a second is
     * honoured and a negative or unreadable value ignored (-1), as the LogTide SDK contract (C09)
     * has every official SDK do.
     */
    static long retryAfter(String value) {
        if (value == null || value.trim().isEmpty()) {
            return -1;
        }
        String v = value.trim();
        if (DELAY_SECONDS.matcher(v).matches()) {
            BigDecimal millis = new BigDecimal(v).movePointRight(3).setScale(0, RoundingMode.CEILING);
            return millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : millis.longValue();
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
        } catch (DateTimeParseException notDate) {
            return -1;
        }
    }
}
