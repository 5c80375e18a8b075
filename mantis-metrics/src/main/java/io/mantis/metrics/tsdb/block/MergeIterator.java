package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import java.util.Arrays;

/**
 * Merges the samples of several iterators of one series by timestamp. Where several stand on the
 * same timestamp, the one with the lowest index is reported and the others skip that sample.
 * Reusable; keeps the sources' iterators by slot so that callers can recycle them.
 *
 * <p>The sources are few (the parts of a store overlapping a query, the runs of a series'
 * chunks), so each step scans them all instead of keeping a heap.
 */
final class MergeIterator implements ChunkIterator {

    private ChunkIterator[] sources = new ChunkIterator[4];
    private ValueType[] types = new ValueType[4];
    private ChunkIterator[] pool = new ChunkIterator[4];
    private int n;
    private int chosen = -1;
    private long t;
    private ValueType type = ValueType.NONE;
    private boolean started;

    /** Prepares for {@code count} sources; then {@link #set} each, highest priority first. */
    void reset(int count) {
        if (sources.length < count) {
            sources = new ChunkIterator[Math.max(count, sources.length * 2)];
            types = new ValueType[sources.length];
        }
        n = count;
        chosen = -1;
        type = ValueType.NONE;
        started = false;
    }

    void set(int i, ChunkIterator it) {
        sources[i] = it;
    }

    /** An iterator kept under {@code key} for reuse by the caller, or null. */
    ChunkIterator pooled(int key) {
        return key < pool.length ? pool[key] : null;
    }

    void pool(int key, ChunkIterator it) {
        if (key >= pool.length) {
            pool = Arrays.copyOf(pool, Math.max(key + 1, pool.length * 2));
        }
        pool[key] = it;
    }

    @Override
    public ValueType next() {
        if (!started) {
            started = true;
            for (int i = 0; i < n; i++) {
                types[i] = sources[i].next();
            }
        } else {
            if (type == ValueType.NONE) {
                return type;
            }
            for (int i = 0; i < n; i++) {
                if (types[i] != ValueType.NONE && sources[i].timestamp() == t) {
                    types[i] = sources[i].next();
                }
            }
        }
        return pick();
    }

    @Override
    public ValueType seek(long ts) {
        if (started) {
            if (type == ValueType.NONE || t >= ts) {
                return type;
            }
            for (int i = 0; i < n; i++) {
                if (types[i] != ValueType.NONE) {
                    types[i] = sources[i].seek(ts);
                }
            }
        } else {
            started = true;
            for (int i = 0; i < n; i++) {
                types[i] = sources[i].seek(ts);
            }
        }
        return pick();
    }

    private ValueType pick() {
        int best = -1;
        long bt = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (types[i] != ValueType.NONE) {
                long ti = sources[i].timestamp();
                if (best < 0 || ti < bt) {
                    best = i;
                    bt = ti;
                }
            }
        }
        chosen = best;
        if (best < 0) {
            return type = ValueType.NONE;
        }
        t = bt;
        return type = types[best];
    }

    @Override
    public long timestamp() {
        return t;
    }

    @Override
    public double value() {
        return sources[chosen].value();
    }

    @Override
    public void histogram(FloatHistogram into) {
        sources[chosen].histogram(into);
    }
}
