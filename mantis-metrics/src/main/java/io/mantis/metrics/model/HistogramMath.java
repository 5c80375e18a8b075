package io.mantis.metrics.model;

import io.mantis.metrics.model.FloatHistogram.Buckets;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import java.util.Arrays;

/**
 * Native-histogram arithmetic with the semantics of Prometheus' float histograms: addition and
 * subtraction across schemas (the finer histogram is reduced to the coarser schema), zero buckets
 * of different widths (the narrower zero bucket is widened, swallowing the buckets it now covers),
 * custom-bucket histograms with different bounds (both are mapped onto the bounds they share),
 * Kahan-compensated summation, counter-reset detection, and the statistics PromQL reads off a
 * histogram (quantile, fraction, count, sum, average, variance).
 *
 * <p>Operations that combine histograms change their first argument in place and return a bit set
 * of the {@code RESULT_*} flags, so callers can turn them into annotations. The arithmetic works on
 * flattened (index, count) copies of the buckets; these are small per-call arrays, never per-sample
 * objects.
 */
public final class HistogramMath {

    /** One histogram said "counter reset", the other "not a counter reset": the hint became UNKNOWN. */
    public static final int RESULT_COUNTER_RESET_COLLISION = 1;
    /** Custom-bucket histograms with different bounds were mapped onto their common bounds. */
    public static final int RESULT_CUSTOM_BOUNDS_RECONCILED = 1 << 1;
    /** One histogram has exponential buckets, the other custom ones: nothing was changed. */
    public static final int RESULT_INCOMPATIBLE_SCHEMA = 1 << 2;

    private HistogramMath() {
    }

    public static boolean usesCustomBuckets(FloatHistogram h) {
        return h.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA;
    }

    // ---------------------------------------------------------------------------------------
    // Bucket bounds

    /**
     * Upper bound of exponential bucket {@code idx} at {@code schema}: {@code 2^(idx * 2^-schema)}.
     * The last finite bucket reports {@link Double#MAX_VALUE} rather than +Inf, as Prometheus does,
     * so that observations of ±Inf keep a bucket of their own.
     */
    public static double exponentialUpperBound(int idx, int schema) {
        if (schema < 0) {
            long exp = (long) idx << -schema;
            if (exp == 1024) {
                return Double.MAX_VALUE;
            }
            return ldexp(1, exp);
        }
        int fracIdx = idx & ((1 << schema) - 1);
        double frac = fracIdx == 0 ? 0.5 : Math.pow(2, (double) fracIdx / (1 << schema)) / 2;
        long exp = ((long) idx >> schema) + 1;
        if (frac == 0.5 && exp == 1025) {
            return Double.MAX_VALUE;
        }
        return ldexp(frac, exp);
    }

    private static double ldexp(double frac, long exp) {
        if (exp > 2000) {
            return Double.POSITIVE_INFINITY;
        }
        if (exp < -2200) {
            return 0;
        }
        return Math.scalb(frac, (int) exp);
    }

    /** Upper bound of bucket {@code idx} of {@code h}, custom or exponential (absolute value for negative buckets). */
    public static double upperBound(FloatHistogram h, int idx) {
        if (usesCustomBuckets(h)) {
            return idx < h.customBoundCount() ? h.customBound(idx) : Double.POSITIVE_INFINITY;
        }
        return exponentialUpperBound(idx, h.schema());
    }

    /** Lower bound of bucket {@code idx} of {@code h} (absolute value for negative buckets). */
    public static double lowerBound(FloatHistogram h, int idx) {
        if (usesCustomBuckets(h)) {
            return idx == 0 ? Double.NEGATIVE_INFINITY : h.customBound(Math.min(idx, h.customBoundCount()) - 1);
        }
        return exponentialUpperBound(idx - 1, h.schema());
    }

    // ---------------------------------------------------------------------------------------
    // Flattened buckets

    /** Bucket indexes and counts of one side, in index order; the working form of the arithmetic. */
    static final class Flat {
        int[] idx;
        double[] cnt;
        int n;

        Flat(int capacity) {
            idx = new int[Math.max(4, capacity)];
            cnt = new double[idx.length];
        }

