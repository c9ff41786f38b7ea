package dev.logtide.logback;

import ch.qos.logback.core.spi.ContextAware;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.WarnStatus;
import dev.logtide.diagnostics.DiagnosticListener;

/**
 * Sends the client's diagnostics to Logback's StatusManager, where {@code <configuration
 * debug="true">} and status listeners show them. Status messages never go through a logger, so
 * they cannot reach the appender again.
 */
final class StatusDiagnosticListener implements DiagnosticListener {
    private final ContextAware owner;
    private final String prefix;

    /**
     * @param owner   the appender the statuses are attributed to
     * @param prefix  text that tells which appender spoke, when a context has several
     */
    StatusDiagnosticListener(ContextAware owner, String prefix) {
        this.owner = owner;
        this.prefix = prefix;
    }

    @Override
    public void report(Severity severity, String message, Throwable error) {
        String text = prefix + message;
        Status status;
        switch (severity) {
            case ERROR:
                status = new ErrorStatus(text, owner, error);
                break;
            case WARN:
                status = new WarnStatus(text, owner, error);
                break;
            default:
                // Logback has no debug status level; the core sends DEBUG only when debug is on.
                status = new InfoStatus(text, owner, error);
                break;
        }
        owner.addStatus(status);
    }

    /** Logback shows a status only to a status listener (such as {@code debug="true"} installs). */
    @Override
    public boolean showsWarnings() {
        return owner.getContext() != null
                && !owner.getContext().getStatusManager().getCopyOfStatusListenerList().isEmpty();
    }
}
