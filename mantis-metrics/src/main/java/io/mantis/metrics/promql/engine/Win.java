package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;

/**
 * The points of one series inside a range ({@code m[5m]} or a subquery) at one evaluation step,
 * in parallel primitive arrays so the range kernels can read them directly.
 */
final class Win {
    private Labels metric;
    private long[] ft;
    private double[] fv;
    private int fn;
    private long[] ht;
    private FloatHistogram[] hv;
    private int hn;
    private boolean dropName;

    Win(Labels metric, long[] ft, double[] fv, int fn, long[] ht, FloatHistogram[] hv, int hn, boolean dropName) {
        set(metric, ft, fv, fn, ht, hv, hn, dropName);
    }

    /**
     * Points this window at new contents: a loaded series hands out one window object, refilled
     * at every step (windows are consumed within their step).
     */
    Win set(Labels metric, long[] ft, double[] fv, int fn, long[] ht, FloatHistogram[] hv, int hn, boolean dropName) {
        this.metric = metric;
        this.ft = ft;
        this.fv = fv;
        this.fn = fn;
        this.ht = ht;
        this.hv = hv;
        this.hn = hn;
        this.dropName = dropName;
        return this;
    }

    Labels metric() {
        return metric;
    }

    long[] ft() {
        return ft;
    }

    double[] fv() {
        return fv;
    }

    int fn() {
        return fn;
    }

    long[] ht() {
        return ht;
    }

    FloatHistogram[] hv() {
        return hv;
    }

    int hn() {
        return hn;
    }

    boolean dropName() {
        return dropName;
    }

    int size() {
        return fn + hn;
    }
}
