package io.mantis.common.metrics;

import java.util.Arrays;

/** A family of {@link Histogram}s sharing one set of bucket upper bounds. */
public final class HistogramFamily extends MetricFamily<Histogram> {

    private final double[] upperBounds;

    private HistogramFamily(String name, String help, String[] labelNames, double[] upperBounds) {
        super(name, help, labelNames, () -> new Histogram(upperBounds));
        this.upperBounds = upperBounds;
    }

    /** @param upperBounds already validated by {@link #checkBuckets} */
    static HistogramFamily create(String name, String help, String[] labelNames, double[] upperBounds) {
        return new HistogramFamily(name, help, labelNames, upperBounds);
    }

    @Override
    public MetricType type() {
        return MetricType.HISTOGRAM;
    }

    /** The finite bucket upper bounds, in increasing order; {@code +Inf} is implicit. */
    public double[] buckets() {
        return upperBounds.clone();
    }

    boolean hasBuckets(double[] otherBounds) {
        return Arrays.equals(upperBounds, otherBounds);
    }

    @Override
    void collectChild(MetricSink sink, String[] labelValues, Histogram child) {
        child.collect(sink, labelNameArray(), labelValues);
    }

    /**
     * Validates and normalizes bucket bounds: a copy, strictly increasing, no NaN or -Inf, a
     * trailing +Inf dropped (it is always implicit), and -0.0 turned into 0.0 so that {@code le}
     * never prints as "-0.0".
     */
    static double[] checkBuckets(double[] buckets) {
        if (buckets == null) {
            throw new IllegalArgumentException("buckets must not be null");
        }
        double[] bounds = buckets.clone();
        int length = bounds.length;
        if (length > 0 && bounds[length - 1] == Double.POSITIVE_INFINITY) {
            length--;
        }
        for (int i = 0; i < length; i++) {
            double b = bounds[i];
            if (!Double.isFinite(b)) {
                throw new IllegalArgumentException("bucket bounds must be finite (+Inf is implicit): " + Arrays.toString(buckets));
            }
            bounds[i] = b + 0.0; // -0.0 + 0.0 == +0.0
            if (i > 0 && !(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must be strictly increasing: " + Arrays.toString(buckets));
            }
        }
        return length == bounds.length ? bounds : Arrays.copyOf(bounds, length);
    }
}
