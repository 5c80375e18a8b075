package io.mantis.metrics.promql.parser;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Number and duration literals, read as Prometheus reads them (Go's strconv and Prometheus' model). */
final class Literals {

    private static final Pattern DURATION = Pattern.compile(
            "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$");
    private static final long[] UNIT_MS = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000,
            1000, 1};

    private Literals() {
    }

    /** Thrown with the text Prometheus puts after "error parsing number: " or as a duration error. */
    static final class BadLiteral extends Exception {
        BadLiteral(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A number token's value: as an integer with Go's base prefixes ({@code 0x1F}, {@code 0755})
     * when it is one, else as a float ({@code 1e3}, {@code .5}, {@code 1_000.5}, {@code Inf}, {@code NaN}).
     */
    static double number(String s) throws BadLiteral {
        Long i = parseIntBase0(s);
        if (i != null) {
            return i;
        }
        return parseFloat(s);
    }

    /** Go's {@code strconv.ParseInt(s, 0, 64)}; null where it fails. */
    private static Long parseIntBase0(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int base = 10;
        String digits = s;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'x') {
                base = 16;
                digits = s.substring(2);
            } else if (p == 'o') {
                base = 8;
                digits = s.substring(2);
            } else if (p == 'b') {
                base = 2;
                digits = s.substring(2);
            } else {
                base = 8;
                digits = s.substring(1);
            }
        }
        if (!underscoresOk(s)) {
            return null;
        }
        digits = digits.replace("_", "");
        if (digits.isEmpty()) {
            return null;
        }
        for (int k = 0; k < digits.length(); k++) {
            if (Character.digit(digits.charAt(k), base) < 0) {
                return null;
            }
        }
        BigInteger v = new BigInteger(digits, base);
        return v.bitLength() < 64 ? v.longValue() : null;
    }

    /** Go's rule: an underscore only between digits, or between a base prefix and a digit. */
    private static boolean underscoresOk(String s) {
        if (s.indexOf('_') < 0) {
            return true;
        }
        char saw = '^';
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0' && "xXbBoO".indexOf(s.charAt(1)) >= 0) {
            hex = Character.toLowerCase(s.charAt(1)) == 'x';
            i = 2;
            saw = '0';
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean digit = (c >= '0' && c <= '9') || (hex && Character.digit(c, 16) >= 0);
            if (digit) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }

    /** Go's {@code strconv.ParseFloat(s, 64)} for what Prometheus' lexer lets through. */
    private static double parseFloat(String s) throws BadLiteral {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {
            }
        }
        String syntax = "strconv.ParseFloat: parsing " + Token.goQuote(s) + ": invalid syntax";
        if (!s.matches("[0-9_]*(\\.[0-9_]*)?([eE][+-]?[0-9_]+)?") || !s.matches(".*[0-9].*") || !underscoresOk(s)) {
            throw new BadLiteral(syntax);
        }
        String plain = s.replace("_", "");
        if (plain.startsWith(".") && plain.length() > 1 && !Character.isDigit(plain.charAt(1))) {
            throw new BadLiteral(syntax);
        }
        double v;
        try {
            v = Double.parseDouble(plain);
        } catch (NumberFormatException e) {
            throw new BadLiteral(syntax);
        }
        if (Double.isInfinite(v)) {
            throw new BadLiteral("strconv.ParseFloat: parsing " + Token.goQuote(s) + ": value out of range");
        }
        return v;
    }

    /** Prometheus' {@code model.ParseDuration}: units y, w, d, h, m, s, ms, each at most once and in that order. */
    static long durationMillis(String s) throws BadLiteral {
        if (s.equals("0")) {
            return 0;
        }
        Matcher m = DURATION.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new BadLiteral("not a valid duration string: " + Token.goQuote(s));
        }
        long total = 0;
        for (int g = 1; g <= 7; g++) {
            String n = m.group(g);
            if (n == null) {
                continue;
            }
            try {
                total = Math.addExact(total, Math.multiplyExact(Long.parseLong(n), UNIT_MS[g - 1]));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new BadLiteral("duration out of range");
            }
        }
        // Prometheus keeps durations as nanoseconds in an int64.
        if (total > Long.MAX_VALUE / 1_000_000) {
            throw new BadLiteral("duration out of range");
        }
        return total;
    }
}
