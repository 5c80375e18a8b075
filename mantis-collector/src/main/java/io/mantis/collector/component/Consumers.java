package io.mantis.collector.component;

import io.mantis.collector.Signal;
import io.mantis.collector.consumer.TelemetryConsumer;
import io.mantis.collector.model.Logs;
import io.mantis.collector.model.Metrics;
import io.mantis.collector.model.Traces;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** What a receiver feeds: one consumer per signal that some pipeline takes from it. */
public final class Consumers {
    private final Map<Signal, TelemetryConsumer<?>> bySignal;

    public Consumers(Map<Signal, TelemetryConsumer<?>> bySignal) {
        this.bySignal = bySignal.isEmpty() ? Map.of() : new EnumMap<>(bySignal);
    }

    /** Whether any of the consumers may wait; see {@link TelemetryConsumer#mayBlock()}. */
    public boolean mayBlock() {
        return bySignal.values().stream().anyMatch(TelemetryConsumer::mayBlock);
    }

    public Set<Signal> signals() {
        return bySignal.keySet();
    }

    /** The traces consumer, or null when no traces pipeline lists the receiver. */
    @SuppressWarnings("unchecked")
    public TelemetryConsumer<Traces> traces() {
        return (TelemetryConsumer<Traces>) bySignal.get(Signal.TRACES);
    }

    @SuppressWarnings("unchecked")
    public TelemetryConsumer<Metrics> metrics() {
        return (TelemetryConsumer<Metrics>) bySignal.get(Signal.METRICS);
    }

    @SuppressWarnings("unchecked")
    public TelemetryConsumer<Logs> logs() {
        return (TelemetryConsumer<Logs>) bySignal.get(Signal.LOGS);
    }
}
