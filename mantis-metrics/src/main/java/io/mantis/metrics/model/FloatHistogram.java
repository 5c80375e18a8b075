package io.mantis.metrics.model;

import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.SeriesSink;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One native-histogram value, mutable so that iterators and appenders can fill and reuse a single
 * instance per series instead of allocating per sample.
 *
 * <p>Bucket counts are absolute (not deltas) whether the source had integer or float counts.
 * Bucket index {@code i} at exponential schema {@code s} covers {@code (base^(i-1), base^i]} with
 * {@code base = 2^(2^-s)}; with {@link #CUSTOM_BUCKETS_SCHEMA} index {@code i} is the bucket whose
 * upper bound is {@code customBound(i)} (the last index is the +Inf bucket). Spans give runs of
 * consecutive indexes: the first span's offset is the first index, each later offset the gap after
 * the previous span's last bucket.
 */
public final class FloatHistogram {

    /** Schema of histograms with explicit bucket bounds (classic histograms as native ones). */
    public static final int CUSTOM_BUCKETS_SCHEMA = -53;
    public static final int MIN_EXPONENTIAL_SCHEMA = -4;
    public static final int MAX_EXPONENTIAL_SCHEMA = 8;

    /** What the producer says about counter resets before this sample. */
    public enum CounterResetHint {
        UNKNOWN, RESET, NOT_RESET, GAUGE
    }

    private static final double[] NO_DOUBLES = new double[0];

    private int schema;
    private double zeroThreshold;
    private double zeroCount;
    private double count;
    private double sum;
    private CounterResetHint hint = CounterResetHint.UNKNOWN;
    private final Buckets positive = new Buckets();
    private final Buckets negative = new Buckets();
    private double[] customBounds = NO_DOUBLES;
    private int customBoundCount;

    /**
     * The buckets of one side: spans plus one absolute count per bucket, in primitive arrays that
     * grow but are never shrunk, so a reused instance stops allocating once it has seen its
     * largest layout.
     */
    public static final class Buckets {
        private int[] spanOffsets = new int[4];
        private int[] spanLengths = new int[4];
        private int spanCount;
        private double[] counts = new double[16];
        private int bucketCount;

        public int spanCount() {
            return spanCount;
        }

        public int spanOffset(int i) {
            Objects.checkIndex(i, spanCount);
            return spanOffsets[i];
        }

        public int spanLength(int i) {
            Objects.checkIndex(i, spanCount);
            return spanLengths[i];
        }

        public int bucketCount() {
            return bucketCount;
        }

        public double count(int i) {
            Objects.checkIndex(i, bucketCount);
            return counts[i];
        }

        public void setCount(int i, double c) {
            Objects.checkIndex(i, bucketCount);
            counts[i] = c;
        }

        public Buckets clear() {
            spanCount = 0;
            bucketCount = 0;
            return this;
        }

        public Buckets addSpan(int offset, int length) {
            if (length < 0) {
                throw new IllegalArgumentException("negative span length " + length);
            }
            if (spanCount == spanOffsets.length) {
                spanOffsets = Arrays.copyOf(spanOffsets, spanCount * 2);
                spanLengths = Arrays.copyOf(spanLengths, spanCount * 2);
            }
            spanOffsets[spanCount] = offset;
            spanLengths[spanCount] = length;
            spanCount++;
            return this;
        }

        public Buckets addCount(double c) {
            if (bucketCount == counts.length) {
                counts = Arrays.copyOf(counts, bucketCount * 2);
            }
            counts[bucketCount++] = c;
            return this;
        }

        /** Sum of span lengths: the number of counts the spans call for. */
        public int spanBucketTotal() {
            long total = 0;
            for (int i = 0; i < spanCount; i++) {
                total += spanLengths[i];
            }
            return (int) Math.min(total, Integer.MAX_VALUE);
        }

        public void copyFrom(Buckets o) {
            setSpans(o.spanOffsets, o.spanLengths, o.spanCount);
            setCounts(o.counts, o.bucketCount);
        }

        /** Replaces the spans with those of {@code o}, keeping the counts. */
        public void copySpansFrom(Buckets o) {
            setSpans(o.spanOffsets, o.spanLengths, o.spanCount);
        }

        /** Replaces the spans with the first {@code n} entries of the given arrays. */
        public void setSpans(int[] offsets, int[] lengths, int n) {
            if (spanOffsets.length < n) {
                spanOffsets = new int[Math.max(n, spanOffsets.length * 2)];
                spanLengths = new int[spanOffsets.length];
            }
            System.arraycopy(offsets, 0, spanOffsets, 0, n);
            System.arraycopy(lengths, 0, spanLengths, 0, n);
            spanCount = n;
        }

        /** Replaces the counts with the first {@code n} entries of {@code src}. */
        public void setCounts(double[] src, int n) {
            if (counts.length < n) {
                counts = new double[Math.max(n, counts.length * 2)];
            }
            System.arraycopy(src, 0, counts, 0, n);
            bucketCount = n;
        }

        /** Replaces the counts with the first {@code n} entries of {@code src}. */
        public void setCounts(long[] src, int n) {
            if (counts.length < n) {
                counts = new double[Math.max(n, counts.length * 2)];
            }
            for (int i = 0; i < n; i++) {
                counts[i] = src[i];
            }
            bucketCount = n;
        }

        /** The absolute bucket index of every bucket, in order, into {@code into} (grown as needed). */
        public int[] indexes(int[] into) {
            int[] out = into.length >= bucketCountOfSpans() ? into : new int[bucketCountOfSpans()];
            int k = 0;
            int next = 0;
            for (int s = 0; s < spanCount; s++) {
                next += spanOffsets[s];
                for (int j = 0; j < spanLengths[s]; j++) {
                    out[k++] = next++;
                }
            }
            return out;
        }

        private int bucketCountOfSpans() {
            return spanBucketTotal();
        }

        boolean sameSpans(Buckets o) {
            return spanCount == o.spanCount
                    && Arrays.equals(spanOffsets, 0, spanCount, o.spanOffsets, 0, o.spanCount)
                    && Arrays.equals(spanLengths, 0, spanCount, o.spanLengths, 0, o.spanCount);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Buckets b) || !sameSpans(b) || bucketCount != b.bucketCount) {
                return false;
            }
            for (int i = 0; i < bucketCount; i++) {
                if (Double.doubleToLongBits(counts[i]) != Double.doubleToLongBits(b.counts[i])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = spanCount;
            for (int i = 0; i < spanCount; i++) {
                h = 31 * h + spanOffsets[i];
                h = 31 * h + spanLengths[i];
            }
            for (int i = 0; i < bucketCount; i++) {
                h = 31 * h + Double.hashCode(counts[i]);
            }
            return h;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("{");
            int[] idx = indexes(new int[0]);
            for (int i = 0; i < Math.min(idx.length, bucketCount); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(idx[i]).append(':').append(counts[i]);
            }
            return sb.append('}').toString();
        }
    }

    public FloatHistogram() {
    }

    /** Resets to the empty histogram: schema 0, everything zero, no buckets, hint UNKNOWN. */
    public FloatHistogram clear() {
        schema = 0;
        zeroThreshold = 0;
        zeroCount = 0;
        count = 0;
        sum = 0;
        hint = CounterResetHint.UNKNOWN;
        positive.clear();
        negative.clear();
        customBoundCount = 0;
        return this;
    }

    /** Makes this a staleness marker: the empty histogram whose sum is the stale NaN. */
    public FloatHistogram setStale() {
        clear();
        sum = SeriesSink.STALE_NAN;
        return this;
    }

    public boolean isStale() {
        return SeriesSink.isStaleMarker(sum);
    }

    public void copyFrom(FloatHistogram o) {
        schema = o.schema;
        zeroThreshold = o.zeroThreshold;
        zeroCount = o.zeroCount;
        count = o.count;
        sum = o.sum;
        hint = o.hint;
        positive.copyFrom(o.positive);
        negative.copyFrom(o.negative);
        setCustomBounds(o.customBounds, o.customBoundCount);
    }

    public FloatHistogram copy() {
        FloatHistogram h = new FloatHistogram();
        h.copyFrom(this);
        return h;
    }

    /**
     * Fills this from a remote-write histogram, integer or float form; integer bucket deltas become
     * absolute counts; custom bounds ({@code custom_values}) are copied.
     */
    public FloatHistogram setFrom(NativeHistogram nh) {
        clear();
        schema = nh.schema();
        zeroThreshold = nh.zeroThreshold();
        sum = nh.sum();
        hint = switch (nh.resetHint()) {
            case YES -> CounterResetHint.RESET;
            case NO -> CounterResetHint.NOT_RESET;
            case GAUGE -> CounterResetHint.GAUGE;
            case UNKNOWN -> CounterResetHint.UNKNOWN;
        };
        if (nh.isFloatHistogram()) {
            count = nh.countFloat();
            zeroCount = nh.zeroCountFloat();
            fillFloat(positive, nh.positiveSpans(), nh.positiveCounts());
            fillFloat(negative, nh.negativeSpans(), nh.negativeCounts());
        } else {
            count = nh.count();
            zeroCount = nh.zeroCount();
            fillDeltas(positive, nh.positiveSpans(), nh.positiveDeltas());
            fillDeltas(negative, nh.negativeSpans(), nh.negativeDeltas());
        }
        double[] bounds = nh.customValues();
        setCustomBounds(bounds, bounds.length);
        return this;
    }

    private static void addSpans(Buckets side, List<NativeHistogram.BucketSpan> spans) {
        for (int i = 0; i < spans.size(); i++) {
            side.addSpan(spans.get(i).offset(), spans.get(i).length());
        }
    }

    private static void fillFloat(Buckets side, List<NativeHistogram.BucketSpan> spans, double[] counts) {
        addSpans(side, spans);
        side.setCounts(counts, counts.length);
    }

    private static void fillDeltas(Buckets side, List<NativeHistogram.BucketSpan> spans, long[] deltas) {
        addSpans(side, spans);
        long running = 0;
        for (long d : deltas) {
            running += d;
            side.addCount(running);
        }
    }

    /** Whether every count (total, zero bucket, buckets) is a whole number, as integer chunks need. */
    public boolean hasIntegerCounts() {
        if (!isWhole(count) || !isWhole(zeroCount)) {
            return false;
        }
        return wholeCounts(positive) && wholeCounts(negative);
    }

    private static boolean wholeCounts(Buckets b) {
        for (int i = 0; i < b.bucketCount; i++) {
            if (!isWhole(b.counts[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 0x1p63;
    }

    /**
     * Checks the structural rules a chunk relies on: spans cover exactly the counts, and bucket
     * indexes strictly increase (later span offsets are not negative).
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public void validate() {
        if (schema != CUSTOM_BUCKETS_SCHEMA && (schema < MIN_EXPONENTIAL_SCHEMA || schema > MAX_EXPONENTIAL_SCHEMA)) {
            throw new IllegalArgumentException("unsupported histogram schema " + schema);
        }
        checkSide(positive, "positive");
        checkSide(negative, "negative");
        if (schema == CUSTOM_BUCKETS_SCHEMA && negative.bucketCount > 0) {
            throw new IllegalArgumentException("custom-bucket histogram with negative buckets");
        }
    }

    private static void checkSide(Buckets b, String side) {
        if (b.spanBucketTotal() != b.bucketCount) {
            throw new IllegalArgumentException(side + " spans cover " + b.spanBucketTotal()
                    + " buckets but " + b.bucketCount + " counts were given");
        }
        for (int i = 1; i < b.spanCount; i++) {
            if (b.spanOffsets[i] < 0) {
                throw new IllegalArgumentException(side + " span " + i + " has negative offset " + b.spanOffsets[i]);
            }
        }
    }

    public int schema() {
        return schema;
    }

    public FloatHistogram schema(int s) {
        this.schema = s;
        return this;
    }

    public double zeroThreshold() {
        return zeroThreshold;
    }

    public FloatHistogram zeroThreshold(double t) {
        this.zeroThreshold = t;
        return this;
    }

    public double zeroCount() {
        return zeroCount;
    }

    public FloatHistogram zeroCount(double c) {
        this.zeroCount = c;
        return this;
    }

    public double count() {
        return count;
    }

    public FloatHistogram count(double c) {
        this.count = c;
        return this;
    }

    public double sum() {
        return sum;
    }

    public FloatHistogram sum(double s) {
        this.sum = s;
        return this;
    }

    public CounterResetHint counterResetHint() {
        return hint;
    }

    public FloatHistogram counterResetHint(CounterResetHint h) {
        this.hint = Objects.requireNonNull(h, "hint");
        return this;
    }

    public Buckets positive() {
        return positive;
    }

    public Buckets negative() {
        return negative;
    }

    public int customBoundCount() {
        return customBoundCount;
    }

    public double customBound(int i) {
        Objects.checkIndex(i, customBoundCount);
        return customBounds[i];
    }

    /** Replaces the custom bounds with the first {@code n} entries of {@code bounds}. */
    public FloatHistogram setCustomBounds(double[] bounds, int n) {
        if (customBounds.length < n) {
            customBounds = new double[n];
        }
        System.arraycopy(bounds, 0, customBounds, 0, n);
        customBoundCount = n;
        return this;
    }

    public FloatHistogram setCustomBounds(double... bounds) {
        return setCustomBounds(bounds, bounds.length);
    }

    /** Whether both have the same custom bounds (bit-exact), as chunk layouts compare them. */
    public boolean sameCustomBounds(double[] bounds, int n) {
        if (n != customBoundCount) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Double.doubleToLongBits(bounds[i]) != Double.doubleToLongBits(customBounds[i])) {
                return false;
            }
        }
        return true;
    }

    /** Strict equality: same spans (not merely same buckets), counts, bounds, hint; NaNs by bits. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FloatHistogram h
                && schema == h.schema
                && Double.doubleToLongBits(zeroThreshold) == Double.doubleToLongBits(h.zeroThreshold)
                && Double.doubleToLongBits(zeroCount) == Double.doubleToLongBits(h.zeroCount)
                && Double.doubleToLongBits(count) == Double.doubleToLongBits(h.count)
                && Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(h.sum)
                && hint == h.hint
                && positive.equals(h.positive)
                && negative.equals(h.negative)
                && h.sameCustomBounds(customBounds, customBoundCount);
    }

    @Override
    public int hashCode() {
        int h = schema;
        h = 31 * h + Double.hashCode(zeroThreshold);
        h = 31 * h + Double.hashCode(zeroCount);
        h = 31 * h + Double.hashCode(count);
        h = 31 * h + Long.hashCode(Double.doubleToRawLongBits(sum));
        h = 31 * h + hint.hashCode();
        h = 31 * h + positive.hashCode();
        h = 31 * h + negative.hashCode();
        for (int i = 0; i < customBoundCount; i++) {
            h = 31 * h + Double.hashCode(customBounds[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "FloatHistogram{schema=" + schema + ", count=" + count + ", sum=" + sum
                + ", zeroThreshold=" + zeroThreshold + ", zeroCount=" + zeroCount
                + ", hint=" + hint + ", positive=" + positive + ", negative=" + negative
                + (customBoundCount > 0 ? ", customBounds=" + Arrays.toString(Arrays.copyOf(customBounds, customBoundCount)) : "")
                + '}';
    }
}
