package io.mantis.collector.exporter.prometheus;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code prometheus} exporters: a scrape endpoint serving the latest value of every series. */
public final class PrometheusExporterFactory implements ExporterFactory<PrometheusExporterConfig> {
    @Override
    public String type() {
        return "prometheus";
    }

    @Override
    public Class<PrometheusExporterConfig> configType() {
        return PrometheusExporterConfig.class;
    }

    @Override
    public PrometheusExporterConfig defaultConfig() {
        return PrometheusExporterConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.of(Signal.METRICS);
    }

    @Override
    public Exporter create(ComponentSettings settings, PrometheusExporterConfig config, Set<Signal> signals) {
        return new PrometheusExporter(settings, config);
    }
}
