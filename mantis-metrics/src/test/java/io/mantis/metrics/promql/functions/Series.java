package io.mantis.metrics.promql.functions;

import java.util.Arrays;

/**
 * A float series written in promqltest's load notation ({@code 0+10x5}, {@code 1x3}, {@code _},
 * {@code NaN}), expanded as the shared conformance FORMAT.md describes, and windows of it selected
 * with Prometheus 3's left-open ranges.
 */
final class Series {
    final long[] t;
    final double[] v;
    final int size;

    private Series(long[] t, double[] v, int size) {
        this.t = t;
        this.v = v;
        this.size = size;
    }

    static Series load(long intervalMs, String spec) {
        long[] t = new long[64];
        double[] v = new double[64];
        int n = 0;
        int slot = 0;
        for (String item : spec.trim().split("\\s+")) {
            if (item.startsWith("_")) {
                slot += item.equals("_") ? 1 : Integer.parseInt(item.substring(2));
                continue;
            }
            int x = item.indexOf('x');
            double start;
            double step = 0;
            int reps = 0;
            String head = x < 0 ? item : item.substring(0, x);
            if (x >= 0) {
                reps = Integer.parseInt(item.substring(x + 1));
            }
            int sign = Math.max(head.lastIndexOf('+'), head.lastIndexOf('-'));
            if (sign > 0 && x >= 0 && head.charAt(sign - 1) != 'e') {
                start = parse(head.substring(0, sign));
                step = parse(head.substring(sign));
            } else {
                start = parse(head);
            }
            double cur = start;
            for (int i = 0; i <= reps; i++) {
                if (n == t.length) {
                    t = Arrays.copyOf(t, n * 2);
                    v = Arrays.copyOf(v, n * 2);
                }
                t[n] = slot * intervalMs;
                v[n] = cur;
                n++;
                slot++;
                cur = cur + step;
            }
        }
        return new Series(t, v, n);
    }

    private static double parse(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** First index of the window (evalTime - range, evalTime]. */
    int from(long evalTime, long range) {
        return RangeFunctions.firstAfter(t, 0, size, evalTime - range);
    }

    /** End (exclusive) of the window ending at evalTime. */
    int to(long evalTime) {
        return RangeFunctions.firstAfter(t, 0, size, evalTime);
    }

    static long m(double minutes) {
        return Math.round(minutes * 60_000);
    }
}
