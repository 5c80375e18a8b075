package io.mantis.otlp.prometheus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One Prometheus native histogram sample, laid out as the remote-write
 * {@code prometheus.Histogram} message: bucket counts as spans plus either deltas (integer
 * histograms) or absolute counts (float histograms).
 *
 * <p>Bucket index {@code i} at schema {@code s} covers {@code (base^(i-1), base^i]} with
 * {@code base = 2^(2^-s)}; negative buckets mirror positive ones by absolute value. Spans
 * give runs of consecutive bucket indexes: the first span's offset is the first index, each
 * later offset is the gap after the previous span's last bucket.
 *
 * <p>With the custom-buckets schema ({@link #CUSTOM_BUCKETS_SCHEMA}, -53, "NHCB") the bucket
 * bounds are explicit instead: positive bucket {@code i} is the one whose upper bound is
 * {@code customValues[i]}, and index {@code customValues.length} is the +Inf bucket. Such a
 * histogram has no zero bucket and no negative buckets; {@link #validate()} checks that as
 * Prometheus does.
 *
 * <p>Arrays are owned by the instance and must not be changed by callers; the getters return
 * them without copying because the encoder runs on them per sample.
 */
public final class NativeHistogram {

    /** The remote-write reset hint ({@code prometheus.Histogram.ResetHint}). */
    public enum ResetHint {
        UNKNOWN, YES, NO, GAUGE;

        private static final ResetHint[] BY_WIRE = values();

        public int wireValue() {
            return ordinal();
        }

        public static ResetHint fromWire(int v) {
            return v >= 0 && v < BY_WIRE.length ? BY_WIRE[v] : UNKNOWN;
        }
    }

    /** A run of {@code length} consecutive buckets, {@code offset} after the previous run. */
    public record BucketSpan(int offset, int length) {
    }

    /** A bucket with its absolute index and count, for reading a histogram back. */
    public record Bucket(int index, double count) {
    }

    /** The schema of histograms with explicit bucket bounds ({@code custom_values}). */
    public static final int CUSTOM_BUCKETS_SCHEMA = -53;

    private static final long[] NO_LONGS = new long[0];
    private static final double[] NO_DOUBLES = new double[0];

    private final long timestampMillis;
    private final int schema;
    private final double zeroThreshold;
    private final boolean floatCounts;
    private final long count;
    private final double countFloat;
    private final long zeroCount;
    private final double zeroCountFloat;
    private final double sum;
    private final List<BucketSpan> positiveSpans;
    private final long[] positiveDeltas;
    private final double[] positiveCounts;
    private final List<BucketSpan> negativeSpans;
    private final long[] negativeDeltas;
    private final double[] negativeCounts;
    private final ResetHint resetHint;
    private final double[] customValues;

    private NativeHistogram(long timestampMillis, int schema, double zeroThreshold, boolean floatCounts,
            long count, double countFloat, long zeroCount, double zeroCountFloat, double sum,
            List<BucketSpan> positiveSpans, long[] positiveDeltas, double[] positiveCounts,
            List<BucketSpan> negativeSpans, long[] negativeDeltas, double[] negativeCounts,
            ResetHint resetHint, double[] customValues) {
        this.timestampMillis = timestampMillis;
        this.schema = schema;
        this.zeroThreshold = zeroThreshold;
        this.floatCounts = floatCounts;
        this.count = count;
        this.countFloat = countFloat;
        this.zeroCount = zeroCount;
        this.zeroCountFloat = zeroCountFloat;
        this.sum = sum;
        this.positiveSpans = List.copyOf(positiveSpans);
        this.positiveDeltas = positiveDeltas;
        this.positiveCounts = positiveCounts;
        this.negativeSpans = List.copyOf(negativeSpans);
        this.negativeDeltas = negativeDeltas;
        this.negativeCounts = negativeCounts;
        this.resetHint = Objects.requireNonNull(resetHint, "resetHint");
        this.customValues = customValues == null || customValues.length == 0 ? NO_DOUBLES : customValues;
        checkSpans(this.positiveSpans, floatCounts ? positiveCounts.length : positiveDeltas.length, "positive");
        checkSpans(this.negativeSpans, floatCounts ? negativeCounts.length : negativeDeltas.length, "negative");
    }

    /** An integer-count histogram; bucket counts are given as deltas (first bucket against 0). */
    public static NativeHistogram ofIntegers(long timestampMillis, int schema, double zeroThreshold,
            long zeroCount, long count, double sum,
            List<BucketSpan> positiveSpans, long[] positiveDeltas,
            List<BucketSpan> negativeSpans, long[] negativeDeltas, ResetHint resetHint) {
        return ofIntegers(timestampMillis, schema, zeroThreshold, zeroCount, count, sum, positiveSpans, positiveDeltas,
                negativeSpans, negativeDeltas, resetHint, NO_DOUBLES);
    }

    /**
     * An integer-count histogram with custom bucket bounds (for schema {@link #CUSTOM_BUCKETS_SCHEMA};
     * {@code customValues} may be empty or null otherwise). The array is kept, not copied.
     */
    public static NativeHistogram ofIntegers(long timestampMillis, int schema, double zeroThreshold,
            long zeroCount, long count, double sum,
            List<BucketSpan> positiveSpans, long[] positiveDeltas,
            List<BucketSpan> negativeSpans, long[] negativeDeltas, ResetHint resetHint, double[] customValues) {
        return new NativeHistogram(timestampMillis, schema, zeroThreshold, false, count, 0, zeroCount, 0, sum,
                positiveSpans, positiveDeltas, NO_DOUBLES, negativeSpans, negativeDeltas, NO_DOUBLES, resetHint,
                customValues);
    }

    /** A float-count histogram; bucket counts are absolute. */
    public static NativeHistogram ofFloats(long timestampMillis, int schema, double zeroThreshold,
            double zeroCount, double count, double sum,
            List<BucketSpan> positiveSpans, double[] positiveCounts,
            List<BucketSpan> negativeSpans, double[] negativeCounts, ResetHint resetHint) {
        return ofFloats(timestampMillis, schema, zeroThreshold, zeroCount, count, sum, positiveSpans, positiveCounts,
                negativeSpans, negativeCounts, resetHint, NO_DOUBLES);
    }

    /** A float-count histogram with custom bucket bounds; see the integer overload. */
    public static NativeHistogram ofFloats(long timestampMillis, int schema, double zeroThreshold,
            double zeroCount, double count, double sum,
            List<BucketSpan> positiveSpans, double[] positiveCounts,
            List<BucketSpan> negativeSpans, double[] negativeCounts, ResetHint resetHint, double[] customValues) {
        return new NativeHistogram(timestampMillis, schema, zeroThreshold, true, 0, count, 0, zeroCount, sum,
                positiveSpans, NO_LONGS, positiveCounts, negativeSpans, NO_LONGS, negativeCounts, resetHint,
                customValues);
    }

    /**
     * Checks the custom-bucket rules Prometheus applies on ingestion, with its wording (clients
     * and dashboards match on it). Structural span/count agreement is checked at construction;
     * these rules are separate so a receiver can refuse one offending series and keep the rest
     * of a write.
     *
     * @throws IllegalArgumentException with Prometheus' message for the first rule broken
     */
    public void validate() {
        if (schema != CUSTOM_BUCKETS_SCHEMA) {
            if (customValues.length > 0) {
                throw new IllegalArgumentException("histogram with exponential schema must not have custom bounds");
            }
            return;
        }
        double prev = Double.NEGATIVE_INFINITY;
        for (double curr : customValues) {
            // Written as a negated > so that NaN fails too: it is neither finite nor ordered.
            if (!(curr > prev)) {
                throw new IllegalArgumentException("custom buckets: previous bound is " + prev + " and current is "
                        + curr + ": histogram custom bounds must be in strictly increasing order");
            }
            prev = curr;
        }
        if (prev == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("custom buckets: last +Inf bound must not be explicitly defined:"
                    + " histogram custom bounds must be finite");
        }
        long reach = 0;
        for (int i = 0; i < positiveSpans.size(); i++) {
            BucketSpan s = positiveSpans.get(i);
            if (s.offset() < 0) {
                throw new IllegalArgumentException("custom buckets: span number " + (i + 1) + " with offset "
                        + s.offset() + ": histogram has a span whose offset is negative");
            }
            reach += (long) s.offset() + s.length();
        }
        if (customValues.length + 1L < reach) {
            throw new IllegalArgumentException("custom buckets: only " + customValues.length
                    + " custom bounds defined which is insufficient to cover total span length of " + reach
                    + ": histogram custom bounds are too few");
        }
        if ((floatCounts ? zeroCountFloat : zeroCount) != 0) {
            throw new IllegalArgumentException("histogram with custom buckets must have zero count of 0");
        }
        if (zeroThreshold != 0) {
            throw new IllegalArgumentException("histogram with custom buckets must have zero threshold of 0");
        }
        if (!negativeSpans.isEmpty()) {
            throw new IllegalArgumentException("histogram with custom buckets must not have negative spans");
        }
        if (negativeDeltas.length > 0 || negativeCounts.length > 0) {
            throw new IllegalArgumentException("histogram with custom buckets must not have negative buckets");
        }
    }

    private static void checkSpans(List<BucketSpan> spans, int buckets, String side) {
        long total = 0;
        for (BucketSpan s : spans) {
            if (s.length() < 0) {
                throw new IllegalArgumentException(side + " span with negative length " + s.length());
            }
            total += s.length();
        }
        if (total != buckets) {
            throw new IllegalArgumentException(side + " spans cover " + total + " buckets but "
                    + buckets + " counts were given");
        }
    }

    public long timestampMillis() {
        return timestampMillis;
    }

    public int schema() {
        return schema;
    }

    public double zeroThreshold() {
        return zeroThreshold;
    }

    /** Whether counts are floats ({@code count_float}, {@code *_counts}) rather than integers. */
    public boolean isFloatHistogram() {
        return floatCounts;
    }

    /** Observation count of an integer histogram (0 for a float histogram). */
    public long count() {
        return count;
    }

    /** Observation count of a float histogram (0 for an integer histogram). */
    public double countFloat() {
        return countFloat;
    }

    public long zeroCount() {
        return zeroCount;
    }

    public double zeroCountFloat() {
        return zeroCountFloat;
    }

    public double sum() {
        return sum;
    }

    public List<BucketSpan> positiveSpans() {
        return positiveSpans;
    }

    public long[] positiveDeltas() {
        return positiveDeltas;
    }

    public double[] positiveCounts() {
        return positiveCounts;
    }

    public List<BucketSpan> negativeSpans() {
        return negativeSpans;
    }

    public long[] negativeDeltas() {
        return negativeDeltas;
    }

    public double[] negativeCounts() {
        return negativeCounts;
    }

    public ResetHint resetHint() {
        return resetHint;
    }

    /** Whether the schema is {@link #CUSTOM_BUCKETS_SCHEMA}. */
    public boolean usesCustomBuckets() {
        return schema == CUSTOM_BUCKETS_SCHEMA;
    }

    /**
     * The custom bucket upper bounds ({@code custom_values}), ascending, without the implicit +Inf;
     * empty unless the sender gave some (only valid with {@link #CUSTOM_BUCKETS_SCHEMA}).
     */
    public double[] customValues() {
        return customValues;
    }

    /** Whether this sample is a staleness marker (its sum is the stale NaN). */
    public boolean isStaleMarker() {
        return SeriesSink.isStaleMarker(sum);
    }

    /** The positive buckets with absolute indexes and counts (zero-count buckets included). */
    public List<Bucket> positiveBuckets() {
        return buckets(positiveSpans, positiveDeltas, positiveCounts);
    }

    /** The negative buckets with absolute indexes and counts (zero-count buckets included). */
    public List<Bucket> negativeBuckets() {
        return buckets(negativeSpans, negativeDeltas, negativeCounts);
    }

    private List<Bucket> buckets(List<BucketSpan> spans, long[] deltas, double[] counts) {
        List<Bucket> out = new ArrayList<>();
        int index = 0;
        int k = 0;
        long running = 0;
        for (int s = 0; s < spans.size(); s++) {
            BucketSpan span = spans.get(s);
            index += span.offset();
            for (int j = 0; j < span.length(); j++) {
                double c;
                if (floatCounts) {
                    c = counts[k];
                } else {
                    running += deltas[k];
                    c = running;
                }
                out.add(new Bucket(index, c));
                k++;
                index++;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeHistogram h
                && timestampMillis == h.timestampMillis
                && schema == h.schema
                && Double.compare(zeroThreshold, h.zeroThreshold) == 0
                && floatCounts == h.floatCounts
                && count == h.count
                && Double.compare(countFloat, h.countFloat) == 0
                && zeroCount == h.zeroCount
                && Double.compare(zeroCountFloat, h.zeroCountFloat) == 0
                && Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(h.sum)
                && positiveSpans.equals(h.positiveSpans)
                && Arrays.equals(positiveDeltas, h.positiveDeltas)
                && Arrays.equals(positiveCounts, h.positiveCounts)
                && negativeSpans.equals(h.negativeSpans)
                && Arrays.equals(negativeDeltas, h.negativeDeltas)
                && Arrays.equals(negativeCounts, h.negativeCounts)
                && resetHint == h.resetHint
                && Arrays.equals(customValues, h.customValues);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(timestampMillis);
        h = 31 * h + schema;
        h = 31 * h + Long.hashCode(count) + Double.hashCode(countFloat);
        h = 31 * h + Double.hashCode(sum);
        h = 31 * h + positiveSpans.hashCode();
        h = 31 * h + Arrays.hashCode(positiveDeltas) + Arrays.hashCode(positiveCounts);
        h = 31 * h + negativeSpans.hashCode();
        h = 31 * h + Arrays.hashCode(negativeDeltas) + Arrays.hashCode(negativeCounts);
        return 31 * h + Arrays.hashCode(customValues);
    }

    @Override
    public String toString() {
        return "NativeHistogram{t=" + timestampMillis + ", schema=" + schema
                + ", count=" + (floatCounts ? countFloat : count)
                + ", sum=" + sum
                + ", zeroThreshold=" + zeroThreshold
                + ", zeroCount=" + (floatCounts ? zeroCountFloat : zeroCount)
                + ", positive=" + positiveBuckets()
                + ", negative=" + negativeBuckets()
                + ", resetHint=" + resetHint
                + (customValues.length > 0 ? ", customValues=" + Arrays.toString(customValues) : "") + '}';
    }
}
