package io.mantis.collector.component;

import io.mantis.collector.ComponentKind;
import io.mantis.collector.Signal;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;

/** Processors are created once per pipeline that lists them, as in the collector. */
public interface ProcessorFactory<C extends Record> extends ComponentFactory<C> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.PROCESSOR;
    }

    <T extends Telemetry> Processor<T> create(ComponentSettings settings, C config, Signal signal,
                                              TelemetryConsumer<T> next) throws Exception;
}
