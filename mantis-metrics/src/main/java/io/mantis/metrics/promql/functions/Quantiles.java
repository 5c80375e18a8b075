package io.mantis.metrics.promql.functions;

import java.util.Arrays;

/**
 * Quantiles of plain values (the {@code quantile} aggregation, quantile_over_time,
 * mad_over_time) and of classic histograms given as {@code le} buckets (histogram_quantile,
 * histogram_fraction). All methods work in place on caller-owned arrays and allocate nothing.
 */
public final class Quantiles {

    /**
     * Relative difference between neighbouring cumulative bucket counts below which the difference
     * is taken for floating-point noise and ignored, as Prometheus does.
     */
    public static final double SMALL_DELTA_TOLERANCE = 1e-12;

    private Quantiles() {
    }

    /**
     * The q-quantile of {@code values[from, to)}, interpolating between the two nearest ranks
     * ({@code rank = q * (n - 1)}). Sorts that range in place with NaNs first, as Prometheus orders
     * them. NaN for no values or q NaN; -Inf for q below 0, +Inf above 1.
     */
    public static double quantile(double q, double[] values, int from, int to) {
        int n = to - from;
        if (n <= 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNaNFirst(values, from, to);
        double rank = q * (n - 1);
        double lowerIndex = Math.max(0, Math.floor(rank));
        double upperIndex = Math.min(n - 1, lowerIndex + 1);
        double weight = rank - Math.floor(rank);
        return values[from + (int) lowerIndex] * (1 - weight) + values[from + (int) upperIndex] * weight;
    }

    /** Ascending with every NaN before every number (Java's own sort puts them last). */
    public static void sortNaNFirst(double[] values, int from, int to) {
        Arrays.sort(values, from, to);
        int firstNaN = to;
        while (firstNaN > from && Double.isNaN(values[firstNaN - 1])) {
            firstNaN--;
        }
        int nans = to - firstNaN;
        if (nans == 0 || nans == to - from) {
            return;
        }
        System.arraycopy(values, from, values, from + nans, firstNaN - from);
        for (int i = from; i < from + nans; i++) {
            values[i] = Double.NaN;
        }
    }

    /** Median absolute deviation of {@code values[from, to)}; {@code scratch} needs {@code to - from} slots. */
    public static double medianAbsoluteDeviation(double[] values, int from, int to, double[] scratch) {
        int n = to - from;
        System.arraycopy(values, from, scratch, 0, n);
        double median = quantile(0.5, scratch, 0, n);
        for (int i = 0; i < n; i++) {
            scratch[i] = Math.abs(values[from + i] - median);
        }
        return quantile(0.5, scratch, 0, n);
    }

    // -----------------------------------------------------------------------------------------
    // Classic histograms: parallel arrays of upper bounds (le) and cumulative counts.

    /**
     * histogram_quantile over classic buckets. Sorts the {@code n} buckets by upper bound in
     * place, merges equal bounds, ignores tiny relative differences, and forces the counts to be
     * monotonic (noting {@link Notes#FORCED_MONOTONICITY} with the largest drop; {@code notes} may
     * be null). The result is interpolated linearly, from 0 in the first bucket if its bound is positive, and the highest finite bound when the
     * rank falls into the +Inf bucket. NaN without a +Inf bucket, with fewer than two buckets, or
     * with no observations.
     */
    public static double bucketQuantile(double q, double[] upperBounds, double[] counts, int n, Notes notes) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (n == 0) {
            return Double.NaN;
        }
        sortBuckets(upperBounds, counts, n);
        if (upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        n = coalesce(upperBounds, counts, n);
        ensureMonotonic(upperBounds, counts, n, notes);
        if (n < 2) {
            return Double.NaN;
        }
        double observations = counts[n - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        // First bucket (among all but +Inf) whose cumulative count reaches the rank.
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (counts[mid] >= rank) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int b = lo;
        if (b == n - 1) {
            return upperBounds[n - 2];
        }
        if (b == 0 && upperBounds[0] <= 0) {
            return upperBounds[0];
        }
        double bucketStart = 0;
        double bucketEnd = upperBounds[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = upperBounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /**
     * histogram_fraction over classic buckets: the share of observations between {@code lower}
     * and {@code upper}, interpolating linearly inside finite buckets; the first bucket starts at 0
     * when its bound is positive, otherwise it and the +Inf bucket keep their whole population at
     * infinity. Sorts and merges the buckets in place.
     */
    public static double bucketFraction(double lower, double upper, double[] upperBounds, double[] counts, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        sortBuckets(upperBounds, counts, n);
        if (upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        n = coalesce(upperBounds, counts, n);
        double total = counts[n - 1];
        if (total == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
            return Double.NaN;
        }
        if (lower >= upper) {
            return 0;
        }
        double rank = 0;
        double lowerRank = 0;
        double upperRank = 0;
        boolean lowerSet = false;
        boolean upperSet = false;
        for (int i = 0; i < n; i++) {
            double bl = i > 0 ? upperBounds[i - 1] : (upperBounds[0] > 0 ? 0 : Double.NEGATIVE_INFINITY);
            double bu = upperBounds[i];
            double c = counts[i] - rank;
            if (!lowerSet && bl >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && bl >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            if (!lowerSet && bl < lower && bu > lower) {
                lowerRank = interpolate(rank, c, bl, bu, lower);
                lowerSet = true;
            }
            if (!upperSet && bl < upper && bu > upper) {
                upperRank = interpolate(rank, c, bl, bu, upper);
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            rank = counts[i];
        }
        if (!lowerSet || lowerRank > total) {
            lowerRank = total;
        }
        if (!upperSet || upperRank > total) {
            upperRank = total;
        }
        return (upperRank - lowerRank) / total;
    }

    private static double interpolate(double rank, double c, double bl, double bu, double v) {
        if (bl == Double.NEGATIVE_INFINITY) {
            return rank + c;
        }
        if (bu == Double.POSITIVE_INFINITY) {
            return rank;
        }
        return rank + c * (v - bl) / (bu - bl);
    }

    /** Insertion sort by bound: bucket lists are short and usually nearly sorted. */
    private static void sortBuckets(double[] bounds, double[] counts, int n) {
        for (int i = 1; i < n; i++) {
            double b = bounds[i];
            double c = counts[i];
            int j = i - 1;
            while (j >= 0 && bounds[j] > b) {
                bounds[j + 1] = bounds[j];
                counts[j + 1] = counts[j];
                j--;
            }
            bounds[j + 1] = b;
            counts[j + 1] = c;
        }
    }

    private static int coalesce(double[] bounds, double[] counts, int n) {
        int w = 0;
        for (int i = 1; i < n; i++) {
            if (bounds[i] == bounds[w]) {
                counts[w] += counts[i];
            } else {
                w++;
                bounds[w] = bounds[i];
                counts[w] = counts[i];
            }
        }
        return w + 1;
    }

    private static void ensureMonotonic(double[] bounds, double[] counts, int n, Notes notes) {
        double prev = counts[0];
        double prevBound = bounds[0];
        for (int i = 1; i < n; i++) {
            double curr = counts[i];
            if (curr == prev) {
                continue;
            }
            if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
                counts[i] = prev;
                continue;
            }
            if (curr < prev) {
                counts[i] = prev;
                if (notes != null) {
                    notes.monotonicityFix(prevBound, bounds[i], prev - curr);
                }
                continue;
            }
            prev = curr;
            prevBound = bounds[i];
        }
    }

    /** Prometheus' almost.Equal: equal, or relative difference below epsilon. */
    static boolean almostEqual(double a, double b, double epsilon) {
        if (a == b) {
            return true;
        }
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
            return diff < epsilon * Double.MIN_NORMAL;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
    }
}
