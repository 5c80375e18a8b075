package io.mantis.common.metrics;

import java.util.Arrays;

/**
 * Immutable key of a child within a family. Owns a private copy of the values so that a caller
 * reusing its varargs array cannot corrupt the map; the hash is computed once since keys are
 * hashed on every lookup and compared on every scrape sort.
 */
final class LabelValues implements Comparable<LabelValues> {

    static final LabelValues EMPTY = new LabelValues(new String[0]);

    private final String[] values;
    private final int hash;

    private LabelValues(String[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    static LabelValues of(String[] labelNames, String[] values) {
        if (values == null) {
            throw new NullPointerException("label values must not be null");
        }
        if (values.length != labelNames.length) {
            throw new IllegalArgumentException("expected " + labelNames.length + " label values "
                    + Arrays.toString(labelNames) + " but got " + values.length);
        }
        if (values.length == 0) {
            return EMPTY;
        }
        String[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new NullPointerException("value of label '" + labelNames[i] + "' is null");
            }
        }
        return new LabelValues(copy);
    }

    /** The internal array; callers must not modify it. */
    String[] values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelValues other && hash == other.hash && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Element-wise lexicographic order; gives scrapes a deterministic child order. */
    @Override
    public int compareTo(LabelValues other) {
        return Arrays.compare(values, other.values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
