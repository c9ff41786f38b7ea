package dev.logtide;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TraceContext.Mirror} declared in this module's test {@code META-INF/services}: records
 * what each thread's trace id became, and throws for the id {@value #BROKEN}, as a mirror whose
 * framework is missing would.
 */
public final class RecordingMirror implements TraceContext.Mirror {
    static final String BROKEN = "mirror-throws";
    static final ThreadLocal<List<String>> SEEN = ThreadLocal.withInitial(ArrayList::new);

    @Override
    public void traceIdChanged(String traceId) {
        SEEN.get().add(String.valueOf(traceId));
        if (BROKEN.equals(traceId)) {
            throw new NoClassDefFoundError("org/slf4j/MDC");
        }
    }
}
