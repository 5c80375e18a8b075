package io.mantis.collector.exporter.debug;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code debug} exporters. */
public final class DebugExporterFactory implements ExporterFactory<DebugExporterConfig> {
    @Override
    public String type() {
        return "debug";
    }

    @Override
    public Class<DebugExporterConfig> configType() {
        return DebugExporterConfig.class;
    }

    @Override
    public DebugExporterConfig defaultConfig() {
        return DebugExporterConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public Exporter create(ComponentSettings settings, DebugExporterConfig config, Set<Signal> signals) {
        return new DebugExporter(settings, config, signals);
    }
}
