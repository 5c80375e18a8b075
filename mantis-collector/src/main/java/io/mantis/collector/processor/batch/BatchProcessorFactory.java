package io.mantis.collector.processor.batch;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.component.ProcessorFactory;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import java.util.EnumSet;
import java.util.Set;

/** Creates {@code batch} processors. */
public final class BatchProcessorFactory implements ProcessorFactory<BatchProcessorConfig> {
    @Override
    public String type() {
        return "batch";
    }

    @Override
    public Class<BatchProcessorConfig> configType() {
        return BatchProcessorConfig.class;
    }

    @Override
    public BatchProcessorConfig defaultConfig() {
        return BatchProcessorConfig.DEFAULTS;
    }

    @Override
    public Set<Signal> signals() {
        return EnumSet.allOf(Signal.class);
    }

    @Override
    public <T extends Telemetry> Processor<T> create(ComponentSettings settings, BatchProcessorConfig config,
                                                     Signal signal, TelemetryConsumer<T> next) {
        return new BatchProcessor<>(settings, config, next);
    }
}
