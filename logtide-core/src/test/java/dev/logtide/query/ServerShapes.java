package dev.logtide.query;

import dev.logtide.diagnostics.DiagnosticListener;
import dev.logtide.internal.diagnostics.Diagnostics;
import mockwebserver3.MockResponse;

import java.util.List;

/** The LogTide server's exact answer shapes (see shared/logtide-server-api.md), for replay. */
final class ServerShapes {
    static final String KEY = "lp_test_key_0123456789abcdef";

    private ServerShapes() {
    }

    /** A UUID whose last group is {@code n}, so tests can tell logs apart. */
    static String uuid(int n) {
        return String.format("0b7c1e2a-5d4f-4c3b-9a8e-%012d", n);
    }

    /** One log as the query routes and the stream's {@code data} carry it (camelCase traceId/projectId). */
    static String log(int n, String time, String level, String message) {
        return "{\"id\":\"" + uuid(n) + "\",\"time\":\"" + time + "\",\"projectId\":\"7d3f2c1b-0000-4000-8000-000000000001\","
                + "\"service\":\"api\",\"level\":\"" + level + "\",\"message\":\"" + message + "\","
                + "\"metadata\":{\"user\":{\"id\":42},\"tags\":[\"a\",\"b\"],\"ok\":true,\"ratio\":0.5,\"none\":null},"
                + "\"traceId\":\"trace-" + n + "\"}";
    }

    /** {@code GET /api/v1/logs}: {"logs":[...],"total":N,"limit":L,"offset":O,"nextCursor":...}. */
    static String page(String nextCursor, String... logs) {
        return "{\"logs\":[" + String.join(",", logs) + "],\"total\":" + logs.length + ",\"limit\":100,\"offset\":0"
                + (nextCursor == null ? "" : ",\"nextCursor\":\"" + nextCursor + "\"") + "}";
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8")
                .body(body).build();
    }

    static MockResponse json(String body) {
        return json(200, body);
    }

    /** The server's answer to a wrong key. */
    static MockResponse invalidKey() {
        return json(401, "{\"error\":\"Unauthorized\",\"message\":\"Invalid API key\"}");
    }

    /** A 403 on a read route: not from LogTide 0.5.0 (its keys have no scopes), but from a proxy in front of it. */
    static MockResponse forbidden() {
        return json(403, "{\"error\":\"Forbidden\",\"message\":\"Access denied by policy\"}");
    }

    /** Diagnostics that collect their messages instead of printing them. */
    static Diagnostics collecting(List<String> messages) {
        DiagnosticListener listener = (severity, message, error) -> messages.add(severity + " " + message);
        return new Diagnostics(true, listener);
    }
}
