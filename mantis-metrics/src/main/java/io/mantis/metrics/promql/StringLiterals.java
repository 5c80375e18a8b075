package io.mantis.metrics.promql;

/**
 * PromQL string literals: double- and single-quoted strings with Go's escapes, and backquoted raw
 * strings. Shared by every parser of PromQL text (selectors here, the full grammar later).
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
        while (true) {
            if (i >= in.length()) {
                throw new ParseException(in, start, "unterminated quoted string");
            }
            char c = in.charAt(i);
            if (c == quote) {
                return new Scanned(sb.toString(), i + 1);
            }
            if (quote == '`') {
                sb.append(c);
                i++;
                continue;
            }
            if (c == '\n') {
                throw new ParseException(in, start, "unterminated quoted string");
            }
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 >= in.length()) {
                throw new ParseException(in, start, "unterminated quoted string");
            }
            char e = in.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case '\\' -> sb.append('\\');
                case '\'', '"' -> {
                    if (e != quote) {
                        throw new ParseException(in, i - 2, "unknown escape sequence " + quoteChar(e));
                    }
                    sb.append(e);
                }
                case 'x' -> {
                    i = hex(in, i, 2, sb, start);
                }
                case 'u' -> {
                    i = hex(in, i, 4, sb, start);
                }
                case 'U' -> {
                    i = hex(in, i, 8, sb, start);
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 1 >= in.length()) {
                        throw new ParseException(in, start, "unterminated quoted string");
                    }
                    int v = 0;
                    for (int k = i - 1; k < i + 2; k++) {
                        char d = in.charAt(k);
                        if (d < '0' || d > '7') {
                            throw new ParseException(in, k, "illegal character " + quoteChar(d) + " in escape sequence");
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        throw new ParseException(in, i - 2, "escape sequence is an invalid Unicode code point");
                    }
                    sb.append((char) v);
                    i += 2;
                }
                default -> throw new ParseException(in, i - 2, "unknown escape sequence " + quoteChar(e));
            }
        }
    }

    private static int hex(String in, int i, int digits, StringBuilder sb, int start) throws ParseException {
        if (i + digits > in.length()) {
            throw new ParseException(in, start, "unterminated quoted string");
        }
        int v = 0;
        for (int k = i; k < i + digits; k++) {
            int d = Character.digit(in.charAt(k), 16);
            if (d < 0) {
                throw new ParseException(in, k, "illegal character " + quoteChar(in.charAt(k)) + " in escape sequence");
            }
            v = v * 16 + d;
        }
        if (digits > 2 && (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))) {
            throw new ParseException(in, i - 2, "escape sequence is an invalid Unicode code point");
        }
        sb.appendCodePoint(v);
        return i + digits;
    }

    private static String quoteChar(char c) {
        return "U+" + String.format("%04X", (int) c) + " '" + c + "'";
    }

    /** Quotes {@code s} as a double-quoted PromQL string (the way Prometheus prints label values). */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
