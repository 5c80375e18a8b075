package io.mantis.metrics.tsdb.chunkenc;

import java.nio.ByteBuffer;

/**
 * A compressed run of samples of one series (docs/format/chunks.md). A chunk is either open for
 * appends (created empty, bytes on the heap) or read from disk ({@link #wrap}), in which case its
 * bytes are not copied until someone asks for an appender.
 *
 * <p>Not thread-safe for appends. Readers may iterate concurrently with the owner's appends if the
 * owner publishes safely (e.g. under a lock): an iterator reads the sample count once, and bits
 * of samples already appended never change; a recode writes a new array.
 */
public interface Chunk {

    /** The most samples a chunk can count in its 16-bit header. */
    int MAX_SAMPLES = 0xffff;

    Encoding encoding();

    int numSamples();

    /** Length of {@link #bytes()}: what the chunk takes on disk, without framing. */
    int sizeBytes();

    /**
     * The chunk's bytes as a read-only buffer from position 0 to its limit, a view, not a copy.
     * Appends after this call are not reflected.
     */
    ByteBuffer bytes();

    /** A chunk over a private copy of this chunk's current bytes, unaffected by later appends. */
    Chunk copy();

    /**
     * An appender continuing after the last sample. For a non-empty chunk this re-encodes the
     * existing samples once to rebuild the encoder state (and takes a private copy of wrapped
     * bytes). Use one appender per chunk at a time.
     */
    ChunkAppender appender();

    /**
     * An iterator over the samples, reusing {@code reuse} (and its arrays) when it is an iterator
     * of this chunk's encoding; {@code reuse} may be null.
     */
    ChunkIterator iterator(ChunkIterator reuse);

    /** The histogram chunk's counter-reset header; {@link CounterResetHeader#UNKNOWN} for XOR. */
    default CounterResetHeader counterResetHeader() {
        return CounterResetHeader.UNKNOWN;
    }

    /**
     * Sets a histogram chunk's counter-reset header, normally right after creating it with the
     * value from the previous chunk's {@link ChunkAppender#nextChunkHeader}.
     *
     * @throws UnsupportedOperationException for XOR chunks and for wrapped (read-only) chunks
     */
    default void setCounterResetHeader(CounterResetHeader header) {
        throw new UnsupportedOperationException(encoding() + " chunks have no counter-reset header");
    }

    /**
     * A new, empty chunk of the encoding, open for appends.
     *
     * @throws IllegalArgumentException for {@link Encoding#DECIMAL}, which is written whole by
     *     {@link DecimalChunk.Encoder}
     */
    static Chunk create(Encoding encoding) {
        return switch (encoding) {
            case XOR -> new XorChunk();
            case HISTOGRAM -> new HistogramChunk();
            case FLOAT_HISTOGRAM -> new FloatHistogramChunk();
            case DECIMAL -> throw new IllegalArgumentException("decimal chunks are written whole, not appended to");
        };
    }

    /** A chunk without a writer of its own, since it is about to read someone else's bytes. */
    private static BitChunk forWrapping(Encoding encoding) {
        return switch (encoding) {
            case XOR -> new XorChunk(false);
            case DECIMAL -> new DecimalChunk();
            default -> (BitChunk) create(encoding);
        };
    }

    /**
     * A chunk reading {@code length} bytes of {@code bytes} from {@code offset}, not copied: the
     * caller must not change them while the chunk is in use.
     *
     * @throws CorruptChunkException if the bytes are too short for the encoding's header
     */
    static Chunk wrap(Encoding encoding, byte[] bytes, int offset, int length) {
        BitChunk c = forWrapping(encoding);
        c.wrapArray(bytes, offset, length);
        return c;
    }

    /**
     * A chunk reading the bytes between {@code buffer}'s position and limit, not copied (a
     * memory-mapped segment slice stays a view of the mapping). The buffer's position and limit
     * are not used afterwards and may change.
     *
     * @throws CorruptChunkException if the bytes are too short for the encoding's header
     */
    static Chunk wrap(Encoding encoding, ByteBuffer buffer) {
        BitChunk c = forWrapping(encoding);
        c.wrapBuffer(buffer.slice());
        return c;
    }
}
