// A modular application: one requires for LogTide's OpenTelemetry support.
module app {
    requires dev.logtide.opentelemetry;
}
