package io.mantis.metrics.tsdb.chunkenc;

/** What kind of sample a {@link ChunkIterator} stands on. */
public enum ValueType {
    /** No sample: the iterator is exhausted. */
    NONE,
    /** A float sample: read {@link ChunkIterator#value()}. */
    FLOAT,
    /** A histogram with integer counts: read {@link ChunkIterator#histogram}. */
    HISTOGRAM,
    /** A histogram with float counts: read {@link ChunkIterator#histogram}. */
    FLOAT_HISTOGRAM
}
