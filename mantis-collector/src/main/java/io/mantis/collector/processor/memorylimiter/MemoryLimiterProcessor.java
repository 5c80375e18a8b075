package io.mantis.collector.processor.memorylimiter;

import io.mantis.collector.Signal;
import io.mantis.collector.component.ComponentSettings;
import io.mantis.collector.component.Processor;
import io.mantis.collector.consumer.ConsumeException;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import io.mantis.common.metrics.Counter;
import java.time.Duration;

/**
 * Refuses data with a retryable error while the shared {@link MemoryLimiter} says so, so that
 * receivers answer 429 / RESOURCE_EXHAUSTED with a retry delay and senders back off; hands it on
 * otherwise.
 */
final class MemoryLimiterProcessor<T extends Telemetry> implements Processor<T> {
    private final String id;
    private final MemoryLimiter limiter;
    private final TelemetryConsumer<T> next;
    private final Duration retryAfter;
    private final Counter accepted;
    private final Counter refused;

    MemoryLimiterProcessor(ComponentSettings settings, Signal signal, MemoryLimiter limiter,
                           TelemetryConsumer<T> next) {
        this.id = settings.lifecycleId();
        this.limiter = limiter;
        this.next = next;
        // Memory is measured every check interval: asking for a retry sooner cannot succeed.
        Duration interval = limiter.checkInterval();
        this.retryAfter = interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
        String name = settings.id().toString();
        String item = signal.itemName();
        this.accepted = settings.registry().counter("otelcol_processor_accepted_" + item,
                "Number of " + item.replace('_', ' ') + " successfully pushed into the next component in the pipeline",
                "processor").labels(name);
        this.refused = settings.registry().counter("otelcol_processor_refused_" + item,
                "Number of " + item.replace('_', ' ') + " that were rejected by the next component in the pipeline",
                "processor").labels(name);
    }

    /** Transforms in place and hands on: it waits only as long as the next stage does. */
    @Override
    public boolean mayBlock() {
        return next.mayBlock();
    }

    @Override
    public void consume(T data) throws ConsumeException {
        if (limiter.mustRefuse()) {
            refused.inc(data.itemCount());
            throw ConsumeException.retryable("data refused due to high memory usage", retryAfter);
        }
        accepted.inc(data.itemCount());
        next.consume(data);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start() {
        limiter.acquire();
    }

    @Override
    public void stop() {
        limiter.release();
    }
}
