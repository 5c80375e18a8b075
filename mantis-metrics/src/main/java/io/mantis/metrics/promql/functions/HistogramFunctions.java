package io.mantis.metrics.promql.functions;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import io.mantis.metrics.model.HistogramMath;

/**
 * PromQL functions on native histograms: rate, increase and delta over a window of histogram
 * samples, irate and idelta, sum_over_time and avg_over_time, and histogram_quantile /
 * histogram_fraction with their NaN-observation annotations. Results are written into a
 * caller-owned {@link FloatHistogram}; a {@code false} return means "no output element".
 *
 * <p>A window that mixes floats and histograms is the evaluator's business: Prometheus drops
 * the element with {@link Notes#MIXED_FLOATS_HISTOGRAMS} for rate/increase/delta and the *_over_time
 * aggregations, so these methods only ever see histograms.
 */
public final class HistogramFunctions {

    private HistogramFunctions() {
    }

    private static int gaugeHintAware(int flags, Notes notes, int reconciledNote) {
        if ((flags & HistogramMath.RESULT_CUSTOM_BOUNDS_RECONCILED) != 0) {
            notes.add(reconciledNote);
        }
        return flags;
    }

    /**
     * rate ({@code isCounter && isRate}), increase ({@code isCounter}) or delta (neither) over
     * {@code h[from, to)} at times {@code t}, with the float version's extrapolation (the zero
     * point taken from the histogram count). Counter resets are detected bucket by bucket; the
     * layout is reduced to the lowest schema in the window. The result is a gauge histogram.
     *
     * @param st start timestamps parallel to {@code t}, or null
     * @return false (and no output) with fewer than two samples or incompatible bucket kinds
     */
    public static boolean extrapolatedRate(long[] t, FloatHistogram[] h, int from, int to, long[] st,
            long rangeStart, long rangeEnd, boolean isCounter, boolean isRate, FloatHistogram out, Notes notes) {
        int n = to - from;
        if (n < 2) {
            return false;
        }
        FloatHistogram first = h[from];
        FloatHistogram prev = first;
        FloatHistogram last = h[to - 1];
        boolean custom = HistogramMath.usesCustomBuckets(prev);
        if (isCounter && (prev.counterResetHint() == CounterResetHint.GAUGE
                || last.counterResetHint() == CounterResetHint.GAUGE)) {
            notes.add(Notes.NOT_COUNTER);
        }
        if (isCounter) {
            FloatHistogram second = h[from + 1];
            if (st != null && RangeFunctions.isStartTimestampReset(st[from], t[from], st[from + 1], t[from + 1])
                    || HistogramMath.detectReset(second, prev)) {
                // A reset right after the first sample makes its layout irrelevant.
                prev = new FloatHistogram().schema(second.schema());
                copyBounds(second, prev);
                custom = HistogramMath.usesCustomBuckets(second);
            }
        }
        if (HistogramMath.usesCustomBuckets(last) != custom) {
            notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
            return false;
        }
        int minSchema = Math.min(last.schema(), prev.schema());
        for (int i = from + 1; i < to - 1; i++) {
            if (!isCounter) {
                continue;
            }
            FloatHistogram curr = h[i];
            if (curr.counterResetHint() == CounterResetHint.GAUGE) {
                notes.add(Notes.NOT_COUNTER);
            }
            minSchema = Math.min(minSchema, curr.schema());
            if (HistogramMath.usesCustomBuckets(curr) != custom) {
                notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
                return false;
            }
        }
        out.copyFrom(last);
        HistogramMath.reduceResolution(out, minSchema);
        int flags = HistogramMath.sub(out, prev);
        if ((flags & HistogramMath.RESULT_INCOMPATIBLE_SCHEMA) != 0) {
            notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
            return false;
        }
        gaugeHintAware(flags, notes, Notes.CUSTOM_BUCKETS_RECONCILED_SUB);
        if (isCounter) {
            for (int i = from + 1; i < to; i++) {
                FloatHistogram curr = h[i];
                boolean reset = st != null && RangeFunctions.isStartTimestampReset(st[i - 1], t[i - 1], st[i], t[i])
                        || HistogramMath.detectReset(curr, prev);
                if (reset) {
                    int f = HistogramMath.add(out, prev);
                    if ((f & HistogramMath.RESULT_INCOMPATIBLE_SCHEMA) != 0) {
                        notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
                        return false;
                    }
                    gaugeHintAware(f, notes, Notes.CUSTOM_BUCKETS_RECONCILED_ADD);
                }
                prev = curr;
            }
        } else if (first.counterResetHint() != CounterResetHint.GAUGE
                || last.counterResetHint() != CounterResetHint.GAUGE) {
            notes.add(Notes.NOT_GAUGE);
        }
        out.counterResetHint(CounterResetHint.GAUGE);
        HistogramMath.compact(out);
        double factor = RangeFunctions.extrapolationFactor(t[from], t[to - 1], n - 1, rangeStart, rangeEnd,
                isCounter, out.count(), first.count(), isRate);
        HistogramMath.mul(out, factor);
        return true;
    }

    private static void copyBounds(FloatHistogram from, FloatHistogram to) {
        double[] b = new double[from.customBoundCount()];
        for (int i = 0; i < b.length; i++) {
            b[i] = from.customBound(i);
        }
        to.setCustomBounds(b, b.length);
    }

