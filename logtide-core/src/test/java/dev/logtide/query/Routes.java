package dev.logtide.query;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/** Answers each path from its own queue of scripted answers; 503 once a path's queue is empty. */
final class Routes extends Dispatcher {
    private final Map<String, BlockingQueue<MockResponse>> answers = new ConcurrentHashMap<>();
    private final List<SseStream> streams = new CopyOnWriteArrayList<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    Routes add(String path, MockResponse answer) {
        answers.computeIfAbsent(path, p -> new LinkedBlockingQueue<>()).add(answer);
        return this;
    }

    Routes stream(SseStream stream) {
        return stream("/api/v1/logs/stream", stream);
    }

    Routes stream(String path, SseStream stream) {
        streams.add(stream);
        return add(path, stream.response());
    }

    long count(String path) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().equals(path)).count();
    }

    RecordedRequest first(String path) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().equals(path)).findFirst().orElseThrow(AssertionError::new);
    }

    /** Ends every scripted stream still open. */
    void finishStreams() {
        streams.forEach(SseStream::finish);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        BlockingQueue<MockResponse> queue = answers.get(request.getUrl().encodedPath());
        MockResponse answer = queue == null ? null : queue.poll();
        return answer != null ? answer
                : ServerShapes.json(503, "{\"error\":\"Service Unavailable\",\"message\":\"no scripted answer\"}");
    }
}
