package io.mantis.metrics.tsdb.chunkenc;

import io.mantis.metrics.model.FloatHistogram;

/**
 * Walks the samples of one chunk in order. An iterator allocates nothing per sample; pass it back
 * to {@link Chunk#iterator(ChunkIterator)} to reuse it for another chunk of the same encoding.
 *
 * <p>An iterator reads the chunk's bytes as they were when it was (re)set: samples appended later
 * are not seen. Bytes that are damaged raise {@link CorruptChunkException}.
 */
public interface ChunkIterator {

    /** Advances to the next sample; {@link ValueType#NONE} at the end. */
    ValueType next();

    /**
     * Advances to the first sample with timestamp {@code >= t}; stays on the current sample if it
     * already qualifies (a fresh iterator first moves to its first sample). {@link ValueType#NONE}
     * if there is none.
     */
    ValueType seek(long t);

    /** Timestamp of the current sample. */
    long timestamp();

    /**
     * Value of the current float sample.
     *
     * @throws UnsupportedOperationException on a histogram chunk
     */
    double value();

    /**
     * Bulk {@link #next()} over a run of floats: copies the current sample and the ones after it
     * into {@code ts}/{@code vs} from index {@code off} on, while they are floats with timestamps
     * {@code <= maxT} and the arrays have room. Returns the index after the last one copied; the
     * iterator is left on the first sample not copied, whose type {@code seek(Long.MIN_VALUE)}
     * tells without moving. A fresh iterator starts at its first sample.
     */
    default int readFloats(long maxT, long[] ts, double[] vs, int off) {
        int n = off;
        ValueType vt = seek(Long.MIN_VALUE);
        while (vt == ValueType.FLOAT && n < ts.length) {
            long t = timestamp();
            if (t > maxT) {
                break;
            }
            ts[n] = t;
            vs[n++] = value();
            vt = next();
        }
        return n;
    }

    /**
     * Copies the current histogram sample into {@code into}, reusing its arrays.
     *
     * @throws UnsupportedOperationException on a float chunk
     */
    void histogram(FloatHistogram into);
}
