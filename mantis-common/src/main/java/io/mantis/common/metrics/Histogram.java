package io.mantis.common.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts observations into buckets: one series of a {@link HistogramFamily}.
 *
 * <p>Each bucket holds the observations that fell into it alone (not cumulative), so
 * {@link #observe} touches exactly one counter; the cumulative counts and the total count are
 * derived at scrape time. Deriving the count from the buckets keeps {@code _count} equal to the
 * {@code +Inf} bucket, which OpenMetrics requires, even while observations race with a scrape.
 */
public final class Histogram {

    /**
     * The Prometheus client defaults, in seconds: tuned for request latencies. Registration copies
     * bucket arrays, but do not modify this one; it is shared by every caller.
     */
    public static final double[] DEFAULT_BUCKETS = {
        .005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10
    };

    /** Below this many bounds a linear scan beats binary search (fewer, predictable branches). */
    private static final int LINEAR_SEARCH_MAX = 8;

    private final double[] upperBounds; // shared with the family; excludes the implicit +Inf
    private final LongAdder[] buckets;  // upperBounds.length + 1 entries; the last is +Inf
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] upperBounds) {
        this.upperBounds = upperBounds;
        this.buckets = new LongAdder[upperBounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /**
     * Records one observation. NaN is ignored: it belongs to no bucket and would turn the sum into
     * NaN for the rest of the process lifetime.
     */
    public void observe(double value) {
        if (value != value) { // NaN
            return;
        }
        buckets[bucketIndex(value)].increment();
        sum.add(value);
    }

    /** The number of observations so far. */
    public long count() {
        long total = 0;
        for (LongAdder bucket : buckets) {
            total += bucket.sum();
        }
        return total;
    }

    /** The sum of observations so far. */
    public double sum() {
        return sum.sum();
    }

    /** Emits buckets, count and sum in the order {@link MetricSink} expects. */
    void collect(MetricSink sink, String[] labelNames, String[] labelValues) {
        long cumulative = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            cumulative += buckets[i].sum();
            sink.bucket(labelNames, labelValues, upperBounds[i], cumulative);
        }
        cumulative += buckets[upperBounds.length].sum();
        sink.bucket(labelNames, labelValues, Double.POSITIVE_INFINITY, cumulative);
        sink.count(labelNames, labelValues, cumulative);
        sink.sum(labelNames, labelValues, sum.sum());
    }

    /** Index of the first bucket whose upper bound is {@code >= value} (buckets are "less or equal"). */
    private int bucketIndex(double value) {
        double[] bounds = upperBounds;
        if (bounds.length <= LINEAR_SEARCH_MAX) {
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            return i;
        }
        int lo = 0;
        int hi = bounds.length; // answer lies in [lo, hi]; hi == length means +Inf
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (value <= bounds[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * {@code count} bounds starting at {@code start}, each {@code factor} times the previous,
     * e.g. {@code exponentialBuckets(0.001, 2, 4)} is {@code [0.001, 0.002, 0.004, 0.008]}.
     */
    public static double[] exponentialBuckets(double start, double factor, int count) {
        if (!(start > 0) || Double.isInfinite(start)) {
            throw new IllegalArgumentException("start must be positive and finite: " + start);
        }
        if (!(factor > 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be > 1 and finite: " + factor);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        double[] bounds = new double[count];
        double bound = start;
        for (int i = 0; i < count; i++) {
            bounds[i] = bound;
            bound *= factor;
        }
        return bounds;
    }

    /** {@code count} bounds starting at {@code start}, {@code width} apart. */
    public static double[] linearBuckets(double start, double width, int count) {
        if (!Double.isFinite(start) || !(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("start must be finite and width positive: " + start + ", " + width);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        double[] bounds = new double[count];
        for (int i = 0; i < count; i++) {
            // Computed from i rather than accumulated, so rounding errors do not compound.
            bounds[i] = start + i * width;
        }
        return bounds;
    }
}
