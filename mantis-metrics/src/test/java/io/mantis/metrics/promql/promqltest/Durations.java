package io.mantis.metrics.promql.promqltest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus durations as the scripts write times and intervals: {@code 0}, {@code 1m30s}, {@code 10s53ms}. */
final class Durations {

    // Each unit at most once, largest first, as Prometheus' model.ParseDuration insists.
    private static final Pattern DURATION = Pattern.compile(
            "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] UNIT_MILLIS = {
        365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1
    };

    private Durations() {
    }

    /** Milliseconds of an unsigned duration. */
    static long parse(String s) {
        if (s.equals("0")) {
            return 0;
        }
        Matcher m = DURATION.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
        }
        long total = 0;
        for (int g = 1; g <= 7; g++) {
            if (m.group(g) != null) {
                try {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(g)), UNIT_MILLIS[g - 1]));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("duration out of range: \"" + s + "\"");
                }
            }
        }
        return total;
    }

    /** Milliseconds of a duration that may carry a sign ({@code -1m}, {@code +30s}). */
    static long parseSigned(String s) {
        if (s.startsWith("-")) {
            return -parse(s.substring(1));
        }
        return parse(s.startsWith("+") ? s.substring(1) : s);
    }
}
