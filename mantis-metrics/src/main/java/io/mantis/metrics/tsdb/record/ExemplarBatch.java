package io.mantis.metrics.tsdb.record;

import io.mantis.otlp.prometheus.Labels;
import java.util.Arrays;

/**
 * The entries of an EXEMPLARS record.
 *
 * <p>Reusable: {@link #clear()} keeps the arrays, so a holder that has grown to the largest
 * record decodes the next ones without allocating (beyond the objects a record holds).
 */
public final class ExemplarBatch {

    private long[] refs = new long[16];
    private long[] timestamps = new long[16];
    private double[] values = new double[16];
    private Labels[] labels = new Labels[16];
    private int size;

    /** Empties the holder, keeping its capacity. */
    public ExemplarBatch clear() {
        Arrays.fill(labels, 0, size, null);
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** Adds an entry. */
    public ExemplarBatch add(long ref, long timestamp, double value, Labels labels) {
        if (size == refs.length) {
            grow();
        }
        refs[size] = ref;
        timestamps[size] = timestamp;
        values[size] = value;
        this.labels[size] = labels;
        size++;
        return this;
    }

    /** The series reference of entry {@code i}. */
    public long ref(int i) {
        return refs[i];
    }

    /** The timestamp of entry {@code i}, in milliseconds. */
    public long timestamp(int i) {
        return timestamps[i];
    }

    /** The value of entry {@code i}. */
    public double value(int i) {
        return values[i];
    }

    /** The exemplar labels of entry {@code i}. */
    public Labels labels(int i) {
        return labels[i];
    }

    private void grow() {
        int capacity = refs.length * 2;
        refs = Arrays.copyOf(refs, capacity);
        timestamps = Arrays.copyOf(timestamps, capacity);
        values = Arrays.copyOf(values, capacity);
        labels = Arrays.copyOf(labels, capacity);
    }
}
