package io.mantis.common.metrics;

/** A family of {@link Gauge}s. */
public final class GaugeFamily extends MetricFamily<Gauge> {

    GaugeFamily(String name, String help, String[] labelNames) {
        super(name, help, labelNames, Gauge::new);
    }

    @Override
    public MetricType type() {
        return MetricType.GAUGE;
    }

    @Override
    void collectChild(MetricSink sink, String[] labelValues, Gauge child) {
        sink.sample(labelNameArray(), labelValues, child.get());
    }
}
