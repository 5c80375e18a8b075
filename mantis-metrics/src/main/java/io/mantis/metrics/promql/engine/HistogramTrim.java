package io.mantis.metrics.promql.engine;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.HistogramMath;

/**
 * The trim operators on native histograms: {@code h </ x} keeps the observations below
 * {@code x}, {@code h >/ x} those above it. A bucket the cut falls into keeps the share of its
 * count that lies on the kept side, interpolated exponentially inside exponential buckets and
 * linearly inside custom buckets and the zero bucket. Unless nothing was removed, the sum is
 * re-estimated from the kept part of every bucket at its mean (geometric for exponential buckets,
 * arithmetic otherwise; the cut itself or the finite bound for a bucket unbounded on one side).
 */
final class HistogramTrim {

    private HistogramTrim() {
    }

    /** The kept count and its contribution to the sum of one bucket. */
    private static final class Part {
        double count;
        double sum;
    }

    static FloatHistogram trim(FloatHistogram h, double x, boolean keepBelow) {
        FloatHistogram out = h.copy();
        if (Double.isNaN(x) || x == (keepBelow ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)) {
            return out;
        }
        boolean custom = HistogramMath.usesCustomBuckets(h);
        Part part = new Part();
        double total = 0;
        double sum = 0;
        boolean removed = false;
        int[] idx = new int[16];
        // Positive (or custom) buckets.
        FloatHistogram.Buckets pos = out.positive();
        idx = pos.indexes(idx);
        for (int i = 0; i < pos.bucketCount(); i++) {
            double l = HistogramMath.lowerBound(h, idx[i]);
            double u = HistogramMath.upperBound(h, idx[i]);
            if (custom && idx[i] == 0 && u > 0 && !Double.isInfinite(u)) {
                // The first custom bucket of positive observations starts at zero, as
                // histogram_quantile assumes too; a cut below zero keeps none of it either way.
                l = 0;
                if (!keepBelow && x < 0) {
                    part.count = 0;
                    part.sum = 0;
                    removed |= pos.count(i) != 0;
                    pos.setCount(i, 0);
                    continue;
                }
            }
            keep(l, u, !custom, pos.count(i), x, keepBelow, part);
            removed |= part.count != pos.count(i);
            pos.setCount(i, part.count);
            total += part.count;
            sum += part.sum;
        }
        FloatHistogram.Buckets neg = out.negative();
        idx = neg.indexes(idx);
        for (int i = 0; i < neg.bucketCount(); i++) {
            double l = -HistogramMath.upperBound(h, idx[i]);
            double u = -HistogramMath.lowerBound(h, idx[i]);
            keep(l, u, true, neg.count(i), x, keepBelow, part);
            removed |= part.count != neg.count(i);
            neg.setCount(i, part.count);
            total += part.count;
            sum += part.sum;
        }
        if (h.zeroCount() != 0 || h.zeroThreshold() != 0) {
            double zt = h.zeroThreshold();
            boolean hasPos = h.positive().bucketCount() > 0;
            boolean hasNeg = h.negative().bucketCount() > 0;
            double l = hasPos && !hasNeg ? 0 : -zt;
            double u = hasNeg && !hasPos ? 0 : zt;
            keep(l, u, false, h.zeroCount(), x, keepBelow, part);
            removed |= part.count != h.zeroCount();
            out.zeroCount(part.count);
            total += part.count;
            sum += part.sum;
        }
        out.count(total);
        out.sum(removed ? sum : h.sum());
        return HistogramMath.compact(out);
    }

    private static void keep(double l, double u, boolean exponential, double count, double x, boolean keepBelow,
            Part p) {
        p.count = 0;
        p.sum = 0;
        if (count == 0) {
            return;
        }
        double lo = keepBelow ? l : Math.max(l, x);
        double hi = keepBelow ? Math.min(u, x) : u;
        if (keepBelow ? x >= u : x <= l) {
            p.count = count;
            p.sum = count * mean(l, u, exponential, x);
            return;
        }
        if (hi <= lo) {
            return;
        }
        if (Double.isInfinite(l) && Double.isInfinite(u)) {
            return;
        }
        if (Double.isInfinite(l) || Double.isInfinite(u)) {
            // The cut lies in a bucket unbounded on one side: kept whole when that side is kept.
            boolean unboundedSideKept = keepBelow ? Double.isInfinite(l) : Double.isInfinite(u);
            if (unboundedSideKept) {
                p.count = count;
                p.sum = count * x;
            }
            return;
        }
        double fraction;
        if (exponential && l != 0 && u != 0 && Math.signum(l) == Math.signum(u)) {
            fraction = Math.log(Math.abs(hi) / Math.abs(lo)) / Math.log(Math.abs(u) / Math.abs(l));
        } else {
            fraction = (hi - lo) / (u - l);
        }
        p.count = count * fraction;
        p.sum = p.count * mean(lo, hi, exponential, x);
    }

    private static double mean(double l, double u, boolean exponential, double x) {
        if (Double.isInfinite(l) && Double.isInfinite(u)) {
            return x;
        }
        if (Double.isInfinite(l)) {
            return u;
        }
        if (Double.isInfinite(u)) {
            return l;
        }
        if (exponential && l != 0 && u != 0 && Math.signum(l) == Math.signum(u)) {
            return Math.signum(u) * Math.sqrt(l * u);
        }
        return (l + u) / 2;
    }
}
