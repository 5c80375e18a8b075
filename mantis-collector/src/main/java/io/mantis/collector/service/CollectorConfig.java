package io.mantis.collector.service;

import io.mantis.common.config.ConfigNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code collector:} section, in exactly the OpenTelemetry Collector's shape. Component
 * configs stay raw here: each is bound by its component's factory, which knows its defaults.
 */
public record CollectorConfig(Map<String, ConfigNode> receivers, Map<String, ConfigNode> processors,
                              Map<String, ConfigNode> exporters, Map<String, ConfigNode> extensions,
                              Map<String, ConfigNode> connectors, Service service) {
    public static final CollectorConfig DEFAULTS = new CollectorConfig(Map.of(), Map.of(), Map.of(), Map.of(),
            Map.of(), Service.DEFAULTS);

    public CollectorConfig {
        receivers = orEmpty(receivers);
        processors = orEmpty(processors);
        exporters = orEmpty(exporters);
        extensions = orEmpty(extensions);
        connectors = orEmpty(connectors);
        service = service == null ? Service.DEFAULTS : service;
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> m) {
        return m == null ? Map.of() : new LinkedHashMap<>(m);
    }

    public record Service(List<String> extensions, Map<String, Pipeline> pipelines, TelemetryConfig telemetry) {
        public static final Service DEFAULTS = new Service(List.of(), Map.of(), TelemetryConfig.DEFAULTS);

        public Service {
            extensions = extensions == null ? List.of() : List.copyOf(extensions);
            pipelines = pipelines == null ? Map.of() : new LinkedHashMap<>(pipelines);
            telemetry = telemetry == null ? TelemetryConfig.DEFAULTS : telemetry;
        }
    }

    public record Pipeline(List<String> receivers, List<String> processors, List<String> exporters) {
        public Pipeline {
            receivers = receivers == null ? List.of() : List.copyOf(receivers);
            processors = processors == null ? List.of() : List.copyOf(processors);
            exporters = exporters == null ? List.of() : List.copyOf(exporters);
        }
    }
}
