package dev.logtide.query;

import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted Server-Sent Events answer in the server's exact format: chunks are written, and
 * flushed, in order as the test queues them; {@link #end()} ends the answer and closes the
 * connection, as the server does when it drops a stream.
 */
final class SseStream implements MockResponseBody {
    private static final String END = "\u0000end";
    private static final long MAX_LIFE_MS = 60_000;

    private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    private volatile boolean finished;

    SseStream data(String json) {
        chunks.add("data: " + json + "\n\n");
        return this;
    }

    SseStream raw(String text) {
        chunks.add(text);
        return this;
    }

    SseStream connected(String timestamp) {
        return data("{\"type\":\"connected\",\"timestamp\":\"" + timestamp + "\"}");
    }

    SseStream log(String logJson) {
        return data("{\"type\":\"log\",\"data\":" + logJson + "}");
    }

    /** Several log events in one write, as the server sends one poll's page. */
    SseStream logs(List<String> logJsons) {
        StringBuilder page = new StringBuilder();
        for (String logJson : logJsons) {
            page.append("data: {\"type\":\"log\",\"data\":").append(logJson).append("}\n\n");
        }
        return raw(page.toString());
    }

    SseStream heartbeat() {
        return raw(": heartbeat\n\n");
    }

    SseStream end() {
        chunks.add(END);
        return this;
    }

    /** Lets a stream the client abandoned end its server thread. */
    void finish() {
        finished = true;
    }

    MockResponse response() {
        return new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .addHeader("Cache-Control", "no-cache")
                .body(this)
                .removeHeader("Content-Length")
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        long deadline = System.currentTimeMillis() + MAX_LIFE_MS;
        while (!finished && System.currentTimeMillis() < deadline) {
            String chunk;
            try {
                chunk = chunks.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (END.equals(chunk)) {
                return;
            }
            if (chunk != null) {
                sink.writeUtf8(chunk);
                sink.flush();
            }
        }
    }
}
