package io.mantis.metrics.tsdb.record;

import io.mantis.otlp.prometheus.Labels;
import java.util.Arrays;

/**
 * The entries of a SERIES record: series references with their label sets.
 *
 * <p>Reusable: {@link #clear()} keeps the arrays, so a holder that has grown to the largest
 * record decodes the next ones without allocating (beyond the objects a record holds).
 */
public final class SeriesBatch {

    private long[] refs = new long[16];
    private Labels[] labels = new Labels[16];
    private int size;

    /** Empties the holder, keeping its capacity. */
    public SeriesBatch clear() {
        Arrays.fill(labels, 0, size, null);
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** Adds an entry. */
    public SeriesBatch add(long ref, Labels labels) {
        if (size == refs.length) {
            grow();
        }
        refs[size] = ref;
        this.labels[size] = labels;
        size++;
        return this;
    }

    /** The series reference of entry {@code i}. */
    public long ref(int i) {
        return refs[i];
    }

    /** The label set of entry {@code i}. */
    public Labels labels(int i) {
        return labels[i];
    }

    private void grow() {
        int capacity = refs.length * 2;
        refs = Arrays.copyOf(refs, capacity);
        labels = Arrays.copyOf(labels, capacity);
    }
}
