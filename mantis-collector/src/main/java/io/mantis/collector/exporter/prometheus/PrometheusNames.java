package io.mantis.collector.exporter.prometheus;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

/**
 * OTLP metric and attribute names as Prometheus names, by the OpenTelemetry → Prometheus rules
 * shared with the prometheusremotewrite exporter ({@link io.mantis.otlp.prometheus.PrometheusNames}):
 * unit words and {@code _total} with {@code add_metric_suffixes}, sanitised label names; plus
 * the rendering of attribute values as label values.
 */
final class PrometheusNames {
    private PrometheusNames() {
    }

    /**
     * The family name of a metric, by the shared OpenTelemetry → Prometheus naming rules: for
     * counters the base, without {@code _total}, which the writer adds to the sample names.
     */
    static String familyName(String otlpName, String unit, boolean counter, boolean gauge, String namespace,
                             boolean addSuffixes) {
        String name = io.mantis.otlp.prometheus.PrometheusNames.metricName(otlpName, unit, kind(counter, gauge),
                namespace, addSuffixes);
        if (addSuffixes && counter && name.endsWith("_total")) {
            name = name.substring(0, name.length() - "_total".length());
        }
        return name;
    }

    /** The Prometheus unit word of an OTLP unit (for the OpenMetrics UNIT line), or null. */
    static String unitWord(String unit, boolean gauge) {
        String w = io.mantis.otlp.prometheus.PrometheusNames.unitName(unit,
                gauge ? io.mantis.otlp.prometheus.PrometheusNames.Kind.GAUGE
                        : io.mantis.otlp.prometheus.PrometheusNames.Kind.HISTOGRAM);
        return w.isEmpty() ? null : w;
    }

    private static io.mantis.otlp.prometheus.PrometheusNames.Kind kind(boolean counter, boolean gauge) {
        return counter ? io.mantis.otlp.prometheus.PrometheusNames.Kind.COUNTER
                : gauge ? io.mantis.otlp.prometheus.PrometheusNames.Kind.GAUGE
                : io.mantis.otlp.prometheus.PrometheusNames.Kind.HISTOGRAM;
    }

    static String labelName(String key) {
        String s = io.mantis.otlp.prometheus.PrometheusNames.labelName(key);
        return s.isEmpty() ? "key_" : s;
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
