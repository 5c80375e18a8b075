package io.mantis.metrics.promql.functions;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.HistogramMath;

/**
 * Range-vector functions over one series' float samples in a window: timestamps {@code t}
 * (milliseconds) and values {@code v}, the window being the indexes {@code [from, to)}. The
 * evaluator selects the window with Prometheus 3's left-open range: samples with
 * {@code rangeStart < t <= rangeEnd} (see {@link #firstAfter}); for the anchored and smoothed
 * modifiers it also passes the samples just outside (see {@link #extendedRate}).
 *
 * <p>Functions that may produce no output element return {@link #NONE}; test with
 * {@link #isNone}. Nothing here allocates.
 */
public final class RangeFunctions {

    /**
     * "No output for this series": a NaN with a payload no arithmetic produces, so that NaN
     * results stay distinguishable.
     */
    public static final double NONE = Double.longBitsToDouble(0x7ff8_dead_0000_0001L);

    private RangeFunctions() {
    }

    public static boolean isNone(double result) {
        return Double.doubleToRawLongBits(result) == 0x7ff8_dead_0000_0001L;
    }

    // -----------------------------------------------------------------------------------------
    // Windows

    /** First index in {@code [from, to)} whose timestamp is greater than {@code ts}, else {@code to}. */
    public static int firstAfter(long[] t, int from, int to, long ts) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] > ts) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** First index in {@code [from, to)} whose timestamp is at least {@code ts}, else {@code to}. */
    public static int firstAtOrAfter(long[] t, int from, int to, long ts) {
        return firstAfter(t, from, to, ts - 1);
    }

    // -----------------------------------------------------------------------------------------
    // rate, increase, delta

    /** rate(): per-second increase with counter-reset handling and extrapolation; needs 2 samples. */
    public static double rate(long[] t, double[] v, int from, int to, long[] st, long rangeStart, long rangeEnd) {
        return extrapolatedRate(t, v, from, to, st, rangeStart, rangeEnd, true, true);
    }

    /** increase(): rate times the range. */
    public static double increase(long[] t, double[] v, int from, int to, long[] st, long rangeStart, long rangeEnd) {
        return extrapolatedRate(t, v, from, to, st, rangeStart, rangeEnd, true, false);
    }

    /** delta(): extrapolated difference of a gauge. */
    public static double delta(long[] t, double[] v, int from, int to, long rangeStart, long rangeEnd) {
        return extrapolatedRate(t, v, from, to, null, rangeStart, rangeEnd, false, false);
    }

    /**
     * The common kernel of rate, increase and delta. The difference between the last and the first
     * sample (plus, for counters, the value before every reset) is extrapolated towards the range
     * boundaries: all the way if the gap to the boundary is below 1.1 average sample intervals,
     * otherwise by half an interval, and for counters never below the point where the counter
     * would have been zero.
     *
     * @param st start timestamps parallel to {@code t} (0 = unknown), or null
     * @param rangeStart exclusive start of the range, ms (evaluation time minus range and offset)
     * @param rangeEnd inclusive end of the range, ms
     * @return the result, or {@link #NONE} with fewer than two samples
     */
    public static double extrapolatedRate(long[] t, double[] v, int from, int to, long[] st, long rangeStart,
            long rangeEnd, boolean isCounter, boolean isRate) {
        int n = to - from;
        if (n < 2) {
            return NONE;
        }
        double result = v[to - 1] - v[from];
        if (isCounter) {
            for (int i = from + 1; i < to; i++) {
                if (v[i] < v[i - 1] || st != null && isStartTimestampReset(st[i - 1], t[i - 1], st[i], t[i])) {
                    result += v[i - 1];
                }
            }
        }
        double factor = extrapolationFactor(t[from], t[to - 1], n - 1, rangeStart, rangeEnd, isCounter,
                result, v[from], isRate);
        return result * factor;
    }

    /**
     * The factor that scales the sampled increase to the range, shared with the native-histogram
     * rate: {@code firstValue} is the first sample's value (count for histograms), {@code result}
     * the raw increase (count for histograms).
     */
    static double extrapolationFactor(long firstT, long lastT, int intervals, long rangeStart, long rangeEnd,
            boolean isCounter, double result, double firstValue, boolean isRate) {
        double durationToStart = (firstT - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - lastT) / 1000.0;
        double sampledInterval = (lastT - firstT) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / intervals;
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        if (durationToStart >= extrapolationThreshold) {
            durationToStart = averageDurationBetweenSamples / 2;
        }
        if (isCounter && result > 0 && firstValue >= 0) {
            double durationToZero = sampledInterval * (firstValue / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= extrapolationThreshold) {
            durationToEnd = averageDurationBetweenSamples / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) {
            factor /= (rangeEnd - rangeStart) / 1000.0;
        }
        return factor;
    }

    /**
     * Whether start timestamps show a counter reset between two samples: the current start time
     * is valid and after the previous sample, or (a delta series) points exactly at it while the
     * previous start time was known.
     */
    public static boolean isStartTimestampReset(long prevSt, long prevT, long currSt, long currT) {
        if (currSt == 0 || currSt > currT) {
            return false;
        }
        if (currSt < prevT) {
            return false;
        }
        if (currSt > prevT) {
            return true;
        }
        return prevSt != 0;
    }

    /**
     * rate, increase and delta with the {@code anchored} or {@code smoothed} modifier. The window
     * must hold the last sample at or before {@code rangeStart} (if any) followed by the samples in
     * the range and, for {@code smoothed}, the first sample after {@code rangeEnd} (if any).
     * Anchored takes the boundary samples as they are; smoothed interpolates linearly to the
     * boundaries (a counter reset between two samples interpolates from zero).
     *
     * @return the result, or {@link #NONE} when no sample lies after {@code rangeStart}
     */
    public static double extendedRate(long[] t, double[] v, int from, int to, long rangeStart, long rangeEnd,
            boolean isCounter, boolean isRate, boolean smoothed) {
        if (to <= from) {
            return NONE;
        }
        int last = to - 1;
        // The last sample at or before the range start, else the first one.
        int first = Math.max(from, firstAfter(t, from, last, rangeStart) - 1);
        if (smoothed) {
            last = firstAtOrAfter(t, from, last, rangeEnd);
        }
        if (t[last] <= rangeStart) {
            return NONE;
        }
        double left = smoothed && t[first] < rangeStart
                ? interpolate(t[first], v[first], t[first + 1], v[first + 1], rangeStart, isCounter) : v[first];
        double right = smoothed && last > from && t[last] > rangeEnd
                ? interpolate(t[last - 1], v[last - 1], t[last], v[last], rangeEnd, isCounter) : v[last];
        double result = right - left;
        if (isCounter) {
            int a = t[first] <= rangeStart ? first + 1 : first;
            int b = t[last] >= rangeEnd ? last - 1 : last;
            double prev = left;
            for (int i = a; i <= b; i++) {
                if (v[i] < prev) {
                    result += prev;
                }
                prev = v[i];
            }
            if (right < prev) {
                result += prev;
            }
        }
        if (isRate) {
            result /= (rangeEnd - rangeStart) / 1000.0;
        }
        return result;
    }

    private static double interpolate(long t1, double y1, long t2, double y2, long at, boolean isCounter) {
        if (isCounter && y2 < y1) {
            y1 = 0;
        }
        return y1 + (y2 - y1) * (double) (at - t1) / (double) (t2 - t1);
    }

    // -----------------------------------------------------------------------------------------
    // irate, idelta

    /**
     * irate ({@code isRate}) or idelta of the last two samples of the window. For irate a drop
     * (or a start-timestamp reset) counts the new value as the whole increase.
     *
     * @return the result, or {@link #NONE} with fewer than two samples or equal timestamps
     */
    public static double instantValue(long[] t, double[] v, int from, int to, long[] st, boolean isRate) {
        if (to - from < 2) {
            return NONE;
        }
        int a = to - 2;
        int b = to - 1;
        long interval = t[b] - t[a];
        if (interval == 0) {
            return NONE;
        }
        double result = v[b];
        boolean reset = v[b] < v[a] || st != null && isStartTimestampReset(st[a], t[a], st[b], t[b]);
        if (!isRate || !reset) {
            result = v[b] - v[a];
        }
        if (isRate) {
            result /= interval / 1000.0;
        }
        return result;
    }

    // -----------------------------------------------------------------------------------------
    // resets, changes (floats and histograms interleaved by time)

    /**
     * resets(): drops between consecutive float samples, counter resets between histograms, and
     * every switch between a float and a histogram. Either side may be empty ({@code hFrom == hTo},
     * {@code ht} and {@code h} may then be null).
     *
     * @return the count, or {@link #NONE} when there are no samples at all
     */
    public static double resets(long[] ft, double[] fv, int fFrom, int fTo, long[] ht, FloatHistogram[] h,
            int hFrom, int hTo) {
        return countTransitions(ft, fv, fFrom, fTo, ht, h, hFrom, hTo, true);
    }

    /** changes(): like {@link #resets} but counting every change of value (NaN to NaN is none). */
    public static double changes(long[] ft, double[] fv, int fFrom, int fTo, long[] ht, FloatHistogram[] h,
            int hFrom, int hTo) {
        return countTransitions(ft, fv, fFrom, fTo, ht, h, hFrom, hTo, false);
    }

    private static double countTransitions(long[] ft, double[] fv, int fFrom, int fTo, long[] ht,
            FloatHistogram[] h, int hFrom, int hTo, boolean resets) {
        if (fFrom >= fTo && hFrom >= hTo) {
            return NONE;
        }
        int count = 0;
        int i = fFrom;
        int j = hFrom;
        boolean first = true;
        boolean prevIsHist = false;
        double prevF = 0;
        FloatHistogram prevH = null;
        while (i < fTo || j < hTo) {
            boolean isHist;
            double curF = 0;
            FloatHistogram curH = null;
            if (j >= hTo || i < fTo && ft[i] < ht[j]) {
                isHist = false;
                curF = fv[i++];
            } else if (i >= fTo || ft[i] > ht[j]) {
                isHist = true;
                curH = h[j++];
            } else {
                // A float and a histogram at the same time cannot be stored; keep the float.
                isHist = false;
                curF = fv[i++];
                j++;
            }
            if (!first) {
                if (!isHist && !prevIsHist) {
                    if (resets ? curF < prevF : curF != prevF && !(Double.isNaN(curF) && Double.isNaN(prevF))) {
                        count++;
                    }
                } else if (isHist != prevIsHist) {
                    count++;
                } else if (resets ? HistogramMath.detectReset(curH, prevH) : !HistogramMath.sameValue(curH, prevH)) {
                    count++;
                }
            }
            first = false;
            prevIsHist = isHist;
            prevF = curF;
            prevH = curH;
        }
        return count;
    }

    // -----------------------------------------------------------------------------------------
    // deriv, predict_linear

    /** deriv(): least-squares slope per second; needs 2 samples, else {@link #NONE}. */
    public static double deriv(long[] t, double[] v, int from, int to) {
        if (to - from < 2) {
            return NONE;
        }
        // Regress around the first sample to keep the x values small.
        return regression(t, v, from, to, t[from], 0, false);
    }

    /**
     * predict_linear(): the least-squares line through the window, evaluated {@code seconds} after
     * {@code evalTime} (ms); needs 2 samples, else {@link #NONE}.
     */
    public static double predictLinear(long[] t, double[] v, int from, int to, long evalTime, double seconds) {
        if (to - from < 2) {
            return NONE;
        }
        return regression(t, v, from, to, evalTime, seconds, true);
    }

    private static double regression(long[] t, double[] v, int from, int to, long interceptTime, double duration,
            boolean predict) {
        double n = 0;
        double sumX = 0;
        double cX = 0;
        double sumY = 0;
        double cY = 0;
        double sumXY = 0;
        double cXY = 0;
        double sumX2 = 0;
        double cX2 = 0;
        double initY = v[from];
        boolean constY = true;
        for (int i = from; i < to; i++) {
            double y = v[i];
            if (constY && i > from && y != initY) {
                constY = false;
            }
            n += 1;
            double x = (t[i] - interceptTime) / 1e3;
            // Four Kahan sums, unrolled to stay allocation-free.
            double tt = sumX + x;
            cX += Double.isInfinite(tt) ? -cX : (Math.abs(sumX) >= Math.abs(x) ? (sumX - tt) + x : (x - tt) + sumX);
            sumX = tt;
            tt = sumY + y;
            cY += Double.isInfinite(tt) ? -cY : (Math.abs(sumY) >= Math.abs(y) ? (sumY - tt) + y : (y - tt) + sumY);
            sumY = tt;
            double xy = x * y;
            tt = sumXY + xy;
            cXY += Double.isInfinite(tt) ? -cXY
                    : (Math.abs(sumXY) >= Math.abs(xy) ? (sumXY - tt) + xy : (xy - tt) + sumXY);
            sumXY = tt;
            double x2 = x * x;
            tt = sumX2 + x2;
            cX2 += Double.isInfinite(tt) ? -cX2
                    : (Math.abs(sumX2) >= Math.abs(x2) ? (sumX2 - tt) + x2 : (x2 - tt) + sumX2);
            sumX2 = tt;
        }
        double slope;
        double intercept;
        if (constY) {
            if (Double.isInfinite(initY)) {
                slope = Double.NaN;
                intercept = Double.NaN;
            } else {
                slope = 0;
                intercept = initY;
            }
        } else {
            sumX += cX;
            sumY += cY;
            sumXY += cXY;
            sumX2 += cX2;
            double covXY = sumXY - sumX * sumY / n;
            double varX = sumX2 - sumX * sumX / n;
            slope = covXY / varX;
            intercept = sumY / n - slope * sumX / n;
        }
        return predict ? slope * duration + intercept : slope;
    }

    // -----------------------------------------------------------------------------------------
    // double_exponential_smoothing

    /**
     * double_exponential_smoothing (formerly holt_winters) with smoothing factor {@code sf} and
     * trend factor {@code tf}, both strictly between 0 and 1 ({@link #checkSmoothingFactors}).
     *
     * @return the last smoothed value, or {@link #NONE} with fewer than two samples
     */
    public static double doubleExponentialSmoothing(double[] v, int from, int to, double sf, double tf) {
        int l = to - from;
        if (l < 2) {
            return NONE;
        }
        double s0 = 0;
        double s1 = v[from];
        double b = v[from + 1] - v[from];
        for (int i = 1; i < l; i++) {
            double x = sf * v[from + i];
            if (i - 1 != 0) {
                b = tf * (s1 - s0) + (1 - tf) * b;
            }
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }

    /**
     * The query error double_exponential_smoothing raises for factors outside (0, 1), worded as
     * Prometheus words it, or null when both are valid.
     */
    public static String checkSmoothingFactors(double sf, double tf) {
        if (!(sf > 0 && sf < 1)) {
            return "invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format(java.util.Locale.ROOT, "%f", sf);
        }
        if (!(tf > 0 && tf < 1)) {
            return "invalid trend factor. Expected: 0 < tf < 1, got: " + String.format(java.util.Locale.ROOT, "%f", tf);
        }
        return null;
    }

    // -----------------------------------------------------------------------------------------
    // *_over_time

    /**
     * avg_over_time: Kahan-compensated sum divided by the count while the sum stays finite, then
     * (from the first sample that would overflow it) an incremental, also compensated, mean.
     *
     * @return the mean, or {@link #NONE} for an empty window
     */
    public static double avgOverTime(double[] v, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        double sum = v[from];
        double count = 1;
        double mean = 0;
        double c = 0;
        boolean incremental = false;
        for (int i = from + 1; i < to; i++) {
            double f = v[i];
            count = i - from + 1;
            if (!incremental) {
                double t = sum + f;
                if (!Double.isInfinite(t)) {
                    c += Math.abs(sum) >= Math.abs(f) ? (sum - t) + f : (f - t) + sum;
                    sum = t;
                    continue;
                }
                incremental = true;
                mean = sum / (count - 1);
                c /= count - 1;
            }
            double q = (count - 1) / count;
            double inc = f / count;
            double base = q * mean;
            double cq = q * c;
            double t = base + inc;
            if (Double.isInfinite(t)) {
                cq = 0;
            } else if (Math.abs(base) >= Math.abs(inc)) {
                cq += (base - t) + inc;
            } else {
                cq += (inc - t) + base;
            }
            mean = t;
            c = cq;
        }
        if (incremental) {
            return mean + c;
        }
        return sum / count + c / count;
    }

    /** sum_over_time, Kahan-compensated; {@link #NONE} for an empty window. */
    public static double sumOverTime(double[] v, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        return KahanSum.sum(v, from, to);
    }

    /** count_over_time (floats and histograms are counted alike by the caller). */
    public static double countOverTime(int from, int to) {
        return to <= from ? NONE : to - from;
    }

    /** max_over_time: NaN only if all values are NaN. */
    public static double maxOverTime(double[] v, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        double m = v[from];
        for (int i = from; i < to; i++) {
            if (v[i] > m || Double.isNaN(m)) {
                m = v[i];
            }
        }
        return m;
    }

    /** min_over_time: NaN only if all values are NaN. */
    public static double minOverTime(double[] v, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        double m = v[from];
        for (int i = from; i < to; i++) {
            if (v[i] < m || Double.isNaN(m)) {
                m = v[i];
            }
        }
        return m;
    }

    /** ts_of_max_over_time: seconds of the last sample holding the maximum. */
    public static double tsOfMaxOverTime(long[] t, double[] v, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        double m = v[from];
        long ts = t[from];
        for (int i = from; i < to; i++) {
            if (v[i] >= m || Double.isNaN(m)) {
                m = v[i];
                ts = t[i];
            }
        }
        return ts / 1000.0;
    }

    /** ts_of_min_over_time: seconds of the last sample holding the minimum. */
    public static double tsOfMinOverTime(long[] t, double[] v, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        double m = v[from];
        long ts = t[from];
        for (int i = from; i < to; i++) {
            if (v[i] <= m || Double.isNaN(m)) {
                m = v[i];
                ts = t[i];
            }
        }
        return ts / 1000.0;
    }

    /**
     * ts_of_first_over_time / ts_of_last_over_time over floats and histograms: seconds of the
     * earlier (first) or later (last) of the two candidate timestamps; pass
     * {@code Long.MIN_VALUE} for a kind with no sample.
     */
    public static double tsOfFirst(long firstFloatT, long firstHistogramT) {
        if (firstFloatT == Long.MIN_VALUE) {
            return firstHistogramT / 1000.0;
        }
        if (firstHistogramT == Long.MIN_VALUE) {
            return firstFloatT / 1000.0;
        }
        return Math.min(firstFloatT, firstHistogramT) / 1000.0;
    }

    public static double tsOfLast(long lastFloatT, long lastHistogramT) {
        return Math.max(lastFloatT, lastHistogramT) / 1000.0;
    }

    /**
     * quantile_over_time; {@code scratch} needs {@code to - from} slots (the window itself is left
     * untouched). Notes {@link Notes#INVALID_QUANTILE} for q outside [0, 1].
     */
    public static double quantileOverTime(double q, double[] v, int from, int to, double[] scratch, Notes notes) {
        if (to <= from) {
            return NONE;
        }
        if (notes != null && (Double.isNaN(q) || q < 0 || q > 1)) {
            notes.add(Notes.INVALID_QUANTILE);
        }
        int n = to - from;
        System.arraycopy(v, from, scratch, 0, n);
        return Quantiles.quantile(q, scratch, 0, n);
    }

    /** mad_over_time; {@code scratch} needs {@code to - from} slots. */
    public static double madOverTime(double[] v, int from, int to, double[] scratch) {
        if (to <= from) {
            return NONE;
        }
        return Quantiles.medianAbsoluteDeviation(v, from, to, scratch);
    }

    /** stdvar_over_time: population variance via a compensated Welford recurrence. */
    public static double stdvarOverTime(double[] v, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        double count = 0;
        double mean = 0;
        double cMean = 0;
        double aux = 0;
        double cAux = 0;
        for (int i = from; i < to; i++) {
            double f = v[i];
            count++;
            double delta = f - (mean + cMean);
            double inc = delta / count;
            double t = mean + inc;
            if (Double.isInfinite(t)) {
                cMean = 0;
            } else if (Math.abs(mean) >= Math.abs(inc)) {
                cMean += (mean - t) + inc;
            } else {
                cMean += (inc - t) + mean;
            }
            mean = t;
            double inc2 = delta * (f - (mean + cMean));
            t = aux + inc2;
            if (Double.isInfinite(t)) {
                cAux = 0;
            } else if (Math.abs(aux) >= Math.abs(inc2)) {
                cAux += (aux - t) + inc2;
            } else {
                cAux += (inc2 - t) + aux;
            }
            aux = t;
        }
        return (aux + cAux) / count;
    }

    /** stddev_over_time. */
    public static double stddevOverTime(double[] v, int from, int to) {
        double var = stdvarOverTime(v, from, to);
        return isNone(var) ? NONE : Math.sqrt(var);
    }

    /** last_over_time over floats only (the evaluator picks the later of float and histogram). */
    public static double lastOverTime(double[] v, int from, int to) {
        return to <= from ? NONE : v[to - 1];
    }

    /** present_over_time: 1 for any sample. */
    public static double presentOverTime(int from, int to) {
        return to <= from ? NONE : 1;
    }
}
