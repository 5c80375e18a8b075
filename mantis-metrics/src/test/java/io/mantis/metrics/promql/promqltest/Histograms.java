package io.mantis.metrics.promql.promqltest;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The few native-histogram operations the runner needs itself: adding and subtracting (for the
 * {@code {{a}}+{{b}}xN} notation), compacting (before comparing) and printing in the scripts'
 * notation (for failure messages). The engine has its own kernels; these are kept simple and
 * separate on purpose, so that a bug in one cannot hide the same bug in the other.
 */
final class Histograms {

    private Histograms() {
    }

    /** One side's buckets as absolute indexes and counts, in index order. */
    record Side(int[] indexes, double[] counts) {

        static Side of(FloatHistogram.Buckets b) {
            int n = Math.min(b.bucketCount(), b.spanBucketTotal());
            int[] idx = Arrays.copyOf(b.indexes(new int[n]), n);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = b.count(i);
            }
            return new Side(idx, c);
        }

        /** Writes these buckets into {@code b}: one span per run of consecutive indexes. */
        void into(FloatHistogram.Buckets b) {
            b.clear();
            int prevEnd = 0;
            int i = 0;
            while (i < indexes.length) {
                int j = i + 1;
                while (j < indexes.length && indexes[j] == indexes[j - 1] + 1) {
                    j++;
                }
                b.addSpan(i == 0 ? indexes[0] : indexes[i] - prevEnd, j - i);
                prevEnd = indexes[j - 1] + 1;
                i = j;
            }
            for (double c : counts) {
                b.addCount(c);
            }
        }

