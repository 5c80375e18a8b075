package io.mantis.metrics.promql.value;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;
import java.util.Objects;

/**
 * One series of a {@link Matrix}: its labels, its float points and its histogram points, each in
 * ascending time order. A series may hold both kinds (a metric that changed from floats to native
 * histograms inside the range); the API writes them as {@code values} and {@code histograms}.
 *
 * <p>Points are kept in parallel primitive arrays that the series takes over from its producer
 * without copying (only the first {@code count} entries count), so the engine can hand over the
 * buffers it filled. The producer must not change them afterwards.
 */
public final class Series {

    private static final long[] NO_LONGS = new long[0];
    private static final double[] NO_DOUBLES = new double[0];
    private static final FloatHistogram[] NO_HISTOGRAMS = new FloatHistogram[0];

    private final Labels metric;
    private final long[] floatTimestamps;
    private final double[] floatValues;
    private final int floatCount;
    private final long[] histogramTimestamps;
    private final FloatHistogram[] histograms;
    private final int histogramCount;

    /**
     * @throws IllegalArgumentException if an array is shorter than its count or timestamps do not
     *     strictly increase
     */
    public Series(Labels metric, long[] floatTimestamps, double[] floatValues, int floatCount,
                  long[] histogramTimestamps, FloatHistogram[] histograms, int histogramCount) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.floatTimestamps = floatTimestamps == null ? NO_LONGS : floatTimestamps;
        this.floatValues = floatValues == null ? NO_DOUBLES : floatValues;
        this.floatCount = floatCount;
        this.histogramTimestamps = histogramTimestamps == null ? NO_LONGS : histogramTimestamps;
        this.histograms = histograms == null ? NO_HISTOGRAMS : histograms;
        this.histogramCount = histogramCount;
        if (floatCount < 0 || floatCount > this.floatTimestamps.length || floatCount > this.floatValues.length) {
            throw new IllegalArgumentException("float count " + floatCount + " does not fit the arrays");
        }
        if (histogramCount < 0 || histogramCount > this.histogramTimestamps.length
                || histogramCount > this.histograms.length) {
            throw new IllegalArgumentException("histogram count " + histogramCount + " does not fit the arrays");
        }
        checkAscending(this.floatTimestamps, floatCount, "float");
        checkAscending(this.histogramTimestamps, histogramCount, "histogram");
        for (int i = 0; i < histogramCount; i++) {
            Objects.requireNonNull(this.histograms[i], "histogram point");
        }
    }

    private static void checkAscending(long[] ts, int n, String kind) {
        for (int i = 1; i < n; i++) {
            if (ts[i] <= ts[i - 1]) {
                throw new IllegalArgumentException(kind + " timestamps must increase, got " + ts[i - 1] + " then "
                        + ts[i]);
            }
        }
    }

    /** A series of float points only (all of both arrays). */
    public static Series ofFloats(Labels metric, long[] timestamps, double[] values) {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException(timestamps.length + " timestamps but " + values.length + " values");
        }
        return new Series(metric, timestamps, values, timestamps.length, null, null, 0);
    }

    /** A series of histogram points only (all of both arrays). */
    public static Series ofHistograms(Labels metric, long[] timestamps, FloatHistogram[] histograms) {
        if (timestamps.length != histograms.length) {
            throw new IllegalArgumentException(timestamps.length + " timestamps but " + histograms.length
                    + " histograms");
        }
        return new Series(metric, null, null, 0, timestamps, histograms, timestamps.length);
    }

    public Labels metric() {
        return metric;
    }

    public int floatCount() {
        return floatCount;
    }

    public long floatTimestamp(int i) {
        Objects.checkIndex(i, floatCount);
        return floatTimestamps[i];
    }

    public double floatValue(int i) {
        Objects.checkIndex(i, floatCount);
        return floatValues[i];
    }

    public int histogramCount() {
        return histogramCount;
    }

    public long histogramTimestamp(int i) {
        Objects.checkIndex(i, histogramCount);
        return histogramTimestamps[i];
    }

    /** The histogram of point {@code i}; shared, not to be changed. */
    public FloatHistogram histogram(int i) {
        Objects.checkIndex(i, histogramCount);
        return histograms[i];
    }

    /** Content equality: labels, point times, float values by bits, histograms by {@link FloatHistogram#equals}. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Series s) || floatCount != s.floatCount || histogramCount != s.histogramCount
                || !metric.equals(s.metric)) {
            return false;
        }
        for (int i = 0; i < floatCount; i++) {
            if (floatTimestamps[i] != s.floatTimestamps[i]
                    || Double.doubleToLongBits(floatValues[i]) != Double.doubleToLongBits(s.floatValues[i])) {
                return false;
            }
        }
        for (int i = 0; i < histogramCount; i++) {
            if (histogramTimestamps[i] != s.histogramTimestamps[i] || !histograms[i].equals(s.histograms[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = metric.hashCode();
        for (int i = 0; i < floatCount; i++) {
            h = 31 * h + Long.hashCode(floatTimestamps[i]);
            h = 31 * h + Double.hashCode(floatValues[i]);
        }
        for (int i = 0; i < histogramCount; i++) {
            h = 31 * h + Long.hashCode(histogramTimestamps[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(metric.toString()).append(" floats=[");
        for (int i = 0; i < floatCount; i++) {
            sb.append(i == 0 ? "" : " ").append(floatValues[i]).append('@').append(floatTimestamps[i]);
        }
        sb.append("] histograms=[");
        for (int i = 0; i < histogramCount; i++) {
            sb.append(i == 0 ? "" : " ").append(histograms[i]).append('@').append(histogramTimestamps[i]);
        }
        return sb.append(']').toString();
    }

    public static Builder builder(Labels metric) {
        return new Builder(metric);
    }

    /**
     * Collects the points of one series in time order; {@link #build()} hands its arrays to the
     * series without copying, so a builder is used for one series only.
     */
    public static final class Builder {
        private final Labels metric;
        private long[] floatTimestamps = NO_LONGS;
        private double[] floatValues = NO_DOUBLES;
        private int floatCount;
        private long[] histogramTimestamps = NO_LONGS;
        private FloatHistogram[] histograms = NO_HISTOGRAMS;
        private int histogramCount;
        private boolean built;
        private int expectedFloats;

        private Builder(Labels metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
        }

        public Builder addFloat(long t, double v) {
            if (floatCount == floatTimestamps.length) {
                int n = Math.max(floatCount == 0 ? Math.max(8, expectedFloats) : 8, floatCount * 2);
                floatTimestamps = java.util.Arrays.copyOf(floatTimestamps, n);
                floatValues = java.util.Arrays.copyOf(floatValues, n);
            }
            floatTimestamps[floatCount] = t;
            floatValues[floatCount++] = v;
            return this;
        }

        /** Adds a histogram point; the histogram is taken over, not copied. */
        public Builder addHistogram(long t, FloatHistogram h) {
            if (histogramCount == histogramTimestamps.length) {
                int n = Math.max(4, histogramCount * 2);
                histogramTimestamps = java.util.Arrays.copyOf(histogramTimestamps, n);
                histograms = java.util.Arrays.copyOf(histograms, n);
            }
            histogramTimestamps[histogramCount] = t;
            histograms[histogramCount++] = Objects.requireNonNull(h, "h");
            return this;
        }

        public boolean isEmpty() {
            return floatCount == 0 && histogramCount == 0;
        }

        /** The time of the newest point added, or {@code Long.MIN_VALUE} while empty. */
        public long lastTimestamp() {
            long f = floatCount == 0 ? Long.MIN_VALUE : floatTimestamps[floatCount - 1];
            long h = histogramCount == 0 ? Long.MIN_VALUE : histogramTimestamps[histogramCount - 1];
            return Math.max(f, h);
        }

        /**
         * Room for {@code points} floats once the first float comes, so a series of known length
         * is not grown by doubling (and a histogram series reserves nothing).
         */
        public Builder expectFloats(int points) {
            expectedFloats = points;
            return this;
        }

        public Series build() {
            if (built) {
                throw new IllegalStateException("a series builder builds one series");
            }
            built = true;
            return new Series(metric, floatTimestamps, floatValues, floatCount, histogramTimestamps, histograms,
                    histogramCount);
        }
    }
}
