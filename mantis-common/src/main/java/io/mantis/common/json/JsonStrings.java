package io.mantis.common.json;

/** Writing JSON string literals by hand, for the small fixed-shape documents Mantis answers with. */
public final class JsonStrings {
    private JsonStrings() {
    }

    /** Appends {@code s} as a quoted JSON string, escaping what RFC 8259 requires. */
    public static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** {@code s} as a quoted JSON string. */
    public static String quote(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
