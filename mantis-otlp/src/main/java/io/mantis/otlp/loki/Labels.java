package io.mantis.otlp.loki;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, name-sorted set of stream labels: the identity of a Loki stream.
 *
 * <p>Sorted storage makes equal sets equal regardless of the order they were built in, so a
 * {@code Labels} is directly usable as the key that groups entries into streams. The
 * Prometheus-style label string ({@code {a="b", c="d"}}) that the push protobuf carries is
 * computed once on first use and cached, since an exporter asks for it once per stream per push.
 */
public final class Labels implements Comparable<Labels> {

    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private final int hash;
    // Benign race: String is immutable, so two threads computing it at once store equal values.
    private String labelString;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
        this.hash = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    /** Labels from alternating names and values; a repeated name keeps its last value. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got an odd count");
        }
        Builder b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    public static Labels of(Map<String, String> map) {
        Builder b = builder();
        map.forEach(b::put);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses the Prometheus-style label string form; see {@link LabelStrings#parse(String)}. */
    public static Labels parse(String labelString) {
        return LabelStrings.parse(labelString);
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int index) {
        return names[index];
    }

    public String value(int index) {
        return values[index];
    }

    /** The value of {@code name}, or null when absent. */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : null;
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    /** A builder holding these labels, for deriving a changed set. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < names.length; i++) {
            b.put(names[i], values[i]);
        }
        return b;
    }

    /** The labels as a name-ordered, unmodifiable map. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The label string form, {@code {a="b", c="d"}}, as Loki's push protobuf carries it. */
    public String toLabelString() {
        String s = labelString;
        if (s == null) {
            s = LabelStrings.format(this);
            labelString = s;
        }
        return s;
    }

    @Override
    public String toString() {
        return toLabelString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other
                && hash == other.hash
                && Arrays.equals(names, other.names)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Pairwise by name then value; a prefix sorts first. Gives streams a deterministic order. */
    @Override
    public int compareTo(Labels other) {
        int n = Math.min(names.length, other.names.length);
        for (int i = 0; i < n; i++) {
            int c = names[i].compareTo(other.names[i]);
            if (c != 0) {
                return c;
            }
            c = values[i].compareTo(other.values[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(names.length, other.names.length);
    }

    /**
     * Collects labels in any order. Stream label sets are small (Loki's default limit is 15), so
     * a linear scan for an existing name is cheaper than hashing.
     */
    public static final class Builder {

        private final List<String> names = new ArrayList<>(8);
        private final List<String> values = new ArrayList<>(8);

        private Builder() {
        }

        /** Sets {@code name} to {@code value}, replacing an earlier value for the same name. */
        public Builder put(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            int i = names.indexOf(name);
            if (i >= 0) {
                values.set(i, value);
            } else {
                names.add(name);
                values.add(value);
            }
            return this;
        }

        public Builder remove(String name) {
            int i = names.indexOf(name);
            if (i >= 0) {
                names.remove(i);
                values.remove(i);
            }
            return this;
        }

        /** The current value of {@code name}, or null. */
        public String get(String name) {
            int i = names.indexOf(name);
            return i >= 0 ? values.get(i) : null;
        }

        public int size() {
            return names.size();
        }

        public Labels build() {
            int n = names.size();
            if (n == 0) {
                return EMPTY;
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> names.get(a).compareTo(names.get(b)));
            String[] sortedNames = new String[n];
            String[] sortedValues = new String[n];
            for (int i = 0; i < n; i++) {
                sortedNames[i] = names.get(order[i]);
                sortedValues[i] = values.get(order[i]);
            }
            return new Labels(sortedNames, sortedValues);
        }
    }
}
