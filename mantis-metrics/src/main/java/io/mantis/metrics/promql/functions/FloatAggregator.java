package io.mantis.metrics.promql.functions;

import java.util.Arrays;

/**
 * The running state of one output group of a float aggregation (sum, avg, min, max, count,
 * group, stddev, stdvar, quantile), stepped exactly as Prometheus does: Kahan-compensated sums,
 * a mean that is sum/count until the sum would overflow and incremental afterwards, Welford's
 * recurrence for the variance, NaN only winning min/max when nothing else is there. Reusable and
 * allocation-free once the quantile buffer has grown.
 */
public final class FloatAggregator {

    /** The float aggregation operators. */
    public enum Op {
        SUM, AVG, MIN, MAX, COUNT, GROUP, STDDEV, STDVAR, QUANTILE
    }

    private final Op op;
    private double value;
    private double mean;
    private double kahanC;
    private double count;
    private boolean incrementalMean;
    private double[] values = new double[8];
    private int valueCount;

    public FloatAggregator(Op op) {
        this.op = op;
    }

    public Op op() {
        return op;
    }

    /** Whether a value has been added since the last reset. */
    public boolean seen() {
        return count > 0;
    }

    public void reset() {
        value = 0;
        mean = 0;
        kahanC = 0;
        count = 0;
        incrementalMean = false;
        valueCount = 0;
    }

    public void add(double f) {
        if (count == 0) {
            first(f);
            return;
        }
        switch (op) {
            case SUM -> kahanInc(f);
            case AVG -> addToMean(f);
            case MAX -> {
                if (value < f || Double.isNaN(value)) {
                    value = f;
                }
            }
            case MIN -> {
                if (value > f || Double.isNaN(value)) {
                    value = f;
                }
            }
            case COUNT, GROUP -> {
            }
            case STDDEV, STDVAR -> {
                count++;
                double delta = f - mean;
                mean += delta / count;
                value += delta * (f - mean);
                return;
            }
            case QUANTILE -> push(f);
        }
        count++;
    }

    private void first(double f) {
        count = 1;
        value = f;
        mean = f;
        kahanC = 0;
        switch (op) {
            case STDDEV, STDVAR -> value = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
            case GROUP -> value = 1;
            case QUANTILE -> {
                valueCount = 0;
                push(f);
            }
            default -> {
            }
        }
    }

    private void push(double f) {
        if (valueCount == values.length) {
            values = Arrays.copyOf(values, valueCount * 2);
        }
        values[valueCount++] = f;
    }

    private void kahanInc(double inc) {
        double t = value + inc;
        if (Double.isInfinite(t)) {
            kahanC = 0;
        } else if (Math.abs(value) >= Math.abs(inc)) {
            kahanC += (value - t) + inc;
        } else {
            kahanC += (inc - t) + value;
        }
        value = t;
    }

    private void addToMean(double f) {
        double n = count + 1;
        if (!incrementalMean) {
            double t = value + f;
            if (!Double.isInfinite(t)) {
                kahanInc(f);
                return;
            }
            // The plain sum would overflow: continue with an incremental mean.
            incrementalMean = true;
            mean = value / (n - 1);
            kahanC /= n - 1;
        }
        if (Double.isInfinite(mean)) {
            if (Double.isInfinite(f) && (mean > 0) == (f > 0)) {
                return;
            }
            if (!Double.isInfinite(f) && !Double.isNaN(f)) {
                return;
            }
        }
        double currentMean = mean + kahanC;
        double inc = f / n - currentMean / n;
        double t = mean + inc;
        if (Double.isInfinite(t)) {
            kahanC = 0;
        } else if (Math.abs(mean) >= Math.abs(inc)) {
            kahanC += (mean - t) + inc;
        } else {
            kahanC += (inc - t) + mean;
        }
        mean = t;
    }

    /**
     * The group's result; {@code q} is the quantile parameter (ignored by other operators).
     * Sorts the buffered values for a quantile.
     */
    public double result(double q) {
        return switch (op) {
            case SUM -> value + kahanC;
            case AVG -> incrementalMean ? mean + kahanC : (value + kahanC) / count;
            case COUNT -> count;
            case STDVAR -> value / count;
            case STDDEV -> Math.sqrt(value / count);
            case QUANTILE -> Quantiles.quantile(q, values, 0, valueCount);
            default -> value;
        };
    }

    public double result() {
        return result(Double.NaN);
    }
}
