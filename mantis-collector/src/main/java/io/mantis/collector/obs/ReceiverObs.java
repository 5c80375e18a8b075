package io.mantis.collector.obs;

import io.mantis.collector.Signal;
import io.mantis.common.metrics.Counter;
import io.mantis.common.metrics.MetricRegistry;

/**
 * A receiver's {@code otelcol_receiver_accepted_*} and {@code otelcol_receiver_refused_*}
 * counters for one signal and transport, named and labelled as the OpenTelemetry Collector does.
 * Children are bound once, so counting allocates nothing.
 */
public final class ReceiverObs {
    private final Counter accepted;
    private final Counter refused;

    public ReceiverObs(MetricRegistry registry, Signal signal, String receiver, String transport) {
        String item = signal.itemName();
        String words = item.replace('_', ' ');
        this.accepted = registry.counter("otelcol_receiver_accepted_" + item,
                "Number of " + words + " successfully pushed into the pipeline.", "receiver", "transport")
                .labels(receiver, transport);
        this.refused = registry.counter("otelcol_receiver_refused_" + item,
                "Number of " + words + " that could not be pushed into the pipeline.", "receiver", "transport")
                .labels(receiver, transport);
    }

    public void accepted(long items) {
        accepted.inc(items);
    }

    public void refused(long items) {
        refused.inc(items);
    }
}
