package io.mantis.collector.processor.resourcedetection;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Creates {@code resourcedetection} processors. */
public final class ResourceDetectionProcessorFactory implements ProcessorFactory<ResourceDetectionConfig> {
    private final Map<String, String> env;
    private final HostInfo host;

    public ResourceDetectionProcessorFactory() {
        this(System.getenv(), HostInfo.local());
    }

    /** With a given environment and host, so tests do not depend on the machine. */
    ResourceDetectionProcessorFactory(Map<String, String> env, HostInfo host) {
        this.env = Map.copyOf(env);
        this.host = host;
    }

    @Override
    public String type() {
        return "resourcedetection";
    }

    @Override
    public Class<ResourceDetectionConfig> configType() {
        return ResourceDetectionConfig.class;
    }

    @Override
    public ResourceDetectionConfig defaultConfig() {
        return ResourceDetectionConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public <T extends Telemetry> Processor<T> create(ComponentSettings settings, ResourceDetectionConfig config,
                                                     Signal signal, TelemetryConsumer<T> next) {
        return new ResourceDetectionProcessor<>(settings.lifecycleId(), detectors(config), config.override(),
                config.timeout(), next);
    }

    List<Detector> detectors(ResourceDetectionConfig config) {
        List<Detector> out = new ArrayList<>();
        for (String d : config.detectors()) {
            out.add(switch (d) {
                case "env" -> new EnvDetector(env);
                case "system" -> new SystemDetector(config.system(), host);
                case "process" -> new ProcessDetector();
                default -> throw new IllegalArgumentException("unknown detector " + d);
            });
        }
        return out;
    }
}
