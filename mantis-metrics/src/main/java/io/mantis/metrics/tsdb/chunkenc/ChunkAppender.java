package io.mantis.metrics.tsdb.chunkenc;

import io.mantis.metrics.model.FloatHistogram;

/**
 * Appends samples to the end of one chunk. Samples are expected in increasing timestamp order;
 * the encodings store other orders too, but the head never appends them. Not thread-safe: the
 * owner of the chunk serialises appends (and readers that must see them).
 */
public interface ChunkAppender {

    /**
     * Appends a float sample to an XOR chunk.
     *
     * @throws UnsupportedOperationException on a histogram chunk
     * @throws IllegalStateException when the chunk already holds {@link Chunk#MAX_SAMPLES}
     */
    void append(long t, double v);

    /**
     * Appends a histogram sample if the chunk can take it. {@code false} means the chunk is left
     * unchanged and the caller starts a new chunk with this sample, whose counter-reset header
     * {@link #nextChunkHeader} tells. The rules (schema or threshold change, counter reset,
     * gauge/counter switch, stale markers, full chunk) are those of docs/format/chunks.md. The
     * appender never modifies {@code h}; a chunk may recode itself (new buckets) and then
     * {@link Chunk#bytes()} changes to a new array.
     *
     * @throws UnsupportedOperationException on an XOR chunk
     * @throws IllegalArgumentException if {@code h} is malformed, or has fractional counts for an
     *     integer-count chunk
     */
    boolean appendHistogram(long t, FloatHistogram h);

    /**
     * The counter-reset header a new chunk starting with {@code h} should carry, seen from this
     * chunk's last sample: used when {@link #appendHistogram} refused {@code h}, and when the head
     * cuts a chunk for size. {@link CounterResetHeader#UNKNOWN} for an empty or XOR chunk.
     */
    CounterResetHeader nextChunkHeader(FloatHistogram h);
}
