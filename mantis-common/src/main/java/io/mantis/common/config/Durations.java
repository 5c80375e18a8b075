package io.mantis.common.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Durations in Go's {@code time.ParseDuration} syntax, which is what OpenTelemetry Collector
 * configurations use: {@code 200ms}, {@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code -2s},
 * {@code 0}. Units: ns, us (or µs), ms, s, m, h; and, as Prometheus writes retention periods,
 * d (24h), w (7d) and y (365d).
 *
 * <p>A bare number other than 0 is rejected rather than given a default unit: {@code timeout: 30}
 * meaning 30 seconds to one reader and 30 milliseconds to another is exactly the kind of silent
 * misconfiguration a config binder exists to prevent.
 */
public final class Durations {

    /** What the binder says it expected; also the start of every parse error. */
    static final String EXPECTED = "a duration like 30s";

    private static final Map<String, Long> UNIT_NANOS = Map.ofEntries(
            Map.entry("ns", 1L),
            Map.entry("us", 1_000L),
            Map.entry("\u00b5s", 1_000L), // micro sign
            Map.entry("\u03bcs", 1_000L), // Greek small letter mu; Go accepts both
            Map.entry("ms", 1_000_000L),
            Map.entry("s", 1_000_000_000L),
            Map.entry("m", 60_000_000_000L),
            Map.entry("h", 3_600_000_000_000L),
            Map.entry("d", 86_400_000_000_000L),
            Map.entry("w", 604_800_000_000_000L),
            Map.entry("y", 31_536_000_000_000_000L));

    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * Parses a Go-style duration.
     *
     * @throws IllegalArgumentException with a message starting "expected a duration like 30s"
     */
    public static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO; // the only unit-less duration Go accepts
        }
        if (s.isEmpty()) {
            throw invalid(text, null);
        }
        BigDecimal totalNanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && isNumberChar(s.charAt(i))) {
                i++;
            }
            String number = s.substring(numberStart, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text, null);
            }
            int unitStart = i;
            while (i < s.length() && !isNumberChar(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw invalid(text, "missing unit: use ns, us, ms, s, m, h, d, w or y");
            }
            Long nanosPerUnit = UNIT_NANOS.get(unit);
            if (nanosPerUnit == null) {
                throw invalid(text, "unknown unit '" + unit + "': use ns, us, ms, s, m, h, d, w or y");
            }
            totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit)));
        }
        // Like Go: fractions of a nanosecond are dropped, and the total must fit in 64-bit nanos
        // (about 292 years), which also keeps later arithmetic on the result safe.
        BigInteger nanos = totalNanos.toBigInteger();
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, "too large");
        }
        long n = nanos.longValueExact();
        return Duration.ofNanos(negative ? -n : n);
    }

    /** Formats like Go's {@code Duration.String()}: "1h2m3.5s", "1.5s", "200ms", "0s". */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        boolean negative = duration.isNegative();
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.TEN.pow(9))
                .add(BigInteger.valueOf(duration.getNano())).abs();
        StringBuilder sb = new StringBuilder(negative ? "-" : "");
        BigInteger second = BigInteger.TEN.pow(9);
        if (nanos.compareTo(second) < 0) {
            // Below a second Go picks the largest unit that keeps the number at least 1.
            long n = nanos.longValueExact();
            if (n < 1_000) {
                return sb.append(n).append("ns").toString();
            }
            String unit = n < 1_000_000 ? "us" : "ms";
            int scale = n < 1_000_000 ? 3 : 6;
            return sb.append(plain(new BigDecimal(nanos, scale))).append(unit).toString();
        }
        BigInteger[] hoursRest = nanos.divideAndRemainder(second.multiply(BigInteger.valueOf(3600)));
        BigInteger[] minutesRest = hoursRest[1].divideAndRemainder(second.multiply(BigInteger.valueOf(60)));
        if (hoursRest[0].signum() > 0) {
            sb.append(hoursRest[0]).append('h').append(minutesRest[0]).append('m');
        } else if (minutesRest[0].signum() > 0) {
            sb.append(minutesRest[0]).append('m');
        }
        return sb.append(plain(new BigDecimal(minutesRest[1], 9))).append('s').toString();
    }

    private static boolean isNumberChar(char c) {
        return c >= '0' && c <= '9' || c == '.';
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static IllegalArgumentException invalid(String text, String hint) {
        return new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'"
                + (hint == null ? "" : " (" + hint + ")"));
    }
}