        static Flat of(Buckets b) {
            Flat f = new Flat(b.bucketCount());
            int k = 0;
            int next = 0;
            for (int s = 0; s < b.spanCount(); s++) {
                next += b.spanOffset(s);
                for (int j = 0; j < b.spanLength(s) && k < b.bucketCount(); j++) {
                    f.append(next++, b.count(k++));
                }
            }
            return f;
        }

        /** Appends, merging into the last bucket when the index repeats (as schema reduction produces). */
        void append(int index, double count) {
            if (n > 0 && idx[n - 1] == index) {
                cnt[n - 1] += count;
                return;
            }
            if (n == idx.length) {
                idx = Arrays.copyOf(idx, n * 2);
                cnt = Arrays.copyOf(cnt, n * 2);
            }
            idx[n] = index;
            cnt[n] = count;
            n++;
        }

        void store(Buckets b) {
            b.clear();
            int spanStart = 0;
            int prevEnd = 0;
            for (int i = 1; i <= n; i++) {
                if (i == n || idx[i] != idx[i - 1] + 1) {
                    b.addSpan(spanStart == 0 ? idx[0] : idx[spanStart] - prevEnd, i - spanStart);
                    prevEnd = idx[i - 1] + 1;
                    spanStart = i;
                }
            }
            b.setCounts(cnt, n);
        }

        void reduce(int fromSchema, int toSchema) {
            if (fromSchema <= toSchema || n == 0) {
                return;
            }
            int shift = fromSchema - toSchema;
            int w = 0;
            for (int i = 0; i < n; i++) {
                int target = ((idx[i] - 1) >> shift) + 1;
                if (w > 0 && idx[w - 1] == target) {
                    cnt[w - 1] += cnt[i];
                } else {
                    idx[w] = target;
                    cnt[w] = cnt[i];
                    w++;
                }
            }
            n = w;
        }

        /** Drops the buckets whose upper bound is within the zero bucket; returns their total count. */
        double trimBelow(double threshold, int schema) {
            int w = 0;
            double dropped = 0;
            for (int i = 0; i < n; i++) {
                if (exponentialUpperBound(idx[i], schema) <= threshold) {
                    dropped += cnt[i];
                } else {
                    idx[w] = idx[i];
                    cnt[w] = cnt[i];
                    w++;
                }
            }
            n = w;
            return dropped;
        }

        void remapCustom(FloatHistogram from, double[] common, int commonCount) {
            int w = 0;
            int j = 0;
            for (int i = 0; i < n; i++) {
                double u = idx[i] < from.customBoundCount() ? from.customBound(idx[i]) : Double.POSITIVE_INFINITY;
                while (j < commonCount && common[j] < u) {
                    j++;
                }
                int target = j;
                if (w > 0 && idx[w - 1] == target) {
                    cnt[w - 1] += cnt[i];
                } else {
                    idx[w] = target;
                    cnt[w] = cnt[i];
                    w++;
                }
            }
            n = w;
        }

