package io.mantis.metrics.tsdb.index;

import java.util.Arrays;

/**
 * A reusable list of chunk metas (min time, max time, chunk reference) of one series, in
 * primitive arrays so that reading series from a block index allocates nothing per chunk.
 * Not thread-safe: one holder per reading thread.
 */
public final class ChunkMetas {

    private long[] mint;
    private long[] maxt;
    private long[] ref;
    private int size;

    public ChunkMetas() {
        this(8);
    }

    public ChunkMetas(int capacity) {
        int c = Math.max(1, capacity);
        mint = new long[c];
        maxt = new long[c];
        ref = new long[c];
    }

    public void clear() {
        size = 0;
    }

    /** Appends one chunk's meta; times in milliseconds, {@code ref} opaque to the index. */
    public void add(long minTime, long maxTime, long chunkRef) {
        if (size == mint.length) {
            int c = size * 2;
            mint = Arrays.copyOf(mint, c);
            maxt = Arrays.copyOf(maxt, c);
            ref = Arrays.copyOf(ref, c);
        }
        mint[size] = minTime;
        maxt[size] = maxTime;
        ref[size] = chunkRef;
        size++;
    }

    public int size() {
        return size;
    }

    public long minTime(int i) {
        check(i);
        return mint[i];
    }

    public long maxTime(int i) {
        check(i);
        return maxt[i];
    }

    public long ref(int i) {
        check(i);
        return ref[i];
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("chunk " + i + " of " + size);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(mint[i]).append("..").append(maxt[i]).append("@").append(Long.toHexString(ref[i]));
        }
        return sb.append(']').toString();
    }
}
