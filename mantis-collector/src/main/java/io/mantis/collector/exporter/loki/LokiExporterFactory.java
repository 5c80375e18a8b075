package io.mantis.collector.exporter.loki;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code loki} exporters (logs only). */
public final class LokiExporterFactory implements ExporterFactory<LokiExporterConfig> {
    @Override
    public String type() {
        return "loki";
    }

    @Override
    public Class<LokiExporterConfig> configType() {
        return LokiExporterConfig.class;
    }

    @Override
    public LokiExporterConfig defaultConfig() {
        return LokiExporterConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.of(Signal.LOGS);
    }

    @Override
    public Exporter create(ComponentSettings settings, LokiExporterConfig config, Set<Signal> signals) {
        return new LokiExporter(settings, config, signals);
    }
}
