package io.mantis.metrics.tsdb.record;

import io.mantis.otlp.prometheus.MetricType;
import java.util.Arrays;

/**
 * The entries of a METADATA record: a series' metric type, unit and help.
 *
 * <p>Reusable: {@link #clear()} keeps the arrays, so a holder that has grown to the largest
 * record decodes the next ones without allocating (beyond the objects a record holds).
 */
public final class MetadataBatch {

    private long[] refs = new long[16];
    private MetricType[] types = new MetricType[16];
    private String[] units = new String[16];
    private String[] helps = new String[16];
    private int size;

    /** Empties the holder, keeping its capacity. */
    public MetadataBatch clear() {
        Arrays.fill(types, 0, size, null);
        Arrays.fill(units, 0, size, null);
        Arrays.fill(helps, 0, size, null);
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** Adds an entry. */
    public MetadataBatch add(long ref, MetricType type, String unit, String help) {
        if (size == refs.length) {
            grow();
        }
        refs[size] = ref;
        types[size] = type;
        units[size] = unit;
        helps[size] = help;
        size++;
        return this;
    }

    /** The series reference of entry {@code i}. */
    public long ref(int i) {
        return refs[i];
    }

    /** The metric type of entry {@code i}. */
    public MetricType type(int i) {
        return types[i];
    }

    /** The unit of entry {@code i} (empty for none). */
    public String unit(int i) {
        return units[i];
    }

    /** The help text of entry {@code i} (empty for none). */
    public String help(int i) {
        return helps[i];
    }

    private void grow() {
        int capacity = refs.length * 2;
        refs = Arrays.copyOf(refs, capacity);
        types = Arrays.copyOf(types, capacity);
        units = Arrays.copyOf(units, capacity);
        helps = Arrays.copyOf(helps, capacity);
    }
}
