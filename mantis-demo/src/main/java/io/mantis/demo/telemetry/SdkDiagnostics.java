package io.mantis.demo.telemetry;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the OpenTelemetry SDK's own diagnostics (java.util.logging, e.g. "Failed to export spans")
 * to Mantis' log as one-line messages under {@code io.mantis.demo.sdk}, instead of the JDK's
 * two-line console format. That logger is outside {@code io.mantis.demo.app}, so an export failure
 * is never itself exported.
 */
public final class SdkDiagnostics extends Handler {
    private static final String SDK_LOGGER = "io.opentelemetry";
    private static final Logger log = LoggerFactory.getLogger("io.mantis.demo.sdk");

    private final java.util.logging.Logger jul = java.util.logging.Logger.getLogger(SDK_LOGGER);
    private final boolean usedParentHandlers;

    private SdkDiagnostics() {
        this.usedParentHandlers = jul.getUseParentHandlers();
    }

    /** Installs the forwarding; {@link #close()} undoes it. */
    public static SdkDiagnostics install() {
        SdkDiagnostics h = new SdkDiagnostics();
        h.jul.addHandler(h);
        h.jul.setUseParentHandlers(false);
        return h;
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() < Level.INFO.intValue()) {
            return;
        }
        String message = r.getMessage();
        if (r.getParameters() != null && message != null && message.contains("{0")) {
            message = java.text.MessageFormat.format(message, r.getParameters());
        }
        String cause = r.getThrown() == null ? "" : " (" + r.getThrown() + ")";
        if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
            log.error("OpenTelemetry SDK: {}{}", message, cause);
        } else if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            log.warn("OpenTelemetry SDK: {}{}", message, cause);
        } else {
            log.info("OpenTelemetry SDK: {}{}", message, cause);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        jul.removeHandler(this);
        jul.setUseParentHandlers(usedParentHandlers);
    }
}
