package io.mantis.otlp.loki;

/**
 * The Prometheus-style label string that Loki's push protobuf uses for a stream's labels:
 * {@code {name="value", other="x"}}.
 *
 * <p>Writing follows what Loki itself produces: names in sorted order, {@code ", "} between
 * pairs, and each value quoted with Go's string quoting (backslash escapes for {@code "} and
 * {@code \}, short escapes such as {@code \n}, {@code \xNN} for other ASCII controls, and
 * {@code \\uNNNN} for characters Go does not consider printable). Reading accepts what Loki's
 * LogQL lexer accepts for a stream selector made only of {@code =} matchers: double-quoted,
 * single-quoted or back-quoted (raw) values, Go escapes, free whitespace and a trailing comma.
 */
public final class LabelStrings {

    private LabelStrings() {
    }

    public static String format(Labels labels) {
        int n = labels.size();
        if (n == 0) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder(16 * n + 2);
        sb.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(labels.name(i)).append('=');
            quote(labels.value(i), sb);
        }
        return sb.append('}').toString();
    }

    /** Appends {@code value} as a Go double-quoted string literal. */
    static void quote(String value, StringBuilder sb) {
        sb.append('"');
        int len = value.length();
        for (int i = 0; i < len; ) {
            int cp = value.codePointAt(i);
            int width = Character.charCount(cp);
            if (cp < 0x80) {
                appendAscii(cp, sb);
            } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                // An unpaired surrogate cannot be encoded as UTF-8; Go would see the replacement
                // character for it.
                sb.append("\\ufffd");
            } else if (isGoPrintable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp <= 0xFFFF) {
                sb.append("\\u").append(hex(cp, 4));
            } else {
                sb.append("\\U").append(hex(cp, 8));
            }
            i += width;
        }
        sb.append('"');
    }

    private static void appendAscii(int c, StringBuilder sb) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            default -> {
                if (c < 0x20 || c == 0x7F) {
                    sb.append("\\x").append(hex(c, 2));
                } else {
                    sb.append((char) c);
                }
            }
        }
    }

    private static String hex(int v, int digits) {
        String h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isGoPrintable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * Parses a label string. Names must be valid label names and may appear once; values may be
     * empty. Throws {@link LokiFormatException} naming the offset of the first problem.
     */
    public static Labels parse(String s) {
        return new Parser(s).parse();
    }

    private static final class Parser {

        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Labels parse() {
            skipSpace();
            expect('{');
            Labels.Builder b = Labels.builder();
            skipSpace();
            while (peek() != '}') {
                int nameStart = pos;
                String name = readName();
                skipSpace();
                expect('=');
                if (peek() == '=' || peek() == '~') {
                    throw error("only '=' matchers are allowed in a stream's labels");
                }
                skipSpace();
                String value = readQuoted();
                if (b.get(name) != null) {
                    pos = nameStart;
                    throw error("duplicate label name '" + name + "'");
                }
                b.put(name, value);
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after '}'");
            }
            return b.build();
        }

        private String readName() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                        || (pos > start && c >= '0' && c <= '9');
                if (!ok) {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                throw error("expected a label name");
            }
            return s.substring(start, pos);
        }

        private String readQuoted() {
            int q = peek();
            if (q != '"' && q != '\'' && q != '`') {
                throw error("expected a quoted label value");
            }
            pos++;
            if (q == '`') {
                int end = s.indexOf('`', pos);
                if (end < 0) {
                    throw error("unterminated raw string");
                }
                String raw = s.substring(pos, end);
                pos = end + 1;
                return raw;
            }
            StringBuilder sb = null;
            int start = pos;
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated quoted string");
                }
                char c = s.charAt(pos);
                if (c == q) {
                    String v = sb == null ? s.substring(start, pos) : sb.toString();
                    pos++;
                    return v;
                }
                if (c == '\n') {
                    throw error("newline in quoted string");
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder(s.length() - start);
                        sb.append(s, start, pos);
                    }
                    pos++;
                    readEscape(q, sb);
                } else {
                    if (sb != null) {
                        sb.append(c);
                    }
                    pos++;
                }
            }
        }

        private void readEscape(int quote, StringBuilder sb) {
            if (pos >= s.length()) {
                throw error("unterminated escape");
            }
            char c = s.charAt(pos++);
            switch (c) {
                case 'a' -> sb.append((char) 0x07);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append((char) 0x0B);
                case '\\' -> sb.append('\\');
                case 'x' -> sb.append((char) readHex(2));
                case 'u' -> appendCodePoint(readHex(4), sb);
                case 'U' -> appendCodePoint(readHex(8), sb);
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    pos--;
                    int v = 0;
                    for (int i = 0; i < 3; i++) {
                        char d = pos < s.length() ? s.charAt(pos) : 0;
                        if (d < '0' || d > '7') {
                            throw error("invalid octal escape");
                        }
                        v = v * 8 + (d - '0');
                        pos++;
                    }
                    if (v > 255) {
                        throw error("octal escape out of range");
                    }
                    sb.append((char) v);
                }
                default -> {
                    if (c == quote) {
                        sb.append(c);
                    } else {
                        pos--;
                        throw error("unknown escape sequence '\\" + c + "'");
                    }
                }
            }
        }

        private void appendCodePoint(int cp, StringBuilder sb) {
            if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw error("escape is not a valid Unicode code point");
            }
            sb.appendCodePoint(cp);
        }

        private int readHex(int digits) {
            if (pos + digits > s.length()) {
                throw error("truncated hex escape");
            }
            long v = 0;
            for (int i = 0; i < digits; i++) {
                int d = Character.digit(s.charAt(pos), 16);
                if (d < 0) {
                    throw error("invalid hex escape");
                }
                v = v * 16 + d;
                pos++;
            }
            if (v > Integer.MAX_VALUE) {
                throw error("escape is not a valid Unicode code point");
            }
            return (int) v;
        }

        private int peek() {
            return pos < s.length() ? s.charAt(pos) : -1;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                pos++;
            }
        }

        private LokiFormatException error(String what) {
            return new LokiFormatException(what + " at offset " + pos + " in label string " + abbreviate(s));
        }

        private static String abbreviate(String s) {
            return s.length() <= 200 ? s : s.substring(0, 200) + "...";
        }
    }
}
