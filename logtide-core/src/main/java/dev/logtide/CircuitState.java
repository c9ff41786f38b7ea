package dev.logtide;

/** The delivery circuit breaker's state. */
public enum CircuitState {
    /** Requests flow normally. */
    CLOSED,
    /** Too many consecutive failures: no request is made until the reset time has passed. */
    OPEN,
    /** The reset time has passed: one probe request decides whether to close or reopen. */
    HALF_OPEN
}