        static Side of(Map<Integer, Double> byIndex) {
            int[] idx = new int[byIndex.size()];
            double[] c = new double[byIndex.size()];
            int k = 0;
            for (Map.Entry<Integer, Double> e : byIndex.entrySet()) {
                idx[k] = e.getKey();
                c[k++] = e.getValue();
            }
            return new Side(idx, c);
        }
    }

    /**
     * {@code a + b} (or {@code a - b}) as Prometheus adds histograms: bucket by bucket after
     * bringing both to the lower of the two schemas, with the counter-reset hints combined as it
     * does (subtraction keeps {@code a}'s).
     */
    static FloatHistogram combine(FloatHistogram a, FloatHistogram b, boolean subtract) {
        boolean customA = a.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA;
        boolean customB = b.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA;
        if (customA != customB) {
            throw new IllegalArgumentException(
                    "cannot apply this operation on histograms with a mix of exponential and custom bucket schemas");
        }
        if (customA && !sameBounds(a, b)) {
            throw new IllegalArgumentException(
                    "cannot apply this operation on custom buckets histograms with different custom bounds");
        }
        if (!customA && Double.compare(a.zeroThreshold(), b.zeroThreshold()) != 0) {
            // Prometheus widens the narrower zero bucket; the scripts never need it.
            throw new IllegalArgumentException("the runner does not combine histograms with different zero thresholds");
        }
        FloatHistogram r = a.copy();
        double sign = subtract ? -1 : 1;
        if (!subtract) {
            r.counterResetHint(addHints(a.counterResetHint(), b.counterResetHint()));
        }
        r.count(a.count() + sign * b.count());
        r.sum(a.sum() + sign * b.sum());
        if (!customA) {
            r.zeroCount(a.zeroCount() + sign * b.zeroCount());
        }
        int schema = Math.min(a.schema(), b.schema());
        r.schema(customA ? a.schema() : schema);
        combineSide(a.positive(), a.schema(), b.positive(), b.schema(), schema, sign, customA).into(r.positive());
        combineSide(a.negative(), a.schema(), b.negative(), b.schema(), schema, sign, customA).into(r.negative());
        return r;
    }

    private static Side combineSide(FloatHistogram.Buckets a, int schemaA, FloatHistogram.Buckets b, int schemaB,
                                    int target, double sign, boolean custom) {
        TreeMap<Integer, Double> sum = new TreeMap<>();
        Side sa = Side.of(a);
        for (int i = 0; i < sa.indexes.length; i++) {
            sum.merge(custom ? sa.indexes[i] : targetIndex(sa.indexes[i], schemaA, target), sa.counts[i], Double::sum);
        }
        Side sb = Side.of(b);
        for (int i = 0; i < sb.indexes.length; i++) {
            sum.merge(custom ? sb.indexes[i] : targetIndex(sb.indexes[i], schemaB, target), sign * sb.counts[i],
                    Double::sum);
        }
        return Side.of(sum);
    }

    /** The bucket of a lower-resolution schema that contains bucket {@code idx} of {@code origin}. */
    static int targetIndex(int idx, int origin, int target) {
        return ((idx - 1) >> (origin - target)) + 1;
    }

    private static CounterResetHint addHints(CounterResetHint a, CounterResetHint b) {
        if (a == b || a == CounterResetHint.GAUGE) {
            return a;
        }
        if (b == CounterResetHint.GAUGE) {
            return CounterResetHint.GAUGE;
        }
        // unknown with anything, or a reset meeting a not-reset: nothing is known any more
        return CounterResetHint.UNKNOWN;
    }

    static boolean sameBounds(FloatHistogram a, FloatHistogram b) {
        if (a.customBoundCount() != b.customBoundCount()) {
            return false;
        }
        for (int i = 0; i < a.customBoundCount(); i++) {
            if (a.customBound(i) != b.customBound(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A copy without empty buckets, spans merged where at most {@code maxEmpty} empty buckets
     * separate them (those are then kept as zeros), as Prometheus' {@code Compact}.
     */
    static FloatHistogram compact(FloatHistogram h, int maxEmpty) {
        FloatHistogram r = h.copy();
        compactSide(h.positive(), maxEmpty).into(r.positive());
        compactSide(h.negative(), maxEmpty).into(r.negative());
        return r;
    }

    private static Side compactSide(FloatHistogram.Buckets b, int maxEmpty) {
        Side s = Side.of(b);
        TreeMap<Integer, Double> kept = new TreeMap<>();
        Integer last = null;
        for (int i = 0; i < s.indexes.length; i++) {
            if (s.counts[i] == 0) {
                continue;
            }
            int idx = s.indexes[i];
            if (last != null && idx - last - 1 > 0 && idx - last - 1 <= maxEmpty) {
                for (int gap = last + 1; gap < idx; gap++) {
                    kept.put(gap, 0.0);
                }
            }
            kept.merge(idx, s.counts[i], Double::sum);
            last = idx;
        }
        return Side.of(kept);
    }

    /** The scripts' notation, compacted, with the default (0/empty) fields left out. */
    static String testExpression(FloatHistogram h) {
        FloatHistogram c = compact(h, 0);
        StringBuilder sb = new StringBuilder("{{");
        if (c.schema() != 0) {
            sb.append("schema:").append(c.schema()).append(' ');
        }
        if (c.count() != 0) {
            sb.append("count:").append(number(c.count())).append(' ');
        }
        if (c.sum() != 0) {
            sb.append("sum:").append(number(c.sum())).append(' ');
        }
        if (c.zeroCount() != 0) {
            sb.append("z_bucket:").append(number(c.zeroCount())).append(' ');
        }
        if (c.zeroThreshold() != 0) {
            sb.append("z_bucket_w:").append(number(c.zeroThreshold())).append(' ');
        }
        if (c.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA) {
            sb.append("custom_values:[");
            for (int i = 0; i < c.customBoundCount(); i++) {
                sb.append(i == 0 ? "" : " ").append(number(c.customBound(i)));
            }
            sb.append("] ");
        }
        if (c.counterResetHint() != CounterResetHint.UNKNOWN) {
            sb.append("counter_reset_hint:").append(c.counterResetHint().name().toLowerCase(Locale.ROOT)).append(' ');
        }
        side(sb, Side.of(c.positive()), "buckets", "offset");
        side(sb, Side.of(c.negative()), "n_buckets", "n_offset");
        if (sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
        return sb.append("}}").toString();
    }

    /** Buckets as {@code buckets:[...]} when they form one run, else as index:count pairs. */
    private static void side(StringBuilder sb, Side s, String key, String offsetKey) {
        if (s.indexes.length == 0) {
            return;
        }
        boolean oneRun = s.indexes[s.indexes.length - 1] - s.indexes[0] == s.indexes.length - 1;
        if (oneRun) {
            if (s.indexes[0] != 0) {
                sb.append(offsetKey).append(':').append(s.indexes[0]).append(' ');
            }
            sb.append(key).append(":[");
            for (int i = 0; i < s.counts.length; i++) {
                sb.append(i == 0 ? "" : " ").append(number(s.counts[i]));
            }
        } else {
            sb.append(key).append(":{");
            for (int i = 0; i < s.counts.length; i++) {
                sb.append(i == 0 ? "" : " ").append(s.indexes[i]).append(':').append(number(s.counts[i]));
            }
        }
        sb.append(s.indexes.length == 0 || oneRun ? "] " : "} ");
    }

    /** A float the way the scripts write it: {@code 3}, {@code 0.25}, {@code +Inf}, {@code NaN}. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
