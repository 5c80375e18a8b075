package io.mantis.collector.consumer;

import io.mantis.collector.model.Telemetry;

/**
 * Where a receiver or processor hands data on: the next processor, a fan-out, or an exporter.
 * One interface serves the three signals through its type parameter ({@code Traces},
 * {@code Metrics}, {@code Logs}); a pipeline only ever connects consumers of its own signal.
 *
 * <p>Returning normally means the data was accepted: stored, queued for export, or handed to a
 * processor that owns it from now on. A {@link ConsumeException} tells the caller whether sending
 * again can help ({@link ConsumeException#retryable()}) — the distinction receivers turn into
 * OTLP's retryable (429/503, RESOURCE_EXHAUSTED/UNAVAILABLE) and permanent (400) answers.
 */
@FunctionalInterface
public interface TelemetryConsumer<T extends Telemetry> {
    void consume(T data) throws ConsumeException;

    /**
     * Whether {@link #consume} may wait (for I/O, a full queue, a lock held long). Receivers run
     * consumers that never wait on their I/O threads and hand the others to a worker pool; the
     * safe default is true.
     */
    default boolean mayBlock() {
        return true;
    }
}
