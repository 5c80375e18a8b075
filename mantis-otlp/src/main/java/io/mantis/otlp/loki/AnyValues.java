package io.mantis.otlp.loki;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders OTLP {@link AnyValue}s as the strings Loki stores for them.
 *
 * <p>Loki stringifies log bodies and attribute values with the OpenTelemetry Collector's
 * {@code Value.AsString}: a string as is; an int in decimal; a bool as {@code true}/{@code false};
 * a double in the shortest form that reads back exactly, plain unless its magnitude is below
 * 1e-6 or at least 1e21 (then {@code 1e-7}, {@code 1.5e+21}); bytes as standard base64; an empty
 * value as the empty string; and arrays and maps as JSON. The JSON is Go's {@code encoding/json}
 * output: no spaces, map keys sorted (a key repeated in a kvlist keeps its last value), bytes as
 * base64 strings, empty values as {@code null}, and {@code <}, {@code >}, {@code &}, U+2028 and
 * U+2029 escaped as {@code \\u003c} etc. Matching it keeps lines and metadata byte-identical with
 * what Loki would store for the same OTLP input.
 *
 * <p>One deliberate difference: Go cannot render NaN or infinities (AsString returns an error
 * text at the top level and an empty string inside JSON); here they render as {@code NaN},
 * {@code +Inf} and {@code -Inf}, inside JSON as strings, so no value is lost.
 */
public final class AnyValues {

    private AnyValues() {
    }

    /** The string Loki stores for {@code value}. */
    public static String asString(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue() ? "true" : "false";
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> formatDouble(value.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> {
                StringBuilder sb = new StringBuilder(64);
                writeJson(value, sb);
                yield sb.toString();
            }
            default -> "";
        };
    }

    /** Appends {@code value} as Go's encoding/json would write its raw form. */
    public static void writeJson(AnyValue value, StringBuilder sb) {
        switch (value.getValueCase()) {
            case STRING_VALUE -> writeJsonString(value.getStringValue(), sb);
            case BOOL_VALUE -> sb.append(value.getBoolValue());
            case INT_VALUE -> sb.append(value.getIntValue());
            case DOUBLE_VALUE -> {
                double d = value.getDoubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    writeJsonString(formatDouble(d), sb);
                } else {
                    sb.append(formatDouble(d));
                }
            }
            case BYTES_VALUE -> writeJsonString(
                    Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()), sb);
            case ARRAY_VALUE -> {
                sb.append('[');
                List<AnyValue> values = value.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    writeJson(values.get(i), sb);
                }
                sb.append(']');
            }
            case KVLIST_VALUE -> writeJsonObject(value.getKvlistValue(), sb);
            default -> sb.append("null");
        }
    }

    private static void writeJsonObject(KeyValueList list, StringBuilder sb) {
        // A Go map has one value per key (the last one assigned) and encoding/json writes keys in
        // byte order, which for UTF-8 is code point order.
        Map<String, AnyValue> byKey = new HashMap<>(list.getValuesCount() * 2);
        for (KeyValue kv : list.getValuesList()) {
            byKey.put(kv.getKey(), kv.getValue());
        }
        List<String> keys = new ArrayList<>(byKey.keySet());
        keys.sort(AnyValues::compareCodePoints);
        sb.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            writeJsonString(keys.get(i), sb);
            sb.append(':');
            writeJson(byKey.get(keys.get(i)), sb);
        }
        sb.append('}');
    }

    /** Orders strings as Go does (by UTF-8 bytes, which is code point order), not by UTF-16 units. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Appends a JSON string literal escaped as Go's encoding/json does (HTML-safe). */
    public static void writeJsonString(String s, StringBuilder sb) {
        sb.append('"');
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029' -> appendUnicodeEscape(c, sb);
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(c, sb);
                    } else if (Character.isSurrogate(c)) {
                        // Go replaces invalid UTF-8 with U+FFFD; an unpaired surrogate is the
                        // Java equivalent.
                        if (Character.isHighSurrogate(c) && i + 1 < len
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            sb.append("\\ufffd");
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void appendUnicodeEscape(char c, StringBuilder sb) {
        sb.append("\\u");
        String h = Integer.toHexString(c);
        for (int k = h.length(); k < 4; k++) {
            sb.append('0');
        }
        sb.append(h);
    }

    /**
     * A double as Go's encoding/json (and so the Collector's AsString) writes it: the shortest
     * decimal that reads back as the same double, in plain notation unless the magnitude is
     * below 1e-6 or at least 1e21, where it uses an exponent without zero padding.
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        // Since JDK 19 Double.toString yields the shortest uniquely identifying decimal, the same
        // digits Go's strconv picks with precision -1.
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs >= 1e-6 && abs < 1e21) {
            return bd.toPlainString();
        }
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (d < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        return sb.toString();
    }
}
