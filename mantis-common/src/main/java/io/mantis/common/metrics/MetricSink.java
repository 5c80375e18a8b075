package io.mantis.common.metrics;

/**
 * Receives metric families as a stream of calls, so exposition writers can format each line as it
 * arrives instead of first building a snapshot object graph.
 *
 * <p>A family is opened with {@link #family}; the sample calls that follow belong to it until the
 * next {@code family} call. Which sample calls are legal depends on the family type:
 * <ul>
 *   <li>{@link MetricType#COUNTER}: {@link #sample}; the value is the running total and is written
 *       as {@code <name>_total}. Counter family names are the base name, without {@code _total}.</li>
 *   <li>{@link MetricType#GAUGE}, {@link MetricType#UNKNOWN}: {@link #sample}.</li>
 *   <li>{@link MetricType#HISTOGRAM}: {@link #bucket} for each upper bound in increasing order,
 *       ending with {@code +Inf}, then {@link #count} (equal to the {@code +Inf} bucket) and
 *       {@link #sum}.</li>
 *   <li>{@link MetricType#SUMMARY}: optional {@link #quantile}s, then {@link #count} and {@link #sum}.</li>
 * </ul>
 *
 * <p>Label names and values are passed as parallel arrays which the sink only reads during the
 * call; reusing one label-names array for all samples of a family lets writers validate it once.
 * Writers drop (and log) samples that break these rules rather than emit an unparsable scrape.
 */
public interface MetricSink {

    /** Empty label arrays, for samples without labels. (A zero-length array cannot be modified.) */
    String[] NO_LABELS = {};

    /** Passed as {@code timestampMillis} when the sample carries no timestamp (the usual case). */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /**
     * Opens a family.
     *
     * @param name the family name (for counters without the {@code _total} suffix)
     * @param help free text, may be empty
     * @param unit the OpenMetrics unit, or {@code null}; when given, {@code name} must end with
     *     {@code "_" + unit}. The 0.0.4 format has no unit line and ignores it.
     */
    void family(String name, MetricType type, String help, String unit);

    default void family(String name, MetricType type, String help) {
        family(name, type, help, null);
    }

    /** The value of a counter, gauge or unknown-typed series. */
    void sample(String[] labelNames, String[] labelValues, double value, long timestampMillis);

    default void sample(String[] labelNames, String[] labelValues, double value) {
        sample(labelNames, labelValues, value, NO_TIMESTAMP);
    }

    default void sample(double value) {
        sample(NO_LABELS, NO_LABELS, value, NO_TIMESTAMP);
    }

    /** One cumulative histogram bucket: observations {@code <= upperBound}. */
    void bucket(String[] labelNames, String[] labelValues, double upperBound, double cumulativeCount);

    /** One summary quantile. */
    void quantile(String[] labelNames, String[] labelValues, double quantile, double value);

    /** The observation count of a histogram or summary. */
    void count(String[] labelNames, String[] labelValues, double count);

    /** The observation sum of a histogram or summary. */
    void sum(String[] labelNames, String[] labelValues, double sum);
}
