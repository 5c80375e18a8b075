package io.mantis.metrics.promql.functions;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Native histograms written as in promqltest's {@code {{...}}} notation (FORMAT.md §3.3). */
final class Hist {

    private Hist() {
    }

    static FloatHistogram of(String spec) {
        FloatHistogram h = new FloatHistogram();
        double[] buckets = new double[0];
        double[] nBuckets = new double[0];
        int offset = 0;
        int nOffset = 0;
        String s = spec.trim();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= s.length()) {
                break;
            }
            int colon = s.indexOf(':', i);
            String key = s.substring(i, colon);
            int end;
            String value;
            if (s.charAt(colon + 1) == '[') {
                end = s.indexOf(']', colon) + 1;
                value = s.substring(colon + 2, end - 1);
            } else {
                end = s.indexOf(' ', colon);
                if (end < 0) {
                    end = s.length();
                }
                value = s.substring(colon + 1, end);
            }
            i = end;
            switch (key) {
                case "schema" -> h.schema(Integer.parseInt(value));
                case "sum" -> h.sum(num(value));
                case "count" -> h.count(num(value));
                case "z_bucket" -> h.zeroCount(num(value));
                case "z_bucket_w" -> h.zeroThreshold(num(value));
                case "buckets" -> buckets = list(value);
                case "n_buckets" -> nBuckets = list(value);
                case "offset" -> offset = Integer.parseInt(value);
                case "n_offset" -> nOffset = Integer.parseInt(value);
                case "custom_values" -> h.setCustomBounds(list(value));
                case "counter_reset_hint" -> h.counterResetHint(CounterResetHint.valueOf(value.toUpperCase(Locale.ROOT)));
                default -> throw new IllegalArgumentException(key);
            }
        }
        if (buckets.length > 0) {
            h.positive().addSpan(offset, buckets.length).setCounts(buckets, buckets.length);
        }
        if (nBuckets.length > 0) {
            h.negative().addSpan(nOffset, nBuckets.length).setCounts(nBuckets, nBuckets.length);
        }
        return h;
    }

    private static double[] list(String v) {
        List<Double> out = new ArrayList<>();
        for (String p : v.trim().split("\\s+")) {
            if (!p.isEmpty()) {
                out.add(num(p));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double num(String v) {
        return switch (v) {
            case "NaN" -> Double.NaN;
            case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    /** The promqltest comparison: compacted layouts, relative epsilon 1e-6 on values. */
    static boolean approx(FloatHistogram a, FloatHistogram b) {
        FloatHistogram x = io.mantis.metrics.model.HistogramMath.compact(a.copy());
        FloatHistogram y = io.mantis.metrics.model.HistogramMath.compact(b.copy());
        if (x.schema() != y.schema() || x.zeroThreshold() != y.zeroThreshold()
                || x.customBoundCount() != y.customBoundCount()) {
            return false;
        }
        for (int i = 0; i < x.customBoundCount(); i++) {
            if (x.customBound(i) != y.customBound(i)) {
                return false;
            }
        }
        if (!near(x.count(), y.count()) || !near(x.sum(), y.sum()) || !near(x.zeroCount(), y.zeroCount())) {
            return false;
        }
        return sameSide(x.positive(), y.positive()) && sameSide(x.negative(), y.negative());
    }

    private static boolean sameSide(FloatHistogram.Buckets a, FloatHistogram.Buckets b) {
        int[] ia = a.indexes(new int[0]);
        int[] ib = b.indexes(new int[0]);
        if (ia.length != ib.length) {
            return false;
        }
        for (int i = 0; i < ia.length; i++) {
            if (ia[i] != ib[i] || !near(a.count(i), b.count(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean near(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b) || a == b) {
            return true;
        }
        if (a == 0 || b == 0) {
            return false;
        }
        return Math.abs(a - b) / Math.min(Math.abs(a) + Math.abs(b), Double.MAX_VALUE) < 1e-6;
    }
}
