package io.mantis.collector.exporter.otlphttp;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Exporter;
import io.mantis.collector.component.ExporterFactory;
import io.mantis.common.config.ConfigNode;
import io.mantis.common.config.ConfigProblems;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code otlphttp} exporters: OTLP over HTTP, binary protobuf or JSON. */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {
    @Override
    public String type() {
        return "otlphttp";
    }

    @Override
    public Class<OtlpHttpExporterConfig> configType() {
        return OtlpHttpExporterConfig.class;
    }

    @Override
    public OtlpHttpExporterConfig defaultConfig() {
        return OtlpHttpExporterConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public void validate(OtlpHttpExporterConfig config, ConfigNode node, ConfigProblems problems) {
        if (!config.hasAnyEndpoint()) {
            problems.add(node, "otlphttp needs an endpoint: set endpoint (the base URL) or traces_endpoint,"
                    + " metrics_endpoint and logs_endpoint");
        }
    }

    @Override
    public Exporter create(ComponentSettings settings, OtlpHttpExporterConfig config, Set<Signal> signals) {
        return new OtlpHttpExporter(settings, config, signals);
    }
}
