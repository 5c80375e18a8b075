package io.mantis.collector.exporter.prometheus;

import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigValueException;
import io.mantis.common.config.Endpoint;
import io.mantis.common.config.Required;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code prometheus} exporter's config, in the collector's shape.
 *
 * @param endpoint where {@code /metrics} is served; {@code :port} binds {@code server.host}
 * @param namespace prefixed to every metric name with {@code _}
 * @param constLabels added to every series
 * @param sendTimestamps write each point's time on its sample lines
 * @param metricExpiration a series not updated for this long leaves the exposition
 * @param enableOpenMetrics serve OpenMetrics to scrapers that ask for it (otherwise always 0.0.4)
 * @param addMetricSuffixes add unit suffixes and {@code _total} to counters
 */
public record PrometheusExporterConfig(@Required Endpoint endpoint, String namespace, Map<String, String> constLabels,
                                       boolean sendTimestamps, Duration metricExpiration,
                                       ResourceToTelemetryConversion resourceToTelemetryConversion,
                                       boolean enableOpenMetrics, boolean addMetricSuffixes, ConfigNode tls) {
    public static final PrometheusExporterConfig DEFAULTS = new PrometheusExporterConfig(null, "", Map.of(), false,
            Duration.ofMinutes(5), ResourceToTelemetryConversion.DEFAULTS, false, true, null);

    /** {@code enabled}: every resource attribute also becomes a label of every series. */
    public record ResourceToTelemetryConversion(boolean enabled) {
        public static final ResourceToTelemetryConversion DEFAULTS = new ResourceToTelemetryConversion(false);
    }

    public PrometheusExporterConfig {
        namespace = namespace == null ? "" : namespace;
        constLabels = constLabels == null ? Map.of() : new LinkedHashMap<>(constLabels);
        for (String name : constLabels.keySet()) {
            if (!PrometheusNames.labelName(name).equals(name)) {
                throw new ConfigValueException("const_labels", "invalid label name '" + name
                        + "' (expected [a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
            }
        }
        if (metricExpiration == null || metricExpiration.isZero() || metricExpiration.isNegative()) {
            throw new ConfigValueException("metric_expiration", "must be a positive duration");
        }
        if (resourceToTelemetryConversion == null) {
            resourceToTelemetryConversion = ResourceToTelemetryConversion.DEFAULTS;
        }
        if (tls != null && !tls.isNull()) {
            throw new ConfigValueException("tls", "is not supported: the endpoint serves plain HTTP");
        }
    }
}
