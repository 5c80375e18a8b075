package io.mantis.collector.receiver.prometheus;

import java.util.Arrays;
import java.util.Map;

/**
 * A reusable, small label set: a sample's labels merged with its target's as Prometheus does
 * before storing a series. Linear lookups, since a series rarely has more than a dozen labels.
 */
final class LabelSet {
    private static final String EXPORTED_PREFIX = "exported_";

    String[] names = new String[16];
    String[] values = new String[16];
    int size;

    void reset(String[] n, String[] v) {
        size = 0;
        for (int i = 0; i < n.length; i++) {
            set(n[i], v[i]);
        }
    }

    String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    boolean has(String name) {
        String v = get(name);
        return v != null && !v.isEmpty();
    }

    void set(String name, String value) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                values[i] = value;
                return;
            }
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    /**
     * Attaches the target's labels. With {@code honorLabels} the scraped value of a clashing label
     * wins; otherwise the target's does and the scraped one is kept as {@code exported_<name>}
     * (prefixed again while that is taken), as Prometheus does.
     */
    void applyTarget(Map<String, String> target, boolean honorLabels) {
        for (Map.Entry<String, String> t : target.entrySet()) {
            String name = t.getKey();
            String existing = get(name);
            if (honorLabels) {
                if (existing == null || existing.isEmpty()) {
                    set(name, t.getValue());
                }
                continue;
            }
            set(name, t.getValue());
            if (existing != null && !existing.isEmpty()) {
                String exported = name;
                do {
                    exported = EXPORTED_PREFIX + exported;
                } while (has(exported));
                set(exported, existing);
            }
        }
    }

    void setAll(Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            set(e.getKey(), e.getValue());
        }
    }

    /** Drops empty values (an empty label is no label) and sorts by name. */
    void normalize() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!values[i].isEmpty()) {
                names[n] = names[i];
                values[n] = values[i];
                n++;
            }
        }
        size = n;
        for (int i = 1; i < size; i++) {
            String kn = names[i];
            String kv = values[i];
            int j = i - 1;
            while (j >= 0 && names[j].compareTo(kn) > 0) {
                names[j + 1] = names[j];
                values[j + 1] = values[j];
                j--;
            }
            names[j + 1] = kn;
            values[j + 1] = kv;
        }
    }
}
