package io.mantis.metrics.promql;

import io.mantis.metrics.model.FloatHistogram;

/**
 * What one query cost, as Prometheus reports it with {@code stats=...}: where the time went and
 * how many samples the evaluation touched. The caller creates one per query and hands it to
 * {@link QueryEngine#instant(String, long, QueryStats)} or
 * {@link QueryEngine#range(String, long, long, long, QueryStats)}; the engine fills it. Not
 * thread-safe: one query, one thread.
 *
 * <p>Samples follow Prometheus' definitions:
 * <ul>
 *   <li><b>total queryable samples</b>: at every step, each sample an instant selector picks
 *       counts once, and every sample inside a range selector's or a subquery's window counts once
 *       per step (a sample in the windows of three steps counts three times). A subquery's own
 *       inner evaluation does not count, only the points of its result that fall in the window,
 *       so that nothing is counted twice. A native histogram counts as several samples
 *       ({@link #weight}), as in Prometheus.</li>
 *   <li><b>peak samples</b>: the most samples the evaluation held at once where it checks them
 *       against the engine's {@code maxSamples} limit (the samples of one step, or the points of
 *       a range query's result so far).</li>
 * </ul>
 * With per-step statistics the total is also kept per step of the query (an instant query has
 * one step), inner subquery steps attributed to nothing, as above.
 */
public final class QueryStats {

    private final boolean perStep;
    private long[] samplesPerStep;
    private long start;
    private long interval;
    private long totalSamples;
    private long peakSamples;

    private long queryPreparationNanos;
    private long innerEvalNanos;
    private long resultSortNanos;
    private long evalTotalNanos;
    private long execQueueNanos;
    private long execTotalNanos;

    /** @param perStep whether to keep the total per step as well ({@code stats=all}) */
    public QueryStats(boolean perStep) {
        this.perStep = perStep;
    }

    // ---------------------------------------------------------------- filled by the engine

    /** The query's steps: {@code start}, {@code start + interval}, ... up to {@code end}. */
    public void steps(long startMillis, long endMillis, long intervalMillis) {
        this.start = startMillis;
        this.interval = intervalMillis;
        if (perStep) {
            long n = intervalMillis <= 0 ? 1 : (endMillis - startMillis) / intervalMillis + 1;
            samplesPerStep = new long[(int) Math.min(n, Integer.MAX_VALUE)];
        }
    }

    /** {@code n} samples touched at step {@code step} (0-based). */
    public void addSamples(int step, long n) {
        totalSamples += n;
        if (samplesPerStep != null && step >= 0 && step < samplesPerStep.length) {
            samplesPerStep[step] += n;
        }
    }

    /** {@code n} samples held at once; keeps the largest. */
    public void updatePeak(long n) {
        if (n > peakSamples) {
            peakSamples = n;
        }
    }

    /** Selecting the series from the store. */
    public void addQueryPreparation(long nanos) {
        queryPreparationNanos += nanos;
    }

    /** Evaluating the expression over the selected data. */
    public void addInnerEval(long nanos) {
        innerEvalNanos += nanos;
    }

    /** Sorting the result. */
    public void addResultSort(long nanos) {
        resultSortNanos += nanos;
    }

    /** Preparation, evaluation and sorting together. */
    public void addEvalTotal(long nanos) {
        evalTotalNanos += nanos;
    }

    /** Waiting for a turn to run (Mantis has no query queue, so this stays 0 unless a caller queues). */
    public void addExecQueue(long nanos) {
        execQueueNanos += nanos;
    }

    /** The whole execution: parsing, waiting and evaluating. */
    public void addExecTotal(long nanos) {
        execTotalNanos += nanos;
    }

    /**
     * How many samples a native histogram counts as: Prometheus weighs it by the memory its Go
     * struct takes (168 bytes, 8 per span, bucket and custom bound) plus a timestamp, in units of
     * a 16-byte float sample, so even a histogram without buckets counts as 11.
     */
    public static long weight(FloatHistogram h) {
        long slices = h.positive().spanCount() + h.negative().spanCount() + h.positive().bucketCount()
                + h.negative().bucketCount() + h.customBoundCount();
        return (168 + 8 * slices + 8) / 16;
    }

    // ---------------------------------------------------------------- read by the API

    public boolean perStep() {
        return perStep;
    }

    public long totalSamples() {
        return totalSamples;
    }

    public long peakSamples() {
        return peakSamples;
    }

    /** How many steps have a per-step count: 0 unless per-step statistics were asked for. */
    public int stepCount() {
        return samplesPerStep == null ? 0 : samplesPerStep.length;
    }

    /** The time of step {@code i} in milliseconds. */
    public long stepTime(int i) {
        return start + i * interval;
    }

    /** The samples counted at step {@code i}. */
    public long stepSamples(int i) {
        return samplesPerStep[i];
    }

    public long queryPreparationNanos() {
        return queryPreparationNanos;
    }

    public long innerEvalNanos() {
        return innerEvalNanos;
    }

    public long resultSortNanos() {
        return resultSortNanos;
    }

    public long evalTotalNanos() {
        return evalTotalNanos;
    }

    public long execQueueNanos() {
        return execQueueNanos;
    }

    public long execTotalNanos() {
        return execTotalNanos;
    }
}
