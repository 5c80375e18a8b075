package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import java.util.Arrays;

/**
 * A reusable list of chunks of one series, each with the timestamps of its first and last sample
 * ({@code minTime <= maxTime}, both inclusive). Not thread-safe.
 */
public final class ChunkList {

    private long[] mint = new long[8];
    private long[] maxt = new long[8];
    private Chunk[] chunks = new Chunk[8];
    private int size;

    public void clear() {
        Arrays.fill(chunks, 0, size, null);
        size = 0;
    }

    /** Appends a chunk whose samples span {@code [minTime, maxTime]}. */
    public void add(long minTime, long maxTime, Chunk chunk) {
        if (maxTime < minTime) {
            throw new IllegalArgumentException("chunk maxTime " + maxTime + " < minTime " + minTime);
        }
        if (size == mint.length) {
            int n = size * 2;
            mint = Arrays.copyOf(mint, n);
            maxt = Arrays.copyOf(maxt, n);
            chunks = Arrays.copyOf(chunks, n);
        }
        mint[size] = minTime;
        maxt[size] = maxTime;
        chunks[size] = chunk;
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

    public Chunk chunk(int i) {
        check(i);
        return chunks[i];
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
            sb.append(mint[i]).append("..").append(maxt[i]).append(' ').append(chunks[i].encoding())
                    .append('x').append(chunks[i].numSamples());
        }
        return sb.append(']').toString();
    }
}
