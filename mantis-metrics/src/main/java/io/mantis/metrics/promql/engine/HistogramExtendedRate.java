package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.HistogramMath;
import io.mantis.metrics.promql.functions.Notes;
import io.mantis.metrics.promql.functions.RangeFunctions;

/**
 * rate, increase and delta of native histograms with the {@code anchored} or {@code smoothed}
 * modifier, the histogram counterpart of {@link RangeFunctions#extendedRate}: the difference of
 * the boundary samples (interpolated to the range's ends when smoothed), plus, for counters, the
 * value before every counter reset.
 */
final class HistogramExtendedRate {

    private HistogramExtendedRate() {
    }

    /** The result, or null when there is none (no sample after the range start). */
    static FloatHistogram compute(long[] t, FloatHistogram[] h, int n, long rangeStart, long rangeEnd,
            boolean isCounter, boolean isRate, boolean smoothed, Notes notes) {
        if (n == 0) {
            return null;
        }
        int last = n - 1;
        int first = Math.max(0, RangeFunctions.firstAfter(t, 0, last, rangeStart) - 1);
        if (smoothed) {
            last = RangeFunctions.firstAtOrAfter(t, 0, last, rangeEnd);
        }
        if (t[last] <= rangeStart) {
            return null;
        }
        FloatHistogram left = smoothed && t[first] < rangeStart && first + 1 <= last
                ? interpolate(t[first], h[first], t[first + 1], h[first + 1], rangeStart, isCounter) : h[first];
        FloatHistogram right = smoothed && last > 0 && t[last] > rangeEnd
                ? interpolate(t[last - 1], h[last - 1], t[last], h[last], rangeEnd, isCounter) : h[last];
        for (int i = first + 1; i <= last; i++) {
            if (HistogramMath.usesCustomBuckets(h[i]) != HistogramMath.usesCustomBuckets(h[first])) {
                notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
                return null;
            }
        }
        FloatHistogram result = right.copy();
        HistogramMath.sub(result, left);
        if (isCounter) {
            int a = t[first] <= rangeStart ? first + 1 : first;
            int b = t[last] >= rangeEnd ? last - 1 : last;
            FloatHistogram prev = left;
            for (int i = a; i <= b; i++) {
                if (HistogramMath.detectReset(h[i], prev)) {
                    HistogramMath.add(result, prev);
                }
                prev = h[i];
            }
            if (HistogramMath.detectReset(right, prev)) {
                HistogramMath.add(result, prev);
            }
        }
        if (isRate) {
            HistogramMath.div(result, (rangeEnd - rangeStart) / 1000.0);
        }
        result.counterResetHint(FloatHistogram.CounterResetHint.GAUGE);
        return HistogramMath.compact(result);
    }

    private static FloatHistogram interpolate(long t1, FloatHistogram h1, long t2, FloatHistogram h2, long at,
            boolean isCounter) {
        double frac = (double) (at - t1) / (double) (t2 - t1);
        FloatHistogram out = HistogramMath.mul(h2.copy(), frac);
        if (!(isCounter && HistogramMath.detectReset(h2, h1))) {
            FloatHistogram base = HistogramMath.mul(h1.copy(), 1 - frac);
            HistogramMath.add(out, base);
        }
        return out;
    }
}
