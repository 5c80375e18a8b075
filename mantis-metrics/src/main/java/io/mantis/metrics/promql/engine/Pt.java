package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;

/**
 * One element of an instant vector while evaluating: a float ({@code h == null}) or a histogram,
 * the time of the sample it came from ({@code timestamp()} needs it), and whether its metric name
 * is to be dropped at the end (delayed name removal) rather than now.
 */
record Pt(Labels metric, double f, FloatHistogram h, long ts, boolean dropName) {

    static Pt ofFloat(Labels metric, double f, long ts, boolean dropName) {
        return new Pt(metric, f, null, ts, dropName);
    }

    Pt withFloat(double v) {
        return new Pt(metric, v, null, ts, dropName);
    }

    Pt withMetric(Labels m) {
        return new Pt(m, f, h, ts, dropName);
    }

    boolean isHistogram() {
        return h != null;
    }
}
