package io.mantis.collector.component;

import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;

/** A pipeline stage: consumes a batch and hands the (possibly changed) result to the next stage. */
public interface Processor<T extends Telemetry> extends TelemetryConsumer<T>, CollectorComponent {
}
