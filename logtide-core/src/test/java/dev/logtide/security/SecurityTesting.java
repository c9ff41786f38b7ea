package dev.logtide.security;

import dev.logtide.ClientOptions;
import dev.logtide.LogTideClient;
import dev.logtide.diagnostics.DiagnosticListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client whose every diagnostic is recorded, for checking that no output carries the key. */
final class SecurityTesting {
    /** A key long enough that a 6-character piece of it is unmistakable. */
    static final String KEY = "lp_secretKey0123456789abcdef";

    final List<String> said = new CopyOnWriteArrayList<>();

    LogTideClient client(String url, String key) {
        return new LogTideClient(options(url, key).build());
    }

    ClientOptions.Builder options(String url, String key) {
        return ClientOptions.builder().apiUrl(url).apiKey(key).registerShutdownHook(false)
                .flushIntervalMs(60_000).retryDelayMs(5).maxRetries(0)
                .diagnosticListener((DiagnosticListener.Severity s, String m, Throwable e) ->
                        said.add(s + " " + m + (e == null ? "" : " / " + e)));
    }

    /** @return every diagnostic that holds the key or any 6-character piece of it */
    List<String> leaks(String key) {
        List<String> out = new CopyOnWriteArrayList<>();
        for (String line : said) {
            for (int i = 0; i + 6 <= key.length(); i++) {
                if (line.contains(key.substring(i, i + 6))) {
                    out.add(line);
                    break;
                }
            }
        }
        return out;
    }
}
