package io.mantis.collector.exporter.otlp;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code otlp} (gRPC) exporters. */
public final class OtlpExporterFactory implements ExporterFactory<OtlpExporterConfig> {
    @Override
    public String type() {
        return "otlp";
    }

    @Override
    public Class<OtlpExporterConfig> configType() {
        return OtlpExporterConfig.class;
    }

    @Override
    public OtlpExporterConfig defaultConfig() {
        return OtlpExporterConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public Exporter create(ComponentSettings settings, OtlpExporterConfig config, Set<Signal> signals) {
        return new OtlpGrpcExporter(settings, config, signals);
    }
}
