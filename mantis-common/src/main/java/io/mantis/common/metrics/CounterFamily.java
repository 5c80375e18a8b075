package io.mantis.common.metrics;

/** A family of {@link Counter}s; exposed as {@code <name>_total} samples. */
public final class CounterFamily extends MetricFamily<Counter> {

    CounterFamily(String name, String help, String[] labelNames) {
        super(name, help, labelNames, Counter::new);
    }

    @Override
    public MetricType type() {
        return MetricType.COUNTER;
    }

    @Override
    void collectChild(MetricSink sink, String[] labelValues, Counter child) {
        sink.sample(labelNameArray(), labelValues, child.get());
    }
}
