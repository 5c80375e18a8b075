package io.mantis.metrics.promql.functions;

/**
 * The annotations a kernel call raised, as bits, so that kernels stay allocation-free and the
 * evaluator decides how (and with which metric name and position) to word them. One instance is
 * meant to be reused: {@link #clear()} it before a call, read {@link #flags()} after.
 */
public final class Notes {

    /** Warning: a range or group mixes floats and histograms where only one kind is allowed. */
    public static final int MIXED_FLOATS_HISTOGRAMS = 1;
    /** Warning: a counter function saw a native histogram marked as gauge. */
    public static final int NOT_COUNTER = 1 << 1;
    /** Warning: a gauge function (delta, idelta) saw a native histogram not marked as gauge. */
    public static final int NOT_GAUGE = 1 << 2;
    /** Warning: histograms with exponential and with custom buckets met. */
    public static final int MIXED_EXPONENTIAL_CUSTOM = 1 << 3;
    /** Warning: histograms marked "reset" and "not reset" were aggregated together. */
    public static final int COUNTER_RESET_COLLISION = 1 << 4;
    /** Info: custom-bucket histograms with different bounds were reconciled during addition. */
    public static final int CUSTOM_BUCKETS_RECONCILED_ADD = 1 << 5;
    /** Info: ... during subtraction. */
    public static final int CUSTOM_BUCKETS_RECONCILED_SUB = 1 << 6;
    /** Info: ... during aggregation. */
    public static final int CUSTOM_BUCKETS_RECONCILED_AGG = 1 << 7;
    /** Info: histograms in a range that also has floats were ignored by a float-only function. */
    public static final int HISTOGRAM_IGNORED_IN_MIXED_RANGE = 1 << 8;
    /** Warning: a quantile argument outside [0, 1] (or NaN). */
    public static final int INVALID_QUANTILE = 1 << 9;
    /** Info: classic buckets were not monotonic and were fixed; see {@link #minBucket()} etc. */
    public static final int FORCED_MONOTONICITY = 1 << 10;
    /** Info: NaN observations made a native histogram_quantile result NaN. */
    public static final int QUANTILE_NAN_RESULT = 1 << 11;
    /** Info: NaN observations skew a native histogram_quantile result upwards. */
    public static final int QUANTILE_NAN_SKEW = 1 << 12;
    /** Info: NaN observations are excluded from every histogram_fraction. */
    public static final int FRACTION_NANS = 1 << 13;
    /** Info: a histogram was ignored by an aggregation that only takes floats. */
    public static final int HISTOGRAM_IGNORED_IN_AGGREGATION = 1 << 14;
    /** Warning: a float and a histogram met in an aggregation (sum, avg). */
    public static final int MIXED_FLOATS_HISTOGRAMS_AGGREGATION = 1 << 15;

    private int flags;
    private double minBucket;
    private double maxBucket;
    private double maxDiff;

    public Notes clear() {
        flags = 0;
        minBucket = 0;
        maxBucket = 0;
        maxDiff = 0;
        return this;
    }

    public void add(int flag) {
        flags |= flag;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    void monotonicityFix(double lowBucket, double highBucket, double diff) {
        if ((flags & FORCED_MONOTONICITY) == 0 || diff > maxDiff) {
            minBucket = lowBucket;
            maxBucket = highBucket;
            maxDiff = diff;
        }
        flags |= FORCED_MONOTONICITY;
    }

    /** Upper bound of the bucket before the largest monotonicity violation. */
    public double minBucket() {
        return minBucket;
    }

    /** Upper bound of the bucket whose count dropped the most. */
    public double maxBucket() {
        return maxBucket;
    }

    /** Size of that drop. */
    public double maxDiff() {
        return maxDiff;
    }

    /** Whether the flag is a warning (otherwise it is an info). */
    public static boolean isWarning(int flag) {
        return (flag & (MIXED_FLOATS_HISTOGRAMS | NOT_COUNTER | NOT_GAUGE | MIXED_EXPONENTIAL_CUSTOM
                | COUNTER_RESET_COLLISION | INVALID_QUANTILE | MIXED_FLOATS_HISTOGRAMS_AGGREGATION)) != 0;
    }

    /**
     * Prometheus' wording of the annotation without its "PromQL warning: " / "PromQL info: "
     * prefix and without the metric name, quantile or operation the evaluator appends.
     */
    public static String text(int flag) {
        return switch (flag) {
            case MIXED_FLOATS_HISTOGRAMS -> "encountered a mix of histograms and floats for metric name";
            case NOT_COUNTER -> "this native histogram metric is not a counter:";
            case NOT_GAUGE -> "this native histogram metric is not a gauge:";
            case MIXED_EXPONENTIAL_CUSTOM ->
                    "vector contains a mix of histograms with exponential and custom buckets schemas for metric name";
            case COUNTER_RESET_COLLISION -> "conflicting counter resets during histogram";
            case CUSTOM_BUCKETS_RECONCILED_ADD -> "mismatched custom buckets were reconciled during addition";
            case CUSTOM_BUCKETS_RECONCILED_SUB -> "mismatched custom buckets were reconciled during subtraction";
            case CUSTOM_BUCKETS_RECONCILED_AGG -> "mismatched custom buckets were reconciled during aggregation";
            case HISTOGRAM_IGNORED_IN_MIXED_RANGE ->
                    "ignored histograms in a range containing both floats and histograms for metric name";
            case INVALID_QUANTILE -> "quantile value should be between 0 and 1, got";
            case FORCED_MONOTONICITY -> "input to histogram_quantile needed to be fixed for monotonicity";
            case QUANTILE_NAN_RESULT -> "input to histogram_quantile has NaN observations, result is NaN";
            case QUANTILE_NAN_SKEW -> "input to histogram_quantile has NaN observations, result is skewed higher";
            case FRACTION_NANS ->
                    "input to histogram_fraction has NaN observations, which are excluded from all fractions";
            case HISTOGRAM_IGNORED_IN_AGGREGATION -> "ignored histogram in";
            case MIXED_FLOATS_HISTOGRAMS_AGGREGATION -> "encountered a mix of histograms and floats for aggregation";
            default -> throw new IllegalArgumentException("not a single note flag: " + flag);
        };
    }
}
