package io.mantis.otlp.prometheus;

import java.util.Arrays;

/**
 * Collects candidate labels from several sources and resolves them into one {@link Labels}.
 *
 * <p>Each candidate has a rank; for one label name the highest rank wins outright, and several
 * candidates of that same rank (attributes whose keys sanitise to the same name, such as
 * {@code http.method} and {@code http_method}) are joined with {@code ;} in order of their
 * original keys, as the collector does. Reused across data points by one translation so that
 * resolving a label set costs only the final arrays.
 */
final class LabelSetBuilder {

    /** External labels: only where nothing else set the name. */
    static final int RANK_EXTERNAL = 0;
    /** Data point attributes, and resource attributes when copied onto series. */
    static final int RANK_ATTRIBUTE = 1;
    /** {@code otel_scope_name} / {@code otel_scope_version}. */
    static final int RANK_SCOPE = 2;
    /** {@code job} / {@code instance} from the resource's service identity. */
    static final int RANK_RESOURCE_ID = 3;

    private String[] names = new String[16];
    private String[] values = new String[16];
    private String[] keys = new String[16];
    private int[] ranks = new int[16];
    private int[] order = new int[16];
    private int size;
    private final StringBuilder joined = new StringBuilder();

    void reset() {
        size = 0;
    }

    /**
     * Adds a candidate. {@code name} must already be a valid label name; empty names and values
     * are ignored (an empty value means "absent" in Prometheus).
     */
    void add(String name, String value, int rank, String originalKey) {
        if (name.isEmpty() || value == null || value.isEmpty()) {
            return;
        }
        if (size == names.length) {
            int n = size * 2;
            names = Arrays.copyOf(names, n);
            values = Arrays.copyOf(values, n);
            keys = Arrays.copyOf(keys, n);
            ranks = Arrays.copyOf(ranks, n);
            order = Arrays.copyOf(order, n);
        }
        names[size] = name;
        values[size] = value;
        keys[size] = originalKey;
        ranks[size] = rank;
        size++;
    }

    Labels build() {
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        // Insertion sort: label sets are small and this avoids boxing into a Comparator sort.
        for (int i = 1; i < size; i++) {
            int cur = order[i];
            int j = i - 1;
            while (j >= 0 && compare(order[j], cur) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = cur;
        }
        String[] out = new String[size * 2];
        int n = 0;
        int i = 0;
        while (i < size) {
            int first = order[i];
            String name = names[first];
            int topRank = ranks[first];
            int j = i + 1;
            while (j < size && names[order[j]].equals(name) && ranks[order[j]] == topRank) {
                j++;
            }
            String value;
            if (j - i == 1) {
                value = values[first];
            } else {
                joined.setLength(0);
                for (int k = i; k < j; k++) {
                    if (k > i) {
                        joined.append(';');
                    }
                    joined.append(values[order[k]]);
                }
                value = joined.toString();
            }
            out[n++] = name;
            out[n++] = value;
            // Skip lower-ranked candidates for the same name.
            while (j < size && names[order[j]].equals(name)) {
                j++;
            }
            i = j;
        }
        return Labels.wrapSorted(n == out.length ? out : Arrays.copyOf(out, n));
    }

    /** Name ascending, then rank descending, then original key ascending, then insertion. */
    private int compare(int a, int b) {
        int c = names[a].compareTo(names[b]);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(ranks[b], ranks[a]);
        if (c != 0) {
            return c;
        }
        c = keys[a].compareTo(keys[b]);
        return c != 0 ? c : Integer.compare(a, b);
    }
}
