package dev.logtide;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Limits applied to every entry before it is sent, so no entry is too large for the server or
 * carries fields that must not leave the application. What each limit does, the base64 rule and
 * the order in which an oversized entry gives up content: docs/configuration.md, "Payload limits".
 */
public final class PayloadLimits {
    /** Default {@link #maxFieldSize()}: 10 KiB. */
    public static final int DEFAULT_MAX_FIELD_SIZE = 10 * 1024;
    /** Default {@link #maxLogSize()}: 100 KiB. */
    public static final int DEFAULT_MAX_LOG_SIZE = 100 * 1024;
    /** Default {@link #truncationMarker()}. */
    public static final String DEFAULT_TRUNCATION_MARKER = "...[TRUNCATED]";

    private static final PayloadLimits DEFAULTS = builder().build();

    private final int maxFieldSize;
    private final int maxLogSize;
    private final Set<String> excludeFields;
    private final String truncationMarker;

    private PayloadLimits(Builder b) {
        this.maxFieldSize = b.maxFieldSize;
        this.maxLogSize = b.maxLogSize;
        this.excludeFields = Collections.unmodifiableSet(new LinkedHashSet<>(b.excludeFields));
        this.truncationMarker = b.truncationMarker;
    }

    /** @return the default limits */
    public static PayloadLimits defaults() {
        return DEFAULTS;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the longest string in metadata (values at any depth, context values, the exception's
     *     strings), in characters, before it is cut and ends with {@link #truncationMarker()}; the
     *     message is not bounded by it, only by {@link #maxLogSize()}
     */
    public int maxFieldSize() {
        return maxFieldSize;
    }

    /**
     * @return the largest serialised entry, in bytes; a larger one is reduced until it fits, its
     *     longest strings cut first, then its largest metadata values replaced, and is marked
     *     {@code "_truncated": true, "_original_size": N}
     */
    public int maxLogSize() {
        return maxLogSize;
    }

    /** @return lower-case metadata keys whose values are replaced by {@code "[EXCLUDED]"}, at any depth */
    public Set<String> excludeFields() {
        return excludeFields;
    }

    /** @return the text appended to a truncated string */
    public String truncationMarker() {
        return truncationMarker;
    }

    /**
     * @param key a metadata key
     * @return whether its value is excluded (case-insensitive)
     */
    public boolean isExcluded(String key) {
        return !excludeFields.isEmpty() && key != null && excludeFields.contains(key.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "PayloadLimits{maxFieldSize=" + maxFieldSize + ", maxLogSize=" + maxLogSize
                + ", excludeFields=" + excludeFields + ", truncationMarker='" + truncationMarker + "'}";
    }

    /** Builds {@link PayloadLimits}. */
    public static final class Builder {
        private int maxFieldSize = ClientOption.MAX_FIELD_SIZE.defaultValue();
        private int maxLogSize = ClientOption.MAX_LOG_SIZE.defaultValue();
        private final Set<String> excludeFields = new LinkedHashSet<>(ClientOption.EXCLUDE_FIELDS.defaultValue());
        private String truncationMarker = ClientOption.TRUNCATION_MARKER.defaultValue();

        private Builder() {
        }

        /**
         * @param chars longest metadata string in characters (at least 16); default 10,240; not the message
         * @return this builder
         */
        public Builder maxFieldSize(int chars) {
            this.maxFieldSize = chars;
            return this;
        }

        /**
         * @param bytes largest serialised entry in bytes (at least 1,024); default 102,400
         * @return this builder
         */
        public Builder maxLogSize(int bytes) {
            this.maxLogSize = bytes;
            return this;
        }

        /**
         * @param fields keys to replace by {@code "[EXCLUDED]"}, case-insensitive; adds to earlier ones
         * @return this builder
         */
        public Builder excludeFields(Collection<String> fields) {
            if (fields != null) {
                for (String f : fields) {
                    if (f != null && !f.trim().isEmpty()) {
                        excludeFields.add(f.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return this;
        }

        /**
         * @param fields keys to replace by {@code "[EXCLUDED]"}, case-insensitive; adds to earlier ones
         * @return this builder
         */
        public Builder excludeFields(String... fields) {
            return fields == null ? this : excludeFields(Arrays.asList(fields));
        }

        /**
         * @param marker text appended to truncated strings; default {@value #DEFAULT_TRUNCATION_MARKER}
         * @return this builder
         */
        public Builder truncationMarker(String marker) {
            this.truncationMarker = marker;
            return this;
        }

        /**
         * @return the limits
         * @throws IllegalArgumentException naming the option that is out of range
         */
        public PayloadLimits build() {
            ClientOption.MAX_FIELD_SIZE.check(maxFieldSize);
            ClientOption.MAX_LOG_SIZE.check(maxLogSize);
            if (truncationMarker == null) {
                throw new IllegalArgumentException("truncationMarker must not be null");
            }
            return new PayloadLimits(this);
        }
    }
}
