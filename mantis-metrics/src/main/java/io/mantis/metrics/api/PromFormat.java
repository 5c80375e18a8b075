package io.mantis.metrics.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Numbers and times exactly as the Prometheus HTTP API writes and reads them: sample values as
 * Go's {@code FormatFloat(v, 'f', -1, 64)} (shortest round-trip digits, never an exponent), times
 * as seconds with up to millisecond decimals.
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
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** Unix milliseconds as API seconds ({@code 1600096945.479}, {@code 4}, {@code -1.5}). */
    public static String seconds(long millis) {
        long sec = Math.floorDiv(millis, 1000);
        int ms = (int) Math.floorMod(millis, 1000);
        if (ms == 0) {
            return Long.toString(sec);
        }
        if (sec < 0) {
            // e.g. -1500 ms: floorDiv gives -2 s + 500 ms; print as -1.5
            long absMillis = -millis;
            return "-" + seconds(absMillis);
        }
        String frac = String.format("%03d", ms);
        int end = 3;
        while (frac.charAt(end - 1) == '0') {
            end--;
        }
        return sec + "." + frac.substring(0, end);
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
