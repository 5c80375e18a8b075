package io.mantis.metrics.promql.engine;

import io.mantis.otlp.prometheus.Labels;
import java.util.Collection;
import java.util.TreeMap;

/** Label-set helpers the evaluator needs beyond {@link Labels} itself. */
final class LabelSets {

    static final String NAME = Labels.METRIC_NAME;

    private LabelSets() {
    }

    /**
     * The labels without the metric name and the type and unit metadata labels that belong to
     * it: once a value is no longer the metric's, neither is its type or unit.
     */
    static Labels withoutName(Labels l) {
        return l.with(NAME, null).with("__type__", null).with("__unit__", null);
    }

    /** Only the labels named in {@code names}. */
    static Labels keep(Labels l, Collection<String> names) {
        TreeMap<String, String> m = new TreeMap<>();
        for (String n : names) {
            String v = l.get(n);
            if (v != null) {
                m.put(n, v);
            }
        }
        return Labels.of(m);
    }

    /** All labels but those in {@code names}, and but the metric name when {@code dropName}. */
    static Labels drop(Labels l, Collection<String> names, boolean dropName) {
        Labels out = l;
        for (String n : names) {
            out = out.with(n, null);
        }
        return dropName ? withoutName(out) : out;
    }

    /** The key series are matched by in a binary operation. */
    static Labels signature(Labels l, boolean on, Collection<String> names) {
        // Type and unit stay: series of different type or unit do not match.
        return on ? keep(l, names) : drop(l, names, false).with(NAME, null);
    }

    /** Prometheus' text of a label set: {@code {__name__="x", a="1"}}, values quoted as Go quotes them. */
    static String format(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(l.name(i)).append('=');
            quote(sb, l.value(i));
        }
        return sb.append('}').toString();
    }

    static void quote(StringBuilder sb, String v) {
        sb.append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c >= 0xDC80 && c <= 0xDCFF) {
                        // A byte of a literal that is not UTF-8 (StringLiterals keeps it so).
                        sb.append(String.format("\\x%02x", c & 0xFF));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static String quote(String v) {
        StringBuilder sb = new StringBuilder();
        quote(sb, v);
        return sb.toString();
    }

    /** Whether {@code s} is a valid label name (UTF-8 names are valid in Prometheus 3 unless empty). */
    static boolean validName(String s) {
        return s != null && !s.isEmpty() && isValidUtf16(s);
    }

    private static boolean isValidUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\uFFFD') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
