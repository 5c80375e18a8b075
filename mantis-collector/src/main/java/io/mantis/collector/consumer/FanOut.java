package io.mantis.collector.consumer;

import io.mantis.collector.model.Telemetry;
import java.util.List;

/**
 * Hands the same batch to several consumers: one receiver feeding several pipelines, or one
 * pipeline feeding several exporters. Batches are immutable, so nothing is copied.
 *
 * <p>Every consumer gets the data even when an earlier one fails; the first retryable failure
 * wins over permanent ones, because a retry is then the only way to reach the consumer that
 * refused (a consumer that already took the data may see it twice, as in the collector).
 */
public final class FanOut<T extends Telemetry> implements TelemetryConsumer<T> {
    private final List<TelemetryConsumer<T>> consumers;

    private FanOut(List<TelemetryConsumer<T>> consumers) {
        this.consumers = List.copyOf(consumers);
    }

    /** A single consumer is returned as is. */
    public static <T extends Telemetry> TelemetryConsumer<T> of(List<TelemetryConsumer<T>> consumers) {
        if (consumers.size() == 1) {
            return consumers.getFirst();
        }
        return new FanOut<>(consumers);
    }

    @Override
    public boolean mayBlock() {
        return consumers.stream().anyMatch(TelemetryConsumer::mayBlock);
    }

    @Override
    public void consume(T data) throws ConsumeException {
        ConsumeException failure = null;
        for (TelemetryConsumer<T> c : consumers) {
            try {
                c.consume(data);
            } catch (ConsumeException e) {
                if (failure == null || (e.retryable() && !failure.retryable())) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