    /**
     * irate ({@code isRate}) or idelta of the last two histograms of the window (the evaluator
     * has checked that the two newest samples are both histograms).
     *
     * @return false with fewer than two samples, equal timestamps or incompatible bucket kinds
     */
    public static boolean instantValue(long[] t, FloatHistogram[] h, int from, int to, long[] st, boolean isRate,
            FloatHistogram out, Notes notes) {
        if (to - from < 2) {
            return false;
        }
        int a = to - 2;
        int b = to - 1;
        long interval = t[b] - t[a];
        if (interval == 0) {
            return false;
        }
        FloatHistogram prev = h[a];
        FloatHistogram curr = h[b];
        out.copyFrom(curr);
        if (isRate && (curr.counterResetHint() == CounterResetHint.GAUGE
                || prev.counterResetHint() == CounterResetHint.GAUGE)) {
            notes.add(Notes.NOT_COUNTER);
        }
        if (!isRate && (curr.counterResetHint() != CounterResetHint.GAUGE
                || prev.counterResetHint() != CounterResetHint.GAUGE)) {
            notes.add(Notes.NOT_GAUGE);
        }
        boolean reset = isRate && (st != null && RangeFunctions.isStartTimestampReset(st[a], t[a], st[b], t[b])
                || HistogramMath.detectReset(curr, prev));
        if (!reset) {
            int flags = HistogramMath.sub(out, prev);
            if ((flags & HistogramMath.RESULT_INCOMPATIBLE_SCHEMA) != 0) {
                notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
                return false;
            }
            gaugeHintAware(flags, notes, Notes.CUSTOM_BUCKETS_RECONCILED_SUB);
        }
        out.counterResetHint(CounterResetHint.GAUGE);
        HistogramMath.compact(out);
        if (isRate) {
            HistogramMath.div(out, interval / 1000.0);
        }
        return true;
    }

    /**
     * sum_over_time on histograms, Kahan-compensated bucket by bucket. Notes a counter-reset
     * collision when the window holds both "reset" and "not reset" hints.
     */
    public static boolean sumOverTime(FloatHistogram[] h, int from, int to, FloatHistogram out, Notes notes) {
        if (to <= from) {
            return false;
        }
        HintTracker hints = new HintTracker();
        out.copyFrom(h[from]);
        hints.see(out);
        FloatHistogram comp = new FloatHistogram();
        for (int i = from + 1; i < to; i++) {
            hints.see(h[i]);
            int flags = HistogramMath.kahanAdd(out, comp, h[i]);
            if ((flags & HistogramMath.RESULT_INCOMPATIBLE_SCHEMA) != 0) {
                notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
                return false;
            }
            gaugeHintAware(flags, notes, Notes.CUSTOM_BUCKETS_RECONCILED_AGG);
        }
        HistogramMath.addCompensation(out, comp);
        hints.report(notes);
        return true;
    }

    /**
     * avg_over_time on histograms: a compensated sum divided by the count while no value
     * overflows, then an incremental compensated mean (Prometheus' algorithm, also used by the
     * {@code avg} aggregation through {@link HistogramAggregator}).
     */
    public static boolean avgOverTime(FloatHistogram[] h, int from, int to, FloatHistogram out, Notes notes) {
        if (to <= from) {
            return false;
        }
        HistogramAggregator agg = new HistogramAggregator();
        for (int i = from; i < to; i++) {
            agg.add(h[i]);
        }
        return agg.average(out, notes);
    }

    /** Tracks the counter-reset hints an aggregation saw; both kinds together are a collision. */
    static final class HintTracker {
        boolean reset;
        boolean notReset;

        void see(FloatHistogram h) {
            if (h.counterResetHint() == CounterResetHint.RESET) {
                reset = true;
            } else if (h.counterResetHint() == CounterResetHint.NOT_RESET) {
                notReset = true;
            }
        }

        void report(Notes notes) {
            if (reset && notReset) {
                notes.add(Notes.COUNTER_RESET_COLLISION);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // histogram_quantile, histogram_fraction and the simple statistics

    /**
     * histogram_quantile of a native histogram. Notes {@link Notes#QUANTILE_NAN_RESULT} when NaN
     * observations push the rank beyond all buckets, {@link Notes#QUANTILE_NAN_SKEW} when they
     * merely skew the result; the invalid-quantile warning is the caller's (it is raised once per
     * call, not per histogram).
     */
    public static double quantile(double q, FloatHistogram h, Notes notes) {
        double r = HistogramMath.quantile(q, h);
        if (Double.isNaN(h.sum()) && q >= 0 && q <= 1 && h.count() != 0) {
            if (Double.isNaN(r)) {
                notes.add(Notes.QUANTILE_NAN_RESULT);
            } else if (HistogramMath.hasNaNObservations(h)) {
                notes.add(Notes.QUANTILE_NAN_SKEW);
            }
        }
        return r;
    }

    /** histogram_fraction of a native histogram; notes {@link Notes#FRACTION_NANS} for NaN observations. */
    public static double fraction(double lower, double upper, FloatHistogram h, Notes notes) {
        if (HistogramMath.hasNaNObservations(h)) {
            notes.add(Notes.FRACTION_NANS);
        }
        return HistogramMath.fraction(lower, upper, h);
    }

    public static double count(FloatHistogram h) {
        return h.count();
    }

    public static double sum(FloatHistogram h) {
        return h.sum();
    }

    public static double avg(FloatHistogram h) {
        return HistogramMath.average(h);
    }

    public static double stdvar(FloatHistogram h) {
        return HistogramMath.variance(h);
    }

    public static double stddev(FloatHistogram h) {
        return HistogramMath.stddev(h);
    }
}
