package io.mantis.metrics.promql.functions;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.HistogramMath;

/**
 * Running sum or mean of native histograms for one group (the {@code sum} and {@code avg}
 * aggregations and the *_over_time functions). The sum is Kahan-compensated bucket by bucket;
 * the mean is that sum divided by the count until a value would overflow, then an incremental,
 * also compensated, mean. Reusable after {@link #reset()}.
 */
public final class HistogramAggregator {

    private final FloatHistogram sum = new FloatHistogram();
    private final FloatHistogram comp = new FloatHistogram();
    private final FloatHistogram mean = new FloatHistogram();
    private final HistogramFunctions.HintTracker hints = new HistogramFunctions.HintTracker();
    private double count;
    private boolean incremental;
    private boolean incompatible;
    private boolean reconciled;

    public HistogramAggregator reset() {
        sum.clear();
        comp.clear();
        mean.clear();
        hints.reset = false;
        hints.notReset = false;
        count = 0;
        incremental = false;
        incompatible = false;
        reconciled = false;
        return this;
    }

    /** How many histograms were added. */
    public double count() {
        return count;
    }

    /** Whether exponential and custom buckets met; the group then has no result. */
    public boolean incompatible() {
        return incompatible;
    }

    /**
     * Adds one histogram; for a mean the overflow check needs a trial sum, so {@code forMean}
     * must be the same for every call on a group.
     */
    public void add(FloatHistogram h, boolean forMean) {
        if (incompatible) {
            return;
        }
        hints.see(h);
        count++;
        if (count == 1) {
            sum.copyFrom(h);
            return;
        }
        if (!forMean) {
            accept(HistogramMath.kahanAdd(sum, comp, h));
            return;
        }
        if (!incremental) {
            FloatHistogram trialSum = sum.copy();
            FloatHistogram trialComp = comp.copy();
            if (!accept(HistogramMath.kahanAdd(trialSum, trialComp, h))) {
                return;
            }
            if (!HistogramMath.hasOverflow(trialSum)) {
                sum.copyFrom(trialSum);
                comp.copyFrom(trialComp);
                return;
            }
            incremental = true;
            mean.copyFrom(sum);
            HistogramMath.div(mean, count - 1);
            HistogramMath.div(comp, count - 1);
        }
        double q = (count - 1) / count;
        HistogramMath.mul(comp, q);
        FloatHistogram toAdd = h.copy();
        HistogramMath.div(toAdd, count);
        HistogramMath.mul(mean, q);
        accept(HistogramMath.kahanAdd(mean, comp, toAdd));
    }

    /** Same as {@code add(h, true)}. */
    public void add(FloatHistogram h) {
        add(h, true);
    }

    private boolean accept(int flags) {
        if ((flags & HistogramMath.RESULT_INCOMPATIBLE_SCHEMA) != 0) {
            incompatible = true;
            return false;
        }
        if ((flags & HistogramMath.RESULT_CUSTOM_BOUNDS_RECONCILED) != 0) {
            reconciled = true;
        }
        return true;
    }

    private boolean finish(Notes notes) {
        if (incompatible) {
            notes.add(Notes.MIXED_EXPONENTIAL_CUSTOM);
            return false;
        }
        if (reconciled) {
            notes.add(Notes.CUSTOM_BUCKETS_RECONCILED_AGG);
        }
        hints.report(notes);
        return count > 0;
    }

    /** The compensated sum into {@code out}; false when there is nothing or the group was incompatible. */
    public boolean sum(FloatHistogram out, Notes notes) {
        if (!finish(notes)) {
            return false;
        }
        out.copyFrom(sum);
        HistogramMath.addCompensation(out, comp);
        HistogramMath.compact(out);
        return true;
    }

    /** The mean into {@code out}; false when there is nothing or the group was incompatible. */
    public boolean average(FloatHistogram out, Notes notes) {
        if (!finish(notes)) {
            return false;
        }
        if (incremental) {
            out.copyFrom(mean);
            HistogramMath.addCompensation(out, comp);
        } else {
            out.copyFrom(sum);
            HistogramMath.div(out, count);
            FloatHistogram c = comp.copy();
            HistogramMath.div(c, count);
            HistogramMath.addCompensation(out, c);
        }
        HistogramMath.compact(out);
        return true;
    }
}
