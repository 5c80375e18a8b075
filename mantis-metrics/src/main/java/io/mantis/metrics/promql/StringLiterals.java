package io.mantis.metrics.promql;

/**
 * PromQL string literals: double- and single-quoted strings with Go's escapes, and backquoted raw
 * strings. Shared by every parser of PromQL text. Errors name the opening quote, as Prometheus'
 * lexer does, with its messages.
 */
public final class StringLiterals {

    private StringLiterals() {
    }

    /** Result of scanning one literal: its value and the offset just after its closing quote. */
    public record Scanned(String value, int end) {
    }

    /** Scans the literal starting at {@code start} (which holds the opening quote). */
    public static Scanned scan(String in, int start) throws ParseException {
        char quote = in.charAt(start);
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        if (quote == '`') {
            int close = in.indexOf('`', i);
            if (close < 0) {
                throw new ParseException(in, start, in.length(), "unterminated raw string");
            }
            return new Scanned(in.substring(i, close), close + 1);
        }
        while (true) {
            if (i >= in.length() || in.charAt(i) == '\n') {
                throw new ParseException(in, start, in.length(), "unterminated quoted string");
            }
            char c = in.charAt(i);
            if (c == quote) {
                return new Scanned(sb.toString(), i + 1);
            }
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= in.length()) {
                throw new ParseException(in, start, in.length(), "escape sequence not terminated");
            }
            char e = in.charAt(i++);
            int digits;
            int base;
            int max;
            switch (e) {
                case 'a' -> {
                    sb.append('\u0007');
                    continue;
                }
                case 'b' -> {
                    sb.append('\b');
                    continue;
                }
                case 'f' -> {
                    sb.append('\f');
                    continue;
                }
                case 'n' -> {
                    sb.append('\n');
                    continue;
                }
                case 'r' -> {
                    sb.append('\r');
                    continue;
                }
                case 't' -> {
                    sb.append('\t');
                    continue;
                }
                case 'v' -> {
                    sb.append('\u000b');
                    continue;
                }
                case '\\' -> {
                    sb.append('\\');
                    continue;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    // The first octal digit is the escape letter itself.
                    i--;
                    digits = 3;
                    base = 8;
                    max = 255;
                }
                case 'x' -> {
                    digits = 2;
                    base = 16;
                    max = 255;
                }
                case 'u' -> {
                    digits = 4;
                    base = 16;
                    max = Character.MAX_CODE_POINT;
                }
                case 'U' -> {
                    digits = 8;
                    base = 16;
                    max = Character.MAX_CODE_POINT;
                }
                default -> {
                    if (e == quote) {
                        sb.append(e);
                        continue;
                    }
                    throw new ParseException(in, start, in.length(), "unknown escape sequence " + goRune(e));
                }
            }
            long v = 0;
            for (int k = 0; k < digits; k++, i++) {
                if (i >= in.length()) {
                    throw new ParseException(in, start, in.length(), "escape sequence not terminated");
                }
                int d = Character.digit(in.charAt(i), 16);
                if (d < 0 || d >= base) {
                    throw new ParseException(in, start, in.length(),
                            "illegal character " + goRune(in.charAt(i)) + " in escape sequence");
                }
                v = v * base + d;
            }
            if (v > max || (v >= 0xD800 && v < 0xE000)) {
                throw new ParseException(in, start, in.length(), "escape sequence is an invalid Unicode code point");
            }
            if (digits <= 3 && (e == 'x' || base == 8)) {
                // \x and octal escapes are bytes in Go; a byte sequence that is not UTF-8 cannot be a
                // Java string, so bytes above 0x7F are kept as the code point of the same number.
                sb.append((char) v);
            } else {
                sb.appendCodePoint((int) v);
            }
        }
    }

    /** A char as Go's {@code %#U} writes it: {@code U+0071 'q'}. */
    public static String goRune(char c) {
        return "U+" + String.format("%04X", (int) c) + " '" + c + "'";
    }

    /**
     * Quotes {@code s} as Go's {@code strconv.Quote} does (the way Prometheus prints strings and
     * label values).
     */
    public static String quote(String s) {
        return io.mantis.metrics.model.GoStrings.quote(s);
    }
}
