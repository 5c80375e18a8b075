package io.mantis.collector.exporter.mantis;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates {@code mantis} exporters: each signal goes straight into the Mantis store that runs in
 * the same process (metrics today), as the OTLP batch the pipeline carries. The wire-protocol
 * exporters ({@code prometheusremotewrite}, {@code otlp}, {@code loki}) reach the same stores, or
 * their real counterparts, in other processes.
 */
public final class MantisExporterFactory implements ExporterFactory<MantisExporterConfig> {
    @Override
    public String type() {
        return "mantis";
    }

    @Override
    public Class<MantisExporterConfig> configType() {
        return MantisExporterConfig.class;
    }

    @Override
    public MantisExporterConfig defaultConfig() {
        return MantisExporterConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public Exporter create(ComponentSettings settings, MantisExporterConfig config, Set<Signal> signals)
            throws Exception {
        return new MantisExporter(settings, config, signals);
    }
}
