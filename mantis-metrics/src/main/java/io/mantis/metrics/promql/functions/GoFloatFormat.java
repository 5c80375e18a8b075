package io.mantis.metrics.promql.functions;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.HistogramMath;
import java.math.BigDecimal;

/**
 * Float-to-text as Go's strconv does it, for values that end up in label values and must match
 * Prometheus byte for byte. Java's {@link Double#toString(double)} (JDK 19+) already yields the
 * shortest digits that round-trip, as Go does; only the layout differs.
 */
public final class GoFloatFormat {

    private GoFloatFormat() {
    }

    /** {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent (count_values). */
    public static String formatF(double v) {
        String special = special(v);
        if (special != null) {
            return special;
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /**
     * {@code strconv.FormatFloat(v, 'g', -1, 64)}: shortest digits, exponent form when the decimal
     * exponent is below -4 or at least 6 ({@code 1e+06}, {@code 1.5e-05}).
     */
    public static String formatG(double v) {
        String special = special(v);
        if (special != null) {
            return special;
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        if (exp < -4 || exp >= 6) {
            StringBuilder sb = new StringBuilder();
            if (v < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            return sb.append(a).toString();
        }
        return d.toPlainString();
    }

    /**
     * Prometheus' labels.FormatOpenMetricsFloat: {@link #formatG} plus ".0" when the text has
     * neither a point nor an exponent (the quantile label of histogram_quantiles).
     */
    public static String formatOpenMetrics(double v) {
        String s = formatG(v);
        if (special(v) != null || s.indexOf('.') >= 0 || s.indexOf('e') >= 0) {
            return s;
        }
        return s + ".0";
    }

    /**
     * A native histogram as Prometheus prints it (count_values uses this as the label value):
     * {@code {count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (0.5,1]:1}} with only populated
     * buckets, negative ones from the most negative, numbers in {@link #formatG} form.
     */
    public static String formatHistogram(FloatHistogram h) {
        StringBuilder sb = new StringBuilder("{count:").append(goG(h.count())).append(", sum:").append(goG(h.sum()));
        int[] neg = h.negative().indexes(new int[0]);
        for (int i = Math.min(neg.length, h.negative().bucketCount()) - 1; i >= 0; i--) {
            double c = h.negative().count(i);
            if (c != 0) {
                sb.append(", [").append(goG(-HistogramMath.upperBound(h, neg[i]))).append(',')
                        .append(goG(-HistogramMath.lowerBound(h, neg[i]))).append("):").append(goG(c));
            }
        }
        if (h.zeroCount() != 0) {
            sb.append(", [").append(goG(-h.zeroThreshold())).append(',').append(goG(h.zeroThreshold()))
                    .append("]:").append(goG(h.zeroCount()));
        }
        int[] pos = h.positive().indexes(new int[0]);
        for (int i = 0; i < Math.min(pos.length, h.positive().bucketCount()); i++) {
            double c = h.positive().count(i);
            if (c != 0) {
                sb.append(", (").append(goG(HistogramMath.lowerBound(h, pos[i]))).append(',')
                        .append(goG(HistogramMath.upperBound(h, pos[i]))).append("]:").append(goG(c));
            }
        }
        return sb.append('}').toString();
    }

    /** Go's %g: formatG, except that zero has no sign issue and -0 prints as "-0". */
    private static String goG(double v) {
        return formatG(v);
    }

    private static String special(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        return null;
    }
}