        double total() {
            double t = 0;
            for (int i = 0; i < n; i++) {
                t += cnt[i];
            }
            return t;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Arithmetic

    /** {@code target += other}. */
    public static int add(FloatHistogram target, FloatHistogram other) {
        return combine(target, null, other, 1);
    }

    /** {@code target -= other}. */
    public static int sub(FloatHistogram target, FloatHistogram other) {
        return combine(target, null, other, -1);
    }

    /**
     * Kahan-compensated {@code sum += other}: {@code comp} carries the compensation and is kept on
     * the same layout as {@code sum}. Start {@code comp} as {@link FloatHistogram#clear() empty};
     * the result is {@code sum + comp} (see {@link #addCompensation}).
     */
    public static int kahanAdd(FloatHistogram sum, FloatHistogram comp, FloatHistogram other) {
        return combine(sum, comp, other, 1);
    }

    /** Folds the compensation into the sum: {@code sum += comp}, leaving {@code comp} untouched. */
    public static int addCompensation(FloatHistogram sum, FloatHistogram comp) {
        if (isEmpty(comp)) {
            return 0;
        }
        FloatHistogram c = comp.copy();
        c.counterResetHint(sum.counterResetHint());
        if (usesCustomBuckets(sum) != usesCustomBuckets(c)) {
            // An empty compensation never had a layout of its own.
            c.schema(sum.schema());
            c.setCustomBounds(customBoundsOf(sum), sum.customBoundCount());
        }
        return add(sum, c);
    }

    private static boolean isEmpty(FloatHistogram h) {
        return h.count() == 0 && h.sum() == 0 && h.zeroCount() == 0
                && h.positive().bucketCount() == 0 && h.negative().bucketCount() == 0;
    }

    private static double[] customBoundsOf(FloatHistogram h) {
        double[] b = new double[h.customBoundCount()];
        for (int i = 0; i < b.length; i++) {
            b[i] = h.customBound(i);
        }
        return b;
    }

    /** Multiplies count, sum, zero count and every bucket by {@code factor}. */
    public static FloatHistogram mul(FloatHistogram h, double factor) {
        h.zeroCount(h.zeroCount() * factor).count(h.count() * factor).sum(h.sum() * factor);
        scale(h.positive(), factor);
        scale(h.negative(), factor);
        return h;
    }

    /** Divides count, sum, zero count and buckets by {@code d}; division by zero drops all buckets. */
    public static FloatHistogram div(FloatHistogram h, double d) {
        h.zeroCount(h.zeroCount() / d).count(h.count() / d).sum(h.sum() / d);
        if (d == 0) {
            h.positive().clear();
            h.negative().clear();
            return h;
        }
        for (int i = 0; i < h.positive().bucketCount(); i++) {
            h.positive().setCount(i, h.positive().count(i) / d);
        }
        for (int i = 0; i < h.negative().bucketCount(); i++) {
            h.negative().setCount(i, h.negative().count(i) / d);
        }
        return h;
    }

    private static void scale(Buckets b, double f) {
        for (int i = 0; i < b.bucketCount(); i++) {
            b.setCount(i, b.count(i) * f);
        }
    }

    /** Drops buckets with a count of exactly zero and rewrites the spans minimally. */
    public static FloatHistogram compact(FloatHistogram h) {
        compactSide(h.positive());
        compactSide(h.negative());
        return h;
    }

    private static void compactSide(Buckets b) {
        Flat f = Flat.of(b);
        int w = 0;
        for (int i = 0; i < f.n; i++) {
            if (f.cnt[i] != 0) {
                f.idx[w] = f.idx[i];
                f.cnt[w] = f.cnt[i];
                w++;
            }
        }
        f.n = w;
        f.store(b);
    }

    /** Lowers the resolution of an exponential histogram to {@code targetSchema} (no-op if not lower). */
    public static FloatHistogram reduceResolution(FloatHistogram h, int targetSchema) {
        if (usesCustomBuckets(h) || targetSchema >= h.schema()) {
            return h;
        }
        Flat p = Flat.of(h.positive());
        Flat n = Flat.of(h.negative());
        p.reduce(h.schema(), targetSchema);
        n.reduce(h.schema(), targetSchema);
        p.store(h.positive());
        n.store(h.negative());
        h.schema(targetSchema);
        return h;
    }

    /** Whether any count, the sum or any bucket is infinite: a sum that would overflow. */
    public static boolean hasOverflow(FloatHistogram h) {
        if (Double.isInfinite(h.count()) || Double.isInfinite(h.sum()) || Double.isInfinite(h.zeroCount())) {
            return true;
        }
        return infiniteBucket(h.positive()) || infiniteBucket(h.negative());
    }

    private static boolean infiniteBucket(Buckets b) {
        for (int i = 0; i < b.bucketCount(); i++) {
            if (Double.isInfinite(b.count(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean adjustCounterReset(FloatHistogram h, FloatHistogram other) {
        CounterResetHint mine = h.counterResetHint();
        CounterResetHint theirs = other.counterResetHint();
        if (mine == theirs || mine == CounterResetHint.GAUGE || mine == CounterResetHint.UNKNOWN && theirs != CounterResetHint.GAUGE) {
            return false;
        }
        if (theirs == CounterResetHint.GAUGE) {
            h.counterResetHint(CounterResetHint.GAUGE);
            return false;
        }
        // Either the other side is UNKNOWN, or RESET meets NOT_RESET; the latter is a collision.
        h.counterResetHint(CounterResetHint.UNKNOWN);
        return theirs != CounterResetHint.UNKNOWN;
    }

    private static int combine(FloatHistogram target, FloatHistogram comp, FloatHistogram other, double sign) {
        boolean custom = usesCustomBuckets(target);
        if (custom != usesCustomBuckets(other)) {
            return RESULT_INCOMPATIBLE_SCHEMA;
        }
        int flags = adjustCounterReset(target, other) ? RESULT_COUNTER_RESET_COLLISION : 0;
        Flat tp = Flat.of(target.positive());
        Flat tn = Flat.of(target.negative());
        Flat op = Flat.of(other.positive());
        Flat on = Flat.of(other.negative());
        Flat cp = null;
        Flat cn = null;
        if (comp != null) {
            if (isEmpty(comp)) {
                // A fresh compensation takes the sum's layout.
                comp.schema(target.schema()).zeroThreshold(target.zeroThreshold());
                comp.setCustomBounds(customBoundsOf(target), target.customBoundCount());
            }
            cp = Flat.of(comp.positive());
            cn = Flat.of(comp.negative());
        }
        double otherZero = other.zeroCount();
        if (custom) {
            if (!target.sameCustomBounds(customBoundsOf(other), other.customBoundCount())) {
                double[] common = intersect(target, other);
                tp.remapCustom(target, common, common.length);
                if (cp != null) {
                    cp.remapCustom(target, common, common.length);
                    comp.setCustomBounds(common, common.length);
                }
                op.remapCustom(other, common, common.length);
                target.setCustomBounds(common, common.length);
                flags |= RESULT_CUSTOM_BOUNDS_RECONCILED;
            }
        } else {
            double tThr = target.zeroThreshold();
            double tZero = target.zeroCount();
            double oThr = other.zeroThreshold();
            while (oThr != tThr) {
                if (tThr > oThr) {
                    double[] r = zeroCountForLargerThreshold(other.schema(), Flat.of(other.positive()),
                            Flat.of(other.negative()), other.zeroCount(), other.zeroThreshold(), tThr);
                    otherZero = r[0];
                    oThr = r[1];
                }
                if (oThr > tThr) {
                    double[] r = zeroCountForLargerThreshold(target.schema(), tp, tn, tZero, tThr, oThr);
                    tZero = r[0];
                    tThr = r[1];
                    tp.trimBelow(tThr, target.schema());
                    tn.trimBelow(tThr, target.schema());
                    if (cp != null) {
                        comp.zeroCount(comp.zeroCount() + cp.trimBelow(tThr, target.schema())
                                + cn.trimBelow(tThr, target.schema()));
                    }
                }
            }
            op.trimBelow(oThr, other.schema());
            on.trimBelow(oThr, other.schema());
            target.zeroThreshold(tThr).zeroCount(tZero);
            int schema = Math.min(target.schema(), other.schema());
            tp.reduce(target.schema(), schema);
            tn.reduce(target.schema(), schema);
            if (cp != null) {
                cp.reduce(comp.schema(), schema);
                cn.reduce(comp.schema(), schema);
                comp.schema(schema).zeroThreshold(tThr);
            }
            op.reduce(other.schema(), schema);
            on.reduce(other.schema(), schema);
            target.schema(schema);
        }
        if (comp == null) {
            target.count(target.count() + sign * other.count());
            target.sum(target.sum() + sign * other.sum());
            target.zeroCount(target.zeroCount() + sign * otherZero);
            merge(tp, op, sign).store(target.positive());
            merge(tn, on, sign).store(target.negative());
        } else {
            double[] sc = new double[2];
            kahan(sign * other.count(), target.count(), comp.count(), sc);
            target.count(sc[0]);
            comp.count(sc[1]);
            kahan(sign * other.sum(), target.sum(), comp.sum(), sc);
            target.sum(sc[0]);
            comp.sum(sc[1]);
            kahan(sign * otherZero, target.zeroCount(), comp.zeroCount(), sc);
            target.zeroCount(sc[0]);
            comp.zeroCount(sc[1]);
            kahanMerge(tp, cp, op, sign, target.positive(), comp.positive());
            kahanMerge(tn, cn, on, sign, target.negative(), comp.negative());
        }
        return flags;
    }

    /** Neumaier's variant of Kahan's step, as Prometheus' kahansum.Inc: {@code out = {sum, c}}. */
    static void kahan(double inc, double sum, double c, double[] out) {
        double t = sum + inc;
        if (Double.isInfinite(t)) {
            c = 0;
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            c += (sum - t) + inc;
        } else {
            c += (inc - t) + sum;
        }
        out[0] = t;
        out[1] = c;
    }

    private static Flat merge(Flat a, Flat b, double sign) {
        Flat out = new Flat(a.n + b.n);
        int i = 0;
        int j = 0;
        while (i < a.n || j < b.n) {
            if (j >= b.n || i < a.n && a.idx[i] < b.idx[j]) {
                out.append(a.idx[i], a.cnt[i]);
                i++;
            } else if (i >= a.n || b.idx[j] < a.idx[i]) {
                out.append(b.idx[j], sign * b.cnt[j]);
                j++;
            } else {
                out.append(a.idx[i], a.cnt[i] + sign * b.cnt[j]);
                i++;
                j++;
            }
        }
        return out;
    }

    private static void kahanMerge(Flat s, Flat c, Flat o, double sign, Buckets sumOut, Buckets compOut) {
        // Lay the three sides onto the union of their indexes, then step each bucket.
        Flat union = merge(merge(s, c, 0), o, 0);
        Flat ns = new Flat(union.n);
        Flat nc = new Flat(union.n);
        double[] sc = new double[2];
        int is = 0;
        int ic = 0;
        int io = 0;
        for (int u = 0; u < union.n; u++) {
            int index = union.idx[u];
            double sv = is < s.n && s.idx[is] == index ? s.cnt[is++] : 0;
            double cv = ic < c.n && c.idx[ic] == index ? c.cnt[ic++] : 0;
            double ov = io < o.n && o.idx[io] == index ? o.cnt[io++] : 0;
            kahan(sign * ov, sv, cv, sc);
            ns.append(index, sc[0]);
            nc.append(index, sc[1]);
        }
        ns.store(sumOut);
        nc.store(compOut);
    }

    private static double[] intersect(FloatHistogram a, FloatHistogram b) {
        double[] out = new double[Math.min(a.customBoundCount(), b.customBoundCount())];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.customBoundCount() && j < b.customBoundCount()) {
            double x = a.customBound(i);
            double y = b.customBound(j);
            if (x == y) {
                out[n++] = x;
                i++;
                j++;
            } else if (x < y) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The zero count a histogram would have with a zero bucket of at least {@code larger}, and the
     * threshold it really needs: a populated bucket straddling the new threshold widens it to that
     * bucket's bound. Returns {count, threshold}.
     */
    static double[] zeroCountForLargerThreshold(int schema, Flat pos, Flat neg, double zeroCount,
            double threshold, double larger) {
        if (larger == threshold) {
            return new double[] {zeroCount, larger};
        }
        outer:
        while (true) {
            double count = zeroCount;
            for (int side = 0; side < 2; side++) {
                Flat f = side == 0 ? pos : neg;
                for (int i = 0; i < f.n; i++) {
                    double upper = exponentialUpperBound(f.idx[i], schema);
                    if (upper <= threshold) {
                        continue;
                    }
                    double lower = exponentialUpperBound(f.idx[i] - 1, schema);
                    if (lower >= larger) {
                        break;
                    }
                    count += f.cnt[i];
                    if (upper > larger) {
                        if (f.cnt[i] != 0) {
                            larger = upper;
                            if (side == 1) {
                                continue outer;
                            }
                        }
                        break;
                    }
                }
            }
            return new double[] {count, larger};
        }
    }

    // ---------------------------------------------------------------------------------------
    // Counter resets

    /**
     * Whether {@code curr} follows a counter reset after {@code prev}: the hint says so, or the count
     * dropped, or the layout lost resolution or zero-bucket coverage that counters cannot lose, or any
     * bucket (compared at {@code curr}'s layout) went down.
     */
    public static boolean detectReset(FloatHistogram curr, FloatHistogram prev) {
        if (curr.counterResetHint() == CounterResetHint.RESET) {
            return true;
        }
        if (curr.counterResetHint() == CounterResetHint.NOT_RESET) {
            return false;
        }
        if (curr.count() < prev.count()) {
            return true;
        }
        boolean custom = usesCustomBuckets(curr);
        if (custom != usesCustomBuckets(prev)) {
            return true;
        }
        Flat cp = Flat.of(curr.positive());
        Flat pp = Flat.of(prev.positive());
        if (custom) {
            if (!curr.sameCustomBounds(customBoundsOf(prev), prev.customBoundCount())) {
                double[] common = intersect(curr, prev);
                cp.remapCustom(curr, common, common.length);
                pp.remapCustom(prev, common, common.length);
            }
            return bucketDecreased(cp, pp);
        }
        if (curr.schema() > prev.schema()) {
            return true;
        }
        if (curr.zeroThreshold() < prev.zeroThreshold()) {
            return true;
        }
        Flat pn = Flat.of(prev.negative());
        double[] z = zeroCountForLargerThreshold(prev.schema(), pp, pn, prev.zeroCount(), prev.zeroThreshold(),
                curr.zeroThreshold());
        if (z[1] != curr.zeroThreshold()) {
            return true;
        }
        if (curr.zeroCount() < z[0]) {
            return true;
        }
        Flat cn = Flat.of(curr.negative());
        double thr = curr.zeroThreshold();
        cp.trimBelow(thr, curr.schema());
        cn.trimBelow(thr, curr.schema());
        pp.trimBelow(thr, prev.schema());
        pn.trimBelow(thr, prev.schema());
        pp.reduce(prev.schema(), curr.schema());
        pn.reduce(prev.schema(), curr.schema());
        return bucketDecreased(cp, pp) || bucketDecreased(cn, pn);
    }

    private static boolean bucketDecreased(Flat curr, Flat prev) {
        int j = 0;
        for (int i = 0; i < prev.n; i++) {
            while (j < curr.n && curr.idx[j] < prev.idx[i]) {
                j++;
            }
            if (j < curr.n && curr.idx[j] == prev.idx[i]) {
                if (curr.cnt[j] < prev.cnt[i]) {
                    return true;
                }
            } else if (prev.cnt[i] != 0) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------
    // All buckets, in value order

    /**
     * Every bucket of a histogram from the lowest values to the highest: negative buckets (farthest
     * from zero first), the zero bucket when it holds observations, positive buckets. Buckets inside
     * the zero bucket are skipped. Bounds are real values (negative for negative buckets).
     */
    public static final class BucketList {
        public double[] lower = new double[16];
        public double[] upper = new double[16];
        public double[] count = new double[16];
        public int size;
        /** Index of the zero bucket in the list, or -1. */
        public int zeroBucket = -1;

        public BucketList fill(FloatHistogram h) {
            size = 0;
            zeroBucket = -1;
            boolean custom = usesCustomBuckets(h);
            Flat neg = Flat.of(h.negative());
            double thr = h.zeroThreshold();
            if (!custom) {
                for (int i = neg.n - 1; i >= 0; i--) {
                    double up = exponentialUpperBound(neg.idx[i], h.schema());
                    if (up <= thr) {
                        continue;
                    }
                    add(-up, -exponentialUpperBound(neg.idx[i] - 1, h.schema()), neg.cnt[i]);
                }
                if (h.zeroCount() > 0) {
                    zeroBucket = size;
                    add(-thr, thr, h.zeroCount());
                }
            }
            Flat pos = Flat.of(h.positive());
            for (int i = 0; i < pos.n; i++) {
                if (custom) {
                    add(lowerBound(h, pos.idx[i]), upperBound(h, pos.idx[i]), pos.cnt[i]);
                } else {
                    double up = exponentialUpperBound(pos.idx[i], h.schema());
                    if (up <= thr) {
                        continue;
                    }
                    add(exponentialUpperBound(pos.idx[i] - 1, h.schema()), up, pos.cnt[i]);
                }
            }
            return this;
        }

        private void add(double lo, double up, double c) {
            if (size == lower.length) {
                lower = Arrays.copyOf(lower, size * 2);
                upper = Arrays.copyOf(upper, size * 2);
                count = Arrays.copyOf(count, size * 2);
            }
            lower[size] = lo;
            upper[size] = up;
            count[size] = c;
            size++;
        }

        public double total() {
            double t = 0;
            for (int i = 0; i < size; i++) {
                t += count[i];
            }
            return t;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Statistics

    /** Sum of all bucket counts including the zero bucket; below {@code count()} when NaNs were observed. */
    public static double bucketTotal(FloatHistogram h) {
        return h.zeroCount() + Flat.of(h.positive()).total() + Flat.of(h.negative()).total();
    }

    /**
     * Whether NaN observations went into the count but into no bucket: the sum is NaN and the
     * buckets add up to less than the count. (±Inf observations also make the sum NaN but land in
     * buckets.)
     */
    public static boolean hasNaNObservations(FloatHistogram h) {
        return Double.isNaN(h.sum()) && bucketTotal(h) < h.count();
    }

    /**
     * The q-quantile of a native histogram, as Prometheus' histogram_quantile. Interpolation is
     * linear in custom buckets and the zero bucket, exponential (linear in log space) in exponential
     * buckets; the zero bucket is taken to start at 0 when there are only positive buckets (end at 0
     * with only negative ones); the open first and last custom buckets return their finite bound.
     * With NaN observations the rank is counted from below and may lie beyond all buckets: NaN.
     */
    public static double quantile(double q, FloatHistogram h) {
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (h.count() == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        BucketList all = new BucketList().fill(h);
        boolean forward = Double.isNaN(h.sum()) || q < 0.5;
        double rank = forward ? q * h.count() : (1 - q) * h.count();
        double count = 0;
        double lower = 0;
        double upper = 0;
        double bucketCount = 0;
        int b = -1;
        for (int k = 0; k < all.size; k++) {
            int i = forward ? k : all.size - 1 - k;
            if (all.count[i] == 0) {
                continue;
            }
            b = i;
            lower = all.lower[i];
            upper = all.upper[i];
            bucketCount = all.count[i];
            count += bucketCount;
            if (count >= rank) {
                break;
            }
        }
        boolean custom = usesCustomBuckets(h);
        if (b >= 0 && !custom && lower < 0 && upper > 0) {
            boolean hasNeg = h.negative().bucketCount() > 0;
            boolean hasPos = h.positive().bucketCount() > 0;
            if (!hasNeg && hasPos) {
                lower = 0;
            } else if (!hasPos && hasNeg) {
                upper = 0;
            }
        } else if (b >= 0 && custom) {
            if (lower == Double.NEGATIVE_INFINITY) {
                if (upper <= 0) {
                    return upper;
                }
                lower = 0;
            } else if (upper == Double.POSITIVE_INFINITY) {
                return lower;
            }
        }
        if (count > h.count()) {
            count = h.count();
        }
        if (count < rank) {
            return Double.isNaN(h.sum()) ? Double.NaN : upper;
        }
        if (forward) {
            rank -= count - bucketCount;
        } else {
            rank = count - rank;
        }
        double fraction = rank / bucketCount;
        if (custom || lower <= 0 && upper >= 0) {
            return lower + (upper - lower) * fraction;
        }
        double logLower = log2(Math.abs(lower));
        double logUpper = log2(Math.abs(upper));
        if (lower > 0) {
            return Math.pow(2, logLower + (logUpper - logLower) * fraction);
        }
        return -Math.pow(2, logUpper + (logLower - logUpper) * (1 - fraction));
    }

    /**
     * Fraction of observations between {@code lower} and {@code upper}, as Prometheus'
     * histogram_fraction: exponential interpolation in exponential buckets, linear in custom buckets
     * and the zero bucket; the open-ended custom buckets hold their whole population at infinity.
     * NaN observations count in the denominator only.
     */
    public static double fraction(double lower, double upper, FloatHistogram h) {
        if (h.count() == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
            return Double.NaN;
        }
        if (lower >= upper) {
            return 0;
        }
        boolean custom = usesCustomBuckets(h);
        BucketList all = new BucketList().fill(h);
        boolean hasNeg = h.negative().bucketCount() > 0;
        boolean hasPos = h.positive().bucketCount() > 0;
        double rank = 0;
        double lowerRank = 0;
        double upperRank = 0;
        boolean lowerSet = false;
        boolean upperSet = false;
        for (int i = 0; i < all.size; i++) {
            double bl = all.lower[i];
            double bu = all.upper[i];
            double c = all.count[i];
            boolean zero = !custom && bl <= 0 && bu >= 0;
            if (zero) {
                if (!hasNeg && hasPos) {
                    bl = 0;
                } else if (!hasPos && hasNeg) {
                    bu = 0;
                }
            }
            if (custom && bl == Double.NEGATIVE_INFINITY && bu > 0) {
                bl = 0;
            }
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
                lowerRank = interpolate(rank, c, bl, bu, lower, custom || zero);
                lowerSet = true;
            }
            if (!upperSet && bl < upper && bu > upper) {
                upperRank = interpolate(rank, c, bl, bu, upper, custom || zero);
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            rank += c;
        }
        // NaN observations sit in no bucket: a bound beyond all buckets reaches only what the
        // buckets hold, so the NaNs stay out of every fraction.
        double end = Double.isNaN(h.sum()) ? Math.min(all.total(), h.count()) : h.count();
        if (!lowerSet || lowerRank > end) {
            lowerRank = end;
        }
        if (!upperSet || upperRank > end) {
            upperRank = end;
        }
        return (upperRank - lowerRank) / h.count();
    }

    private static double interpolate(double rank, double c, double bl, double bu, double v, boolean linear) {
        if (bl == Double.NEGATIVE_INFINITY) {
            return rank + c;
        }
        if (bu == Double.POSITIVE_INFINITY) {
            return rank;
        }
        if (linear) {
            return rank + c * (v - bl) / (bu - bl);
        }
        double logLower = log2(Math.abs(bl));
        double logUpper = log2(Math.abs(bu));
        double logV = log2(Math.abs(v));
        double f = v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - (logV - logUpper) / (logLower - logUpper);
        return rank + c * f;
    }

    /** Go's math.Log2: exact for powers of two. */
    static double log2(double x) {
        if (x > 0 && !Double.isInfinite(x)) {
            int exp = Math.getExponent(x);
            if (exp >= Double.MIN_EXPONENT && x == Math.scalb(1.0, exp)) {
                return exp;
            }
        }
        return Math.log(x) * (1 / Math.log(2));
    }

    public static double average(FloatHistogram h) {
        return h.sum() / h.count();
    }

    /**
     * Estimated variance of the observations: every bucket's population sits at the bucket's
     * geometric mean (arithmetic mean for custom buckets, zero for the zero bucket), compared with
     * the histogram's own mean sum/count, Kahan-summed.
     */
    public static double variance(FloatHistogram h) {
        double mean = h.sum() / h.count();
        BucketList all = new BucketList().fill(h);
        boolean custom = usesCustomBuckets(h);
        double[] sc = new double[2];
        double v = 0;
        double c = 0;
        for (int i = 0; i < all.size; i++) {
            double cnt = all.count[i];
            if (cnt == 0) {
                continue;
            }
            double lo = all.lower[i];
            double up = all.upper[i];
            double val;
            if (custom) {
                val = (up + lo) / 2.0;
            } else if (lo <= 0 && up >= 0) {
                val = 0;
            } else {
                val = Math.sqrt(up * lo);
                if (up < 0) {
                    val = -val;
                }
            }
            double delta = val - mean;
            kahan(cnt * delta * delta, v, c, sc);
            v = sc[0];
            c = sc[1];
        }
        v += c;
        return v / h.count();
    }

    public static double stddev(FloatHistogram h) {
        return Math.sqrt(variance(h));
    }

    /**
     * Equality after compaction, as the promqltest runner compares: layout-insensitive, exact on
     * schema, zero threshold and custom bounds, NaN-equal on values. The hint is not compared.
     */
    public static boolean sameValue(FloatHistogram a, FloatHistogram b) {
        if (a.schema() != b.schema() || a.zeroThreshold() != b.zeroThreshold()) {
            return false;
        }
        if (!a.sameCustomBounds(customBoundsOf(b), b.customBoundCount())) {
            return false;
        }
        if (!sameDouble(a.count(), b.count()) || !sameDouble(a.sum(), b.sum())
                || !sameDouble(a.zeroCount(), b.zeroCount())) {
            return false;
        }
        return sameFlat(Flat.of(a.positive()), Flat.of(b.positive()))
                && sameFlat(Flat.of(a.negative()), Flat.of(b.negative()));
    }

    private static boolean sameDouble(double x, double y) {
        return x == y || Double.isNaN(x) && Double.isNaN(y);
    }

    private static boolean sameFlat(Flat a, Flat b) {
        int i = 0;
        int j = 0;
        while (true) {
            while (i < a.n && a.cnt[i] == 0) {
                i++;
            }
            while (j < b.n && b.cnt[j] == 0) {
                j++;
            }
            if (i == a.n || j == b.n) {
                return i == a.n && j == b.n;
            }
            if (a.idx[i] != b.idx[j] || !sameDouble(a.cnt[i], b.cnt[j])) {
                return false;
            }
            i++;
            j++;
        }
    }
}
