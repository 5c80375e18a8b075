package io.mantis.collector.component;

import io.mantis.collector.Signal;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Telemetry;
import java.util.Optional;

/**
 * The stores that run in the collector's own process, offered through the {@link Host} to the
 * {@code mantis} exporter: each takes a signal's OTLP batches as they are, with no re-encoding.
 */
public interface InProcessStores {

    /** The consumer of the store for {@code signal}, if that store runs in this process. */
    Optional<TelemetryConsumer<Telemetry>> consumer(Signal signal);

    /**
     * Lifecycle ids of the store components behind {@code signal}: the exporter starts after them
     * and stops before them, so its last batches still find the store open.
     */
    default java.util.Set<String> dependsOn(Signal signal) {
        return java.util.Set.of();
    }

    /** Which role runs the store of {@code signal} (for messages), e.g. "metrics". */
    default String roleOf(Signal signal) {
        return switch (signal) {
            case TRACES -> "traces";
            case METRICS -> "metrics";
            case LOGS -> "logs";
        };
    }
}
