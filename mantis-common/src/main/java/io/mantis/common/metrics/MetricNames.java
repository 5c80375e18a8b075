package io.mantis.common.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Name rules shared by the registry (which throws) and the writers (which drop). */
final class MetricNames {

    private MetricNames() {}

    /** Prometheus metric names: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    static boolean isValidMetricName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Prometheus label names: {@code [a-zA-Z_][a-zA-Z0-9_]*} (no colon, unlike metric names), and
     * names starting with {@code __} are reserved for Prometheus itself.
     */
    static boolean isValidLabelName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("__")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static void checkMetricName(String name) {
        if (!isValidMetricName(name)) {
            throw new IllegalArgumentException(
                    "invalid metric name '" + name + "': must match [a-zA-Z_:][a-zA-Z0-9_:]*");
        }
    }

    /**
     * Checks label names for a family of the given type and returns a private copy, so a caller
     * mutating its varargs array later cannot change the family.
     */
    static String[] checkLabelNames(MetricType type, String... labelNames) {
        if (labelNames == null) {
            throw new IllegalArgumentException("label names must not be null");
        }
        String[] copy = labelNames.clone();
        Set<String> seen = new HashSet<>();
        for (String label : copy) {
            if (!isValidLabelName(label)) {
                throw new IllegalArgumentException("invalid label name '" + label
                        + "': must match [a-zA-Z_][a-zA-Z0-9_]* and not start with __");
            }
            String reserved = reservedLabel(type);
            if (label.equals(reserved)) {
                throw new IllegalArgumentException(
                        "label name '" + label + "' is reserved for " + type.openMetricsName() + " samples");
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("duplicate label name '" + label + "'");
            }
        }
        return copy;
    }

    /** The label a type adds to its own samples ({@code le}, {@code quantile}), or null. */
    static String reservedLabel(MetricType type) {
        return switch (type) {
            case HISTOGRAM -> "le";
            case SUMMARY -> "quantile";
            default -> null;
        };
    }

    /**
     * Every name a family of this type makes appear in either text format, its own included (a
     * 0.0.4 counter's metadata names {@code foo_total}). Two families claiming a common name would
     * make the exposition ambiguous.
     */
    static List<String> exposedNames(String name, MetricType type) {
        return switch (type) {
            case COUNTER -> List.of(name, name + "_total", name + "_created");
            case HISTOGRAM -> List.of(name, name + "_bucket", name + "_count", name + "_sum", name + "_created");
            case SUMMARY -> List.of(name, name + "_count", name + "_sum", name + "_created");
            case GAUGE, UNKNOWN -> List.of(name);
        };
    }
}
