package io.mantis.metrics.model;

/**
 * Strings as Go's {@code strconv.Quote} writes them, which is how Prometheus prints label values,
 * matchers and PromQL string literals: one implementation for the matcher's text and the PromQL
 * printer.
 */
public final class GoStrings {

    private GoStrings() {
    }

    /**
     * Quotes {@code s} as Go's {@code strconv.Quote} does (the way Prometheus prints strings and
     * label values): {@code \a \b \f \n \r \t \v \\ \"}, {@code \x} for other control characters,
     * backslash-u and backslash-U escapes for code points that are not printable.
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(s, sb);
        return sb.toString();
    }

    /** Appends {@code s} quoted to {@code sb}. */
    public static void appendQuoted(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0B -> sb.append("\\v");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                default -> {
                    if (cp < 0x20 || cp == 0x7F || cp >= 0xDC80 && cp <= 0xDCFF) {
                        // The last range: bytes of a PromQL literal that are not UTF-8, kept as
                        // lone surrogates; Go prints such a byte as \xNN too.
                        sb.append(String.format("\\x%02x", cp & 0xFF));
                    } else if (cp < 0x7F || isPrintable(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp < 0x10000) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean isPrintable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                    Character.UNASSIGNED -> false;
            default -> true;
        };
    }
}
