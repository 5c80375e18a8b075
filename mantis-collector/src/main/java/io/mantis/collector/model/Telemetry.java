package io.mantis.collector.model;

import io.mantis.collector.Signal;

/**
 * A batch of telemetry travelling through a pipeline: the OTLP export request itself, so data
 * received over OTLP reaches an in-process store or an OTLP exporter without re-encoding.
 *
 * <p>Batches are immutable (protobuf messages are), so fan-out to several consumers never copies;
 * a processor that changes data builds a new batch.
 */
public sealed interface Telemetry permits Traces, Metrics, Logs {
    Signal signal();

    /** Spans, metric data points or log records in the batch. */
    int itemCount();

    default boolean isEmpty() {
        return itemCount() == 0;
    }
}
