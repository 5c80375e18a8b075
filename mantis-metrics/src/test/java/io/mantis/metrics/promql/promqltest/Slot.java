package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.SeriesSink;

/**
 * One position of a series' value sequence: nothing ({@code _}), a float (a staleness marker is a
 * float with the stale NaN bits) or a native histogram.
 *
 * @param hintSet for a histogram: whether its literal wrote {@code counter_reset_hint:}, which
 *                decides whether a comparison looks at the hint
 */
record Slot(Kind kind, double value, FloatHistogram histogram, boolean hintSet) {

    enum Kind { GAP, FLOAT, HISTOGRAM }

    static final Slot GAP = new Slot(Kind.GAP, 0, null, false);

    static Slot ofFloat(double v) {
        return new Slot(Kind.FLOAT, v, null, false);
    }

    static Slot stale() {
        return ofFloat(SeriesSink.STALE_NAN);
    }

    static Slot ofHistogram(FloatHistogram h, boolean hintSet) {
        return new Slot(Kind.HISTOGRAM, 0, h, hintSet);
    }

    boolean isGap() {
        return kind == Kind.GAP;
    }

    boolean isHistogram() {
        return kind == Kind.HISTOGRAM;
    }

    boolean isStale() {
        return kind == Kind.FLOAT && SeriesSink.isStaleMarker(value);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case GAP -> "_";
            case FLOAT -> isStale() ? "stale" : Histograms.number(value);
            case HISTOGRAM -> Histograms.testExpression(histogram);
        };
    }
}
