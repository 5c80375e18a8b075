package io.mantis.collector.processor.resource;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.collector.processor.shared.AttributeActions;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code resource} processors: attribute actions on the resource of every batch. */
public final class ResourceProcessorFactory implements ProcessorFactory<ResourceProcessorConfig> {
    @Override
    public String type() {
        return "resource";
    }

    @Override
    public Class<ResourceProcessorConfig> configType() {
        return ResourceProcessorConfig.class;
    }

    /** None: {@code attributes} is required. */
    @Override
    public ResourceProcessorConfig defaultConfig() {
        return null;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public <T extends Telemetry> Processor<T> create(ComponentSettings settings, ResourceProcessorConfig config,
                                                     Signal signal, TelemetryConsumer<T> next) {
        return new ResourceProcessor<>(settings.lifecycleId(), AttributeActions.of(config.attributes()), next);
    }
}
