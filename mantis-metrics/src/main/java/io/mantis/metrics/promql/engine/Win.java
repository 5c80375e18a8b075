package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;

/**
 * The points of one series inside a range ({@code m[5m]} or a subquery) at one evaluation step,
 * in parallel primitive arrays so the range kernels can read them directly.
 */
record Win(Labels metric, long[] ft, double[] fv, int fn, long[] ht, FloatHistogram[] hv, int hn, boolean dropName) {

    int size() {
        return fn + hn;
    }
}
