package io.mantis.otlp.prometheus;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable Prometheus label set: name/value pairs sorted by name, names unique.
 *
 * <p>Kept as one flat array ({@code name0, value0, name1, value1, ...}) because label sets are
 * created for every series of every batch; a flat array is one allocation and is what both the
 * wire encoder and a TSDB want to iterate. Instances are safe to keep (sinks may use them as map
 * keys). Sorting is by {@link String#compareTo}, which equals Prometheus' byte order for the
 * ASCII names the translator produces.
 */
public final class Labels implements Comparable<Labels> {

    /** The label that carries the metric name. */
    public static final String METRIC_NAME = "__name__";

    private static final Labels EMPTY = new Labels(new String[0]);

    private final String[] pairs;
    private int hash;

    private Labels(String[] pairs) {
        this.pairs = pairs;
    }

    /** The empty label set. */
    public static Labels empty() {
        return EMPTY;
    }

    /**
     * Label set from alternating names and values, in any order. A later duplicate name wins;
     * empty values are dropped since Prometheus treats them as an absent label.
     */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got an odd count");
        }
        Labels result = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            result = result.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return result;
    }

    /** Label set from a map (empty values dropped). */
    public static Labels of(Map<String, String> map) {
        String[] flat = new String[map.size() * 2];
        int n = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            flat[n++] = Objects.requireNonNull(e.getKey());
            flat[n++] = e.getValue();
        }
        return fromUnsortedPairs(n == flat.length ? flat : Arrays.copyOf(flat, n));
    }

    /**
     * Takes ownership of {@code pairs}, which must already be sorted by name with unique names.
     * Package-private: the translator's builder and the decoder guarantee the invariant.
     */
    static Labels wrapSorted(String[] pairs) {
        return pairs.length == 0 ? EMPTY : new Labels(pairs);
    }

    /**
     * Takes ownership of {@code pairs} (any order) and sorts it when needed; values are kept as
     * sent, empty ones included. Duplicate names keep the last occurrence. Used by the decoder,
     * where senders should but need not send sorted labels.
     */
    static Labels fromUnsortedPairs(String[] pairs) {
        int n = pairs.length / 2;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = pairs[2 * (i - 1)].compareTo(pairs[2 * i]) < 0;
        }
        if (sorted) {
            return wrapSorted(pairs);
        }
        // Stable sort of the pair indexes by name, so that among duplicates the last sent is last.
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> pairs[2 * a].compareTo(pairs[2 * b]));
        String[] out = new String[pairs.length];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = idx[k];
            if (m > 0 && out[m - 2].equals(pairs[2 * i])) {
                m -= 2;
            }
            out[m++] = pairs[2 * i];
            out[m++] = pairs[2 * i + 1];
        }
        return wrapSorted(m == out.length ? out : Arrays.copyOf(out, m));
    }

    /** Number of labels. */
    public int size() {
        return pairs.length / 2;
    }

    public boolean isEmpty() {
        return pairs.length == 0;
    }

    /** Name of the {@code i}-th label in sort order. */
    public String name(int i) {
        return pairs[2 * i];
    }

    /** Value of the {@code i}-th label in sort order. */
    public String value(int i) {
        return pairs[2 * i + 1];
    }

    /** The value of label {@code name}, or {@code null} when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i >= 0 ? pairs[2 * i + 1] : null;
    }

    /** The metric name ({@code __name__}), or {@code null}. */
    public String metricName() {
        return get(METRIC_NAME);
    }

    /**
     * A copy with {@code name} set to {@code value} (replacing any existing value); an empty or
     * null value removes the label.
     */
    public Labels with(String name, String value) {
        Objects.requireNonNull(name, "name");
        int i = indexOf(name);
        boolean remove = value == null || value.isEmpty();
        if (i >= 0) {
            if (remove) {
                String[] out = new String[pairs.length - 2];
                System.arraycopy(pairs, 0, out, 0, 2 * i);
                System.arraycopy(pairs, 2 * i + 2, out, 2 * i, pairs.length - 2 * i - 2);
                return wrapSorted(out);
            }
            if (pairs[2 * i + 1].equals(value)) {
                return this;
            }
            String[] out = pairs.clone();
            out[2 * i + 1] = value;
            return new Labels(out);
        }
        if (remove) {
            return this;
        }
        int at = -i - 1;
        String[] out = new String[pairs.length + 2];
        System.arraycopy(pairs, 0, out, 0, 2 * at);
        out[2 * at] = name;
        out[2 * at + 1] = value;
        System.arraycopy(pairs, 2 * at, out, 2 * at + 2, pairs.length - 2 * at);
        return new Labels(out);
    }

    /** Binary search; returns the index, or {@code -(insertion point) - 1}. */
    private int indexOf(String name) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = pairs[2 * mid].compareTo(name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && Arrays.equals(pairs, other.pairs);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(pairs);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(pairs.length, o.pairs.length);
        for (int i = 0; i < n; i++) {
            if (pairs[i] == o.pairs[i]) {
                continue; // interned strings: most names and many values are the same object
            }
            int c = pairs[i].compareTo(o.pairs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, o.pairs.length);
    }

    /** PromQL-style text: {@code name{a="1", b="2"}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String metric = metricName();
        if (metric != null) {
            sb.append(metric);
        }
        sb.append('{');
        boolean first = true;
        for (int i = 0; i < size(); i++) {
            if (name(i).equals(METRIC_NAME)) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(name(i)).append("=\"");
            String v = value(i);
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }
}
