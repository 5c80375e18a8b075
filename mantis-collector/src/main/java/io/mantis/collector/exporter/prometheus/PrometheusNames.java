package io.mantis.collector.exporter.prometheus;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

// TODO(shared translation): this is a deliberately small, local OTLP → Prometheus name and label
// translation. The full translation (every UCUM unit, "foo/bar" → "foo_per_bar", UTF-8 names,
// the suffix options) is being written in mantis-otlp as io.mantis.otlp.prometheus and replaces
// this class once merged; keep this one minimal until then.
/**
 * OTLP metric and attribute names as Prometheus names.
 *
 * <ul>
 *   <li>Metric names: characters outside {@code [a-zA-Z0-9_:]} become {@code _}, runs of
 *       {@code _} collapse to one, a leading digit gets a {@code _} prefix; the namespace, when
 *       set, is prepended with {@code _}.</li>
 *   <li>Unit suffixes (with {@code add_metric_suffixes}): {@code s} → {@code _seconds},
 *       {@code ms} → {@code _milliseconds}, {@code By} → {@code _bytes}, and {@code 1} →
 *       {@code _ratio} for gauges; annotations in braces ({@code {request}}) are dropped; other
 *       units add no suffix here. A name that already contains the unit word is left alone.</li>
 *   <li>Label names: the same character rule without {@code :}; a leading digit gets a
 *       {@code key_} prefix, and a leading {@code __} (reserved) a {@code key} prefix.</li>
 * </ul>
 */
final class PrometheusNames {
    private PrometheusNames() {
    }

    /**
     * The family name of a metric: for counters the base, without {@code _total}, which the writer
     * adds to the sample names.
     */
    static String familyName(String otlpName, String unit, boolean counter, boolean gauge, String namespace,
                             boolean addSuffixes) {
        String name = sanitize(otlpName, true);
        if (namespace != null && !namespace.isEmpty()) {
            name = sanitize(namespace, true) + "_" + name;
        }
        if (!addSuffixes) {
            return name;
        }
        if (counter && name.endsWith("_total")) {
            name = name.substring(0, name.length() - "_total".length());
        }
        String word = unitWord(unit, gauge);
        if (word != null && !hasToken(name, word)) {
            name = name + "_" + word;
        }
        return name;
    }

    /** The Prometheus unit word of an OTLP unit, or null when this local translation has none. */
    static String unitWord(String unit, boolean gauge) {
        if (unit == null) {
            return null;
        }
        String u = unit.replaceAll("\\{[^}]*}", "").trim();
        return switch (u) {
            case "s" -> "seconds";
            case "ms" -> "milliseconds";
            case "By" -> "bytes";
            case "1" -> gauge ? "ratio" : null;
            default -> null;
        };
    }

    private static boolean hasToken(String name, String word) {
        return name.equals(word) || name.endsWith("_" + word) || name.startsWith(word + "_")
                || name.contains("_" + word + "_");
    }

    static String labelName(String key) {
        String s = sanitize(key, false);
        if (s.isEmpty()) {
            return "key_";
        }
        char c = s.charAt(0);
        if (c >= '0' && c <= '9') {
            return "key_" + s;
        }
        if (s.startsWith("__")) {
            return "key" + s;
        }
        return s;
    }

    private static String sanitize(String s, boolean colon) {
        StringBuilder sb = new StringBuilder(s.length() + 1);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || (colon && c == ':');
            char out = ok ? c : '_';
            // Runs of underscores collapse, except a leading "__" which labelName() deals with.
            if (out == '_' && sb.length() > 1 && sb.charAt(sb.length() - 1) == '_') {
                continue;
            }
            sb.append(out);
        }
        if (colon && !sb.isEmpty() && sb.charAt(0) >= '0' && sb.charAt(0) <= '9') {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    /** An attribute value as a label value: strings as they are, other types as the spec writes them. */
    static String value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> doubleText(v.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                StringBuilder sb = new StringBuilder("[");
                List<AnyValue> values = v.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    sb.append(i > 0 ? "," : "");
                    json(sb, values.get(i));
                }
                yield sb.append(']').toString();
            }
            case KVLIST_VALUE -> {
                StringBuilder sb = new StringBuilder();
                json(sb, v);
                yield sb.toString();
            }
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> "";
        };
    }

    private static void json(StringBuilder sb, AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> quote(sb, v.getStringValue());
            case BYTES_VALUE -> quote(sb, value(v));
            case KVLIST_VALUE -> {
                sb.append('{');
                List<KeyValue> kvs = v.getKvlistValue().getValuesList();
                for (int i = 0; i < kvs.size(); i++) {
                    sb.append(i > 0 ? "," : "");
                    quote(sb, kvs.get(i).getKey());
                    sb.append(':');
                    json(sb, kvs.get(i).getValue());
                }
                sb.append('}');
            }
            case VALUE_NOT_SET, STRING_VALUE_STRINDEX -> sb.append("null");
            default -> sb.append(value(v));
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static String doubleText(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
