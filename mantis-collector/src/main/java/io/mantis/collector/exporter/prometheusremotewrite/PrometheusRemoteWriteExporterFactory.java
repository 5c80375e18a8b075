package io.mantis.collector.exporter.prometheusremotewrite;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code prometheusremotewrite} exporters (metrics only). */
public final class PrometheusRemoteWriteExporterFactory implements ExporterFactory<PrometheusRemoteWriteExporterConfig> {
    @Override
    public String type() {
        return "prometheusremotewrite";
    }

    @Override
    public Class<PrometheusRemoteWriteExporterConfig> configType() {
        return PrometheusRemoteWriteExporterConfig.class;
    }

    @Override
    public PrometheusRemoteWriteExporterConfig defaultConfig() {
        return PrometheusRemoteWriteExporterConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.of(Signal.METRICS);
    }

    @Override
    public Exporter create(ComponentSettings settings, PrometheusRemoteWriteExporterConfig config,
                           Set<Signal> signals) {
        return new PrometheusRemoteWriteExporter(settings, config, signals);
    }
}
