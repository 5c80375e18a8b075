package io.mantis.collector.component;

import io.mantis.collector.Signal;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;

/** The end of a pipeline: sends data out of the collector (or into an in-process store). */
public interface Exporter extends CollectorComponent {
    /** The consumer for one of the signals this exporter was created for. */
    <T extends Telemetry> TelemetryConsumer<T> consumer(Signal signal);
}
