package io.mantis.metrics.tsdb.record;

import java.util.Arrays;

/**
 * The entries of a TOMBSTONES record: deleted closed time intervals [mint, maxt] of series.
 *
 * <p>Reusable: {@link #clear()} keeps the arrays, so a holder that has grown to the largest
 * record decodes the next ones without allocating (beyond the objects a record holds).
 */
public final class TombstoneBatch {

    private long[] refs = new long[16];
    private long[] mints = new long[16];
    private long[] maxts = new long[16];
    private int size;

    /** Empties the holder, keeping its capacity. */
    public TombstoneBatch clear() {
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** Adds an entry. */
    public TombstoneBatch add(long ref, long mint, long maxt) {
        if (size == refs.length) {
            grow();
        }
        refs[size] = ref;
        mints[size] = mint;
        maxts[size] = maxt;
        size++;
        return this;
    }

    /** The series reference of entry {@code i}. */
    public long ref(int i) {
        return refs[i];
    }

    /** The first deleted timestamp of entry {@code i}. */
    public long mint(int i) {
        return mints[i];
    }

    /** The last deleted timestamp of entry {@code i}. */
    public long maxt(int i) {
        return maxts[i];
    }

    private void grow() {
        int capacity = refs.length * 2;
        refs = Arrays.copyOf(refs, capacity);
        mints = Arrays.copyOf(mints, capacity);
        maxts = Arrays.copyOf(maxts, capacity);
    }
}
