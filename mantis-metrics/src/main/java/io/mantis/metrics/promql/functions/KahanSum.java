package io.mantis.metrics.promql.functions;

/**
 * A Kahan-Babuska-Neumaier running sum, stepped exactly as Prometheus' kahansum.Inc so results
 * agree to the last bit. Mutable and reusable; one per accumulation.
 */
public final class KahanSum {

    private double sum;
    private double c;

    public KahanSum reset() {
        sum = 0;
        c = 0;
        return this;
    }

    public KahanSum reset(double first) {
        sum = first;
        c = 0;
        return this;
    }

    public void add(double inc) {
        double t = sum + inc;
        if (Double.isInfinite(t)) {
            // Compensation is meaningless once the sum overflowed.
            c = 0;
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            c += (sum - t) + inc;
        } else {
            c += (inc - t) + sum;
        }
        sum = t;
    }

    /** The raw (uncompensated) running sum. */
    public double sum() {
        return sum;
    }

    /** The running compensation. */
    public double compensation() {
        return c;
    }

    /** Sum plus compensation, or the infinite sum itself after an overflow. */
    public double value() {
        return Double.isInfinite(sum) ? sum : sum + c;
    }

    /** Sum of {@code v[from, to)} with compensation. */
    public static double sum(double[] v, int from, int to) {
        double s = 0;
        double c = 0;
        for (int i = from; i < to; i++) {
            double inc = v[i];
            double t = s + inc;
            if (Double.isInfinite(t)) {
                c = 0;
            } else if (Math.abs(s) >= Math.abs(inc)) {
                c += (s - t) + inc;
            } else {
                c += (inc - t) + s;
            }
            s = t;
        }
        return Double.isInfinite(s) ? s : s + c;
    }
}
