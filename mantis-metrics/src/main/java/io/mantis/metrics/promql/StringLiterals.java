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
        Utf8Bytes sb = new Utf8Bytes();
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
                return new Scanned(sb.decode(), i + 1);
            }
            if (c != '\\') {
                int cp = in.codePointAt(i);
                sb.appendCodePoint(cp);
                i += Character.charCount(cp);
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
                // \x and octal escapes are bytes in Go, which may or may not make UTF-8 with
                // the bytes around them.
                sb.appendByte((int) v);
            } else {
                sb.appendCodePoint((int) v);
            }
        }
    }

    /** The lowest of the chars that stand for bytes that are not UTF-8 ({@link Utf8Bytes#decode}). */
    public static final char INVALID_BYTE_BASE = '\uDC00';

    /**
     * A literal's bytes as Go has them: characters as UTF-8, {@code \x} and octal escapes as
     * single bytes. Decoded to a Java string at the end, where a byte that is not part of a
     * valid UTF-8 sequence becomes the lone surrogate {@code U+DC00 + byte}: no valid string
     * holds one, so the name checks refuse it as invalid UTF-8 (as Prometheus does) and
     * {@link #quote} prints it back as {@code \xNN}.
     */
    private static final class Utf8Bytes {
        private byte[] b = new byte[16];
        private int n;

        void append(char c) {
            appendCodePoint(c);
        }

        void appendByte(int v) {
            if (n == b.length) {
                b = java.util.Arrays.copyOf(b, n * 2);
            }
            b[n++] = (byte) v;
        }

        void appendCodePoint(int cp) {
            if (cp < 0x80) {
                appendByte(cp);
            } else if (cp < 0x800) {
                appendByte(0xC0 | cp >> 6);
                appendByte(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                appendByte(0xE0 | cp >> 12);
                appendByte(0x80 | cp >> 6 & 0x3F);
                appendByte(0x80 | cp & 0x3F);
            } else {
                appendByte(0xF0 | cp >> 18);
                appendByte(0x80 | cp >> 12 & 0x3F);
                appendByte(0x80 | cp >> 6 & 0x3F);
                appendByte(0x80 | cp & 0x3F);
            }
        }

        String decode() {
            StringBuilder out = new StringBuilder(n);
            int i = 0;
            while (i < n) {
                int c = b[i] & 0xFF;
                int len;
                int cp;
                int min;
                if (c < 0x80) {
                    out.append((char) c);
                    i++;
                    continue;
                } else if (c >= 0xC2 && c <= 0xDF) {
                    len = 2;
                    cp = c & 0x1F;
                    min = 0x80;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    len = 3;
                    cp = c & 0x0F;
                    min = 0x800;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    len = 4;
                    cp = c & 0x07;
                    min = 0x10000;
                } else {
                    len = 0;
                    cp = -1;
                    min = 0;
                }
                boolean ok = len > 0 && i + len <= n;
                for (int k = 1; ok && k < len; k++) {
                    int cc = b[i + k] & 0xFF;
                    ok = (cc & 0xC0) == 0x80;
                    cp = cp << 6 | cc & 0x3F;
                }
                if (ok && cp >= min && cp <= Character.MAX_CODE_POINT && (cp < 0xD800 || cp > 0xDFFF)) {
                    out.appendCodePoint(cp);
                    i += len;
                } else {
                    out.append((char) (INVALID_BYTE_BASE + c));
                    i++;
                }
            }
            return out.toString();
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
