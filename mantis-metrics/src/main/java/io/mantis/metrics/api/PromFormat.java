package io.mantis.metrics.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Numbers and times exactly as the Prometheus HTTP API writes and reads them: sample values with
 * the shortest digits that round-trip, as Go's {@code FormatFloat(v, 'f', -1, 64)}, except that
 * magnitudes below 1e-6 or from 1e21 up use the exponent form ({@code 'e'}: {@code 1e-07},
 * {@code 1.5e+21}); times as seconds with either no decimals or exactly three.
 */
public final class PromFormat {

    private PromFormat() {
    }

    /** A sample value as the API's JSON string content. */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        double abs = Math.abs(v);
        if (abs < 1e-6 || abs >= 1e21) {
            return exponent(v);
        }
        if (v == Math.rint(v) && abs < 1e15) {
            return Long.toString((long) v);
        }
        String fast = plain(v);
        return fast != null ? fast : shortest(v).toPlainString();
    }

    /**
     * The plain form from {@link Double#toString}'s digits moved to their place, without
     * BigDecimal (answers with many values spend much of their encoding time here); null for the
     * two-significant-digit results, whose digits may need {@link #shortest}'s second look.
     */
    static String plain(double v) {
        String signed = Double.toString(v);
        if (signed.indexOf('E') < 0 && significantDigits(signed, 0) > 2) {
            // Between 1e-3 and 1e7 Java already writes the plain form with the shortest digits
            // (integers never come here), which is Go's: the common case, without rebuilding it.
            return signed;
        }
        String s = v < 0 ? signed.substring(1) : signed;
        int e = s.indexOf('E');
        int exp = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
        int end = e < 0 ? s.length() : e;
        int dot = s.indexOf('.');
        // Significant digits without the dot, and where the dot goes relative to them.
        StringBuilder digits = new StringBuilder(24);
        digits.append(s, 0, dot).append(s, dot + 1, end);
        int point = dot + exp;
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits.delete(0, lead);
        point -= lead;
        int len = digits.length();
        while (len > 1 && digits.charAt(len - 1) == '0') {
            len--;
        }
        digits.setLength(len);
        if (len == 2) {
            return null;
        }
        StringBuilder out = new StringBuilder(len + 8);
        if (v < 0) {
            out.append('-');
        }
        if (point <= 0) {
            out.append("0.");
            for (int i = point; i < 0; i++) {
                out.append('0');
            }
            out.append(digits);
        } else if (point >= len) {
            out.append(digits);
            for (int i = len; i < point; i++) {
                out.append('0');
            }
        } else {
            out.append(digits, 0, point).append('.').append(digits, point, len);
        }
        return out.toString();
    }

    /**
     * Appends {@link #value}'s text of {@code v} to {@code sb} when it is the common case: a
     * fraction between 1e-3 and 1e7 with more than two significant digits, which Java writes in
     * Go's form already ({@link StringBuilder#append(double)} does so without a string per
     * value). Returns false, leaving {@code sb} as it was, for every other value.
     */
    public static boolean appendPlain(double v, StringBuilder sb) {
        double abs = Math.abs(v);
        if (!(abs >= 1e-3 && abs < 1e7) || v == Math.rint(v)) {
            return false;
        }
        int start = sb.length();
        sb.append(v);
        if (significantDigits(sb, start) > 2) {
            return true;
        }
        sb.setLength(start);
        return false;
    }

    /** Digits of a plain decimal ({@code -0.0012}, {@code 12.5}) from {@code start} on, without leading zeros. */
    private static int significantDigits(CharSequence s, int start) {
        int i = s.charAt(start) == '-' ? start + 1 : start;
        int n = s.length() - i - 1;
        if (s.charAt(i) == '0') {
            n--;
            for (int j = i + 2; j < s.length() && s.charAt(j) == '0'; j++) {
                n--;
            }
        }
        return n;
    }


    /**
     * The shortest decimal that reads back as {@code v}. {@link Double#toString} is shortest
     * except that it never prints fewer than two digits, picking the closest two-digit decimal
     * where one digit would do (4.9E-324 for 5e-324); Go prints the one digit.
     */
    private static BigDecimal shortest(double v) {
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (d.precision() == 2) {
            BigDecimal one = d.round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
            if (Double.parseDouble(one.toString()) == v) {
                return one.stripTrailingZeros();
            }
        }
        return d;
    }

    /** Go's {@code 'e'} format with shortest digits: mantissa, {@code e}, sign, at least two exponent digits. */
    private static String exponent(double v) {
        BigDecimal d = shortest(v);
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }

    /**
     * Unix milliseconds as API seconds: {@code 1600096945.479}, {@code 4}, {@code 1.500},
     * {@code -1.500}. The fraction keeps all three digits, trailing zeros included, as
     * Prometheus prints timestamps (a clean second has none).
     */
    public static String seconds(long millis) {
        if (millis < 0) {
            // Prometheus prints the sign, then the magnitude (-1500 ms is -1.500, not -2 + .500).
            return millis == Long.MIN_VALUE ? "-9223372036854775.808" : "-" + seconds(-millis);
        }
        long sec = millis / 1000;
        int ms = (int) (millis % 1000);
        if (ms == 0) {
            return Long.toString(sec);
        }
        char[] frac = {'.', (char) ('0' + ms / 100), (char) ('0' + ms / 10 % 10), (char) ('0' + ms % 10)};
        return sec + new String(frac);
    }

    /**
     * A time as Go writes {@code time.Time} in JSON (RFC 3339 with nanoseconds, trailing zeros of
     * the fraction dropped, none for a whole second), in UTC. {@link Instant#toString} pads the
     * fraction to 3, 6 or 9 digits instead.
     */
    public static String rfc3339(Instant t) {
        String whole = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        int nanos = t.getNano();
        if (nanos == 0) {
            return whole;
        }
        StringBuilder frac = new StringBuilder(String.format(Locale.ROOT, "%09d", nanos));
        while (frac.charAt(frac.length() - 1) == '0') {
            frac.setLength(frac.length() - 1);
        }
        return whole.substring(0, whole.length() - 1) + "." + frac + "Z";
    }

    /**
     * Parses an API time parameter: float seconds or RFC 3339 (with fractional seconds). Returns
     * Unix milliseconds; throws with Prometheus' message naming the text.
     */
    public static long parseTime(String s) {
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d)) {
                double ms = Math.rint(d * 1000.0);
                if (ms >= Long.MAX_VALUE) {
                    return Long.MAX_VALUE;
                }
                if (ms <= Long.MIN_VALUE) {
                    return Long.MIN_VALUE;
                }
                return (long) ms;
            }
        } catch (NumberFormatException ignored) {
            // not a number: try RFC 3339 below
        }
        try {
            Instant i = OffsetDateTime.parse(s).toInstant();
            return i.toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            // Prometheus' own min/max sentinels as printed by its API
            if (s.equals("-292273086-05-16T16:47:06Z")) {
                return Long.MIN_VALUE / 2;
            }
            if (s.equals("292277025-08-18T07:12:54.999999999Z")) {
                return Long.MAX_VALUE / 2;
            }
            throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid timestamp");
        }
    }
}
