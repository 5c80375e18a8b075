package io.mantis.demo.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import org.slf4j.LoggerFactory;

/**
 * Sends one demo service's application logs, and only those, to that service's SDK as OTLP logs.
 *
 * <p>The demo runs inside Mantis' JVM and shares its Logback context. So the appender goes on the
 * service's own logger (e.g. {@code io.mantis.demo.app.shop}), never on the root: Mantis' own logs
 * must not travel through the demo's SDK into the collector that Mantis runs, a loop that would
 * feed itself. The logger is also made non-additive, so the demo's INFO chatter stays off Mantis'
 * console.
 */
public final class LogbackBridge implements AutoCloseable {
    private final Logger logger;
    private final OpenTelemetryAppender appender;
    private final boolean wasAdditive;
    private final Level previousLevel;

    private LogbackBridge(Logger logger, OpenTelemetryAppender appender, boolean wasAdditive, Level previousLevel) {
        this.logger = logger;
        this.appender = appender;
        this.wasAdditive = wasAdditive;
        this.previousLevel = previousLevel;
    }

    /**
     * Attaches a bridge to {@code loggerName}; returns null when SLF4J is not bound to Logback (the
     * demo then runs without OTLP logs).
     */
    public static LogbackBridge attach(String loggerName, OpenTelemetry sdk) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        Logger logger = context.getLogger(loggerName);
        OpenTelemetryAppender appender = new OpenTelemetryAppender();
        appender.setContext(context);
        appender.setName("otlp:" + loggerName);
        appender.setOpenTelemetry(sdk);
        // SLF4J key-value pairs become log attributes; thread name and id come with them.
        appender.setCaptureKeyValuePairAttributes(true);
        appender.setCaptureExperimentalAttributes(true);
        appender.start();
        boolean additive = logger.isAdditive();
        Level level = logger.getLevel();
        logger.addAppender(appender);
        logger.setAdditive(false);
        if (level == null) {
            logger.setLevel(Level.INFO);
        }
        return new LogbackBridge(logger, appender, additive, level);
    }

    /** Detaches the appender; the logger gets its previous settings back. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setAdditive(wasAdditive);
        logger.setLevel(previousLevel);
    }
}
