package io.mantis.metrics.promql.functions;

/**
 * PromQL's instant-vector math and date functions on single values, with Go's results where
 * Java's library differs (log2 of powers of two, pow with a base of ±1, the conversion of a
 * float to whole seconds).
 */
public final class MathFunctions {

    private static final double LN2_INV = 1 / Math.log(2);

    private MathFunctions() {
    }

    public static double abs(double v) {
        return Math.abs(v);
    }

    public static double ceil(double v) {
        return Math.ceil(v);
    }

    public static double floor(double v) {
        return Math.floor(v);
    }

    /** round(v, toNearest): ties go up; the reciprocal is used because it rounds more kindly. */
    public static double round(double v, double toNearest) {
        double inv = 1.0 / toNearest;
        return Math.floor(v * inv + 0.5) / inv;
    }

    public static double round(double v) {
        return Math.floor(v + 0.5);
    }

    public static double sqrt(double v) {
        return Math.sqrt(v);
    }

    public static double exp(double v) {
        return Math.exp(v);
    }

    public static double ln(double v) {
        return Math.log(v);
    }

    /** Go's math.Log2, exact for powers of two (including subnormals). */
    public static double log2(double v) {
        if (v > 0 && !Double.isInfinite(v)) {
            int e = Math.getExponent(v);
            if (e < Double.MIN_EXPONENT) {
                // Subnormal: normalize first.
                double scaled = v * 0x1p54;
                int se = Math.getExponent(scaled);
                if (scaled == Math.scalb(1.0, se)) {
                    return se - 54;
                }
                return Math.log(v) * LN2_INV;
            }
            if (v == Math.scalb(1.0, e)) {
                return e;
            }
            // Go splits into mantissa in [0.5, 1) and exponent to keep precision.
            double frac = v / Math.scalb(1.0, e + 1);
            return Math.log(frac) * LN2_INV + (e + 1);
        }
        return Math.log(v) * LN2_INV;
    }

    public static double log10(double v) {
        return Math.log10(v);
    }

    public static double sin(double v) {
        return Math.sin(v);
    }

    public static double cos(double v) {
        return Math.cos(v);
    }

    public static double tan(double v) {
        return Math.tan(v);
    }

    public static double asin(double v) {
        return Math.asin(v);
    }

    public static double acos(double v) {
        return Math.acos(v);
    }

    public static double atan(double v) {
        return Math.atan(v);
    }

    public static double sinh(double v) {
        return Math.sinh(v);
    }

    public static double cosh(double v) {
        return Math.cosh(v);
    }

    public static double tanh(double v) {
        return Math.tanh(v);
    }

    public static double asinh(double v) {
        if (Double.isInfinite(v) || Double.isNaN(v) || v == 0) {
            return v;
        }
        double a = Math.abs(v);
        double r = a > 0x1p28 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return v < 0 ? -r : r;
    }

    public static double acosh(double v) {
        if (v < 1 || Double.isNaN(v)) {
            return Double.NaN;
        }
        if (v == 1) {
            return 0;
        }
        if (v >= 0x1p28) {
            return Math.log(v) + Math.log(2);
        }
        if (v > 2) {
            return Math.log(2 * v - 1 / (v + Math.sqrt(v * v - 1)));
        }
        double t = v - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    public static double atanh(double v) {
        if (v < -1 || v > 1 || Double.isNaN(v)) {
            return Double.NaN;
        }
        if (v == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (v == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        return 0.5 * Math.log1p(2 * v / (1 - v));
    }

    public static double deg(double v) {
        return v * 180 / Math.PI;
    }

    public static double rad(double v) {
        return v * Math.PI / 180;
    }

    public static double pi() {
        return Math.PI;
    }

    /** -1, +1, or the value itself for zeros and NaN. */
    public static double sgn(double v) {
        if (v < 0) {
            return -1;
        }
        if (v > 0) {
            return 1;
        }
        return v;
    }

    public static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    public static double clampMin(double v, double min) {
        return Math.max(min, v);
    }

    public static double clampMax(double v, double max) {
        return Math.min(max, v);
    }

    /** The binary {@code ^}: Go's math.Pow, which (unlike Java) answers 1 for 1^y and (-1)^±Inf. */
    public static double pow(double x, double y) {
        if (y == 0 || x == 1) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    /** The binary {@code %}: Go's math.Mod, which is Java's floating remainder. */
    public static double mod(double x, double y) {
        return x % y;
    }

    public static double atan2(double y, double x) {
        return Math.atan2(y, x);
    }

    // -----------------------------------------------------------------------------------------
    // Dates, in UTC, of a value in seconds since the epoch

    /**
     * Whole seconds as Go's int64(v) conversion yields them on amd64: truncation towards zero,
     * and the minimum int64 for NaN and out-of-range values.
     */
    public static long toUnixSeconds(double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) v;
    }

    public static double year(double v) {
        return civil(toUnixSeconds(v), 0);
    }

    public static double month(double v) {
        return civil(toUnixSeconds(v), 1);
    }

    public static double dayOfMonth(double v) {
        return civil(toUnixSeconds(v), 2);
    }

    public static double dayOfYear(double v) {
        long sec = toUnixSeconds(v);
        long y = civil(sec, 0);
        int m = (int) civil(sec, 1);
        long d = civil(sec, 2);
        return CUMULATIVE_DAYS[m - 1] + (m > 2 && isLeap(y) ? 1 : 0) + d;
    }

    /** 0 for Sunday to 6 for Saturday. */
    public static double dayOfWeek(double v) {
        long days = Math.floorDiv(toUnixSeconds(v), 86400L);
        return Math.floorMod(days + 4, 7L);
    }

    public static double daysInMonth(double v) {
        long sec = toUnixSeconds(v);
        long y = civil(sec, 0);
        int m = (int) civil(sec, 1);
        if (m == 2) {
            return isLeap(y) ? 29 : 28;
        }
        return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
    }

    public static double hour(double v) {
        return Math.floorMod(toUnixSeconds(v), 86400L) / 3600;
    }

    public static double minute(double v) {
        return Math.floorMod(toUnixSeconds(v), 3600L) / 60;
    }

    private static final int[] CUMULATIVE_DAYS = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private static boolean isLeap(long y) {
        return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    /** Proleptic Gregorian date of a Unix second: field 0 = year, 1 = month, 2 = day. */
    private static long civil(long sec, int field) {
        long z = Math.floorDiv(sec, 86400L) + 719468;
        long era = Math.floorDiv(z, 146097L);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return switch (field) {
            case 0 -> y;
            case 1 -> m;
            default -> d;
        };
    }
}
