package io.mantis.otlp.loki;

/**
 * Label and structured-metadata names as Loki stores them for OTLP data.
 *
 * <p>Loki normalises attribute names the way the OpenTelemetry-to-Prometheus translation does:
 * every code point outside {@code [a-zA-Z0-9_]} becomes {@code _}; a name that then starts with
 * a digit is prefixed with {@code key_}; a name that starts with a single {@code _} (but not
 * {@code __}) is prefixed with {@code key}. So {@code service.name} becomes {@code service_name}
 * and {@code 0.label} becomes {@code key_0_label}.
 */
public final class LabelNames {

    private LabelNames() {
    }

    /** The Loki name for an OTLP attribute key; the empty string stays empty. */
    public static String sanitize(String key) {
        if (key.isEmpty()) {
            return key;
        }
        String cleaned = key;
        if (!isValidChars(key)) {
            StringBuilder sb = new StringBuilder(key.length());
            // One '_' per code point, not per UTF-16 unit, so a surrogate pair is one underscore
            // as it is for Loki, which works on runes.
            key.codePoints().forEach(cp -> sb.append(isNameChar(cp) ? (char) cp : '_'));
            cleaned = sb.toString();
        }
        char first = cleaned.charAt(0);
        if (first >= '0' && first <= '9') {
            return "key_" + cleaned;
        }
        if (first == '_' && !cleaned.startsWith("__")) {
            return "key" + cleaned;
        }
        return cleaned;
    }

    /** Whether {@code name} is a valid Prometheus/Loki label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static boolean isValid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        char first = name.charAt(0);
        if (first >= '0' && first <= '9') {
            return false;
        }
        return isValidChars(name);
    }

    private static boolean isValidChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
