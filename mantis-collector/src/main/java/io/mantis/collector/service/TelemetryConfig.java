package io.mantis.collector.service;

import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Endpoint;
import java.util.List;

/**
 * {@code collector.service.telemetry}: how the process reports on itself, in the OpenTelemetry
 * Collector's shape so an existing collector config pastes in.
 */
public record TelemetryConfig(Logs logs, Metrics metrics, ConfigNode traces, ConfigNode resource) {
    public static final TelemetryConfig DEFAULTS = new TelemetryConfig(Logs.DEFAULTS, Metrics.DEFAULTS, null, null);

    public enum Level { NONE, BASIC, NORMAL, DETAILED }

    public enum LogLevel { DEBUG, INFO, WARN, ERROR }

    /** {@code telemetry.logs}: {@code level} sets the root log level; other collector keys are accepted. */
    public record Logs(LogLevel level, String encoding, Boolean development, Boolean disableCaller,
                       Boolean disableStacktrace, ConfigNode sampling, List<String> outputPaths,
                       List<String> errorOutputPaths, ConfigNode initialFields) {
        public static final Logs DEFAULTS = new Logs(LogLevel.INFO, "console", false, false, false, null,
                null, null, null);

        public Logs {
            if (encoding != null && !encoding.equals("console") && !encoding.equals("json")) {
                throw new ConfigValueException("encoding", "expected 'console' or 'json', got '" + encoding + "'");
            }
        }
    }

    /**
     * {@code telemetry.metrics}: the self-metrics endpoint. The current collector shape is
     * {@code readers: [{pull: {exporter: {prometheus: {host, port}}}}]}; the older
     * {@code address: host:port} is accepted too. {@code level: none} turns the endpoint off.
     */
    public record Metrics(Level level, Endpoint address, List<Reader> readers) {
        public static final Metrics DEFAULTS = new Metrics(Level.NORMAL, null, null);

        public Metrics {
            if (address != null && readers != null && !readers.isEmpty()) {
                throw new ConfigValueException("address", "set either 'address' or 'readers', not both");
            }
            if (readers != null && readers.size() > 1) {
                throw new ConfigValueException("readers", "Mantis serves one Prometheus pull endpoint; "
                        + "list one reader, got " + readers.size());
            }
        }

        /** The endpoint to serve, or null for "the default". */
        public Endpoint endpoint() {
            if (address != null) {
                return address;
            }
            if (readers != null && !readers.isEmpty()) {
                Prometheus p = readers.getFirst().pull().exporter().prometheus();
                return new Endpoint(p.host() == null ? "" : p.host(), p.port());
            }
            return null;
        }
    }

    public record Reader(Pull pull) {
        public Reader {
            if (pull == null) {
                throw new ConfigValueException("pull", "only pull readers (a Prometheus endpoint) are supported");
            }
        }
    }

    public record Pull(PullExporter exporter) {
        public Pull {
            if (exporter == null) {
                throw new ConfigValueException("exporter", "is required");
            }
        }
    }

    public record PullExporter(Prometheus prometheus) {
        public PullExporter {
            if (prometheus == null) {
                throw new ConfigValueException("prometheus", "is required: the pull exporter must be prometheus");
            }
        }
    }

    public record Prometheus(String host, int port, Boolean withoutScopeInfo, Boolean withoutUnits,
                             Boolean withoutTypeSuffix) {
        public Prometheus {
            if (port < 0 || port > 65535) {
                throw new ConfigValueException("port", "must be between 0 and 65535, got " + port);
            }
        }
    }
}
