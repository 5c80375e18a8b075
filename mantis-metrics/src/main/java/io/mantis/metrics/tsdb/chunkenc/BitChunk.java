package io.mantis.metrics.tsdb.chunkenc;

import java.nio.ByteBuffer;

/**
 * Storage shared by the bit-stream encodings: either a {@link BitWriter} of our own (open for
 * appends) or wrapped bytes from elsewhere (read-only until an appender is requested).
 */
abstract sealed class BitChunk implements Chunk permits XorChunk, DecimalChunk, AbstractHistogramChunk {
    BitWriter writer;
    private byte[] array;
    private int offset;
    private int length;
    private ByteBuffer buffer;

    BitChunk() {
        this(true);
    }

    /** @param open whether to start with an empty writer; false when bytes are wrapped right after */
    BitChunk(boolean open) {
        if (open) {
            writer = new BitWriter(initialCapacity(), headerBytes());
        }
    }

    abstract int headerBytes();

    abstract int initialCapacity();

    final void wrapArray(byte[] bytes, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, bytes.length);
        checkHeader(len);
        writer = null;
        array = bytes;
        offset = off;
        length = len;
        buffer = null;
    }

    final void wrapBuffer(ByteBuffer slice) {
        checkHeader(slice.remaining());
        writer = null;
        array = null;
        buffer = slice;
        offset = 0;
        length = slice.remaining();
    }

    private void checkHeader(int len) {
        if (len < headerBytes()) {
            throw new CorruptChunkException(encoding() + " chunk of " + len + " bytes is shorter than its "
                    + headerBytes() + "-byte header");
        }
    }

    /** Replaces the storage with a fresh writer (used by re-encoding). */
    final void adopt(BitWriter w) {
        writer = w;
        array = null;
        buffer = null;
    }

    final int byteAt(int i) {
        if (writer != null) {
            return writer.array()[i] & 0xff;
        }
        return (array != null ? array[offset + i] : buffer.get(i)) & 0xff;
    }

    @Override
    public final int numSamples() {
        return byteAt(0) << 8 | byteAt(1);
    }

    @Override
    public final int sizeBytes() {
        return writer != null ? writer.byteLength() : length;
    }

    @Override
    public final ByteBuffer bytes() {
        if (writer != null) {
            return ByteBuffer.wrap(writer.array(), 0, writer.byteLength()).slice().asReadOnlyBuffer();
        }
        if (array != null) {
            return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
        }
        return buffer.duplicate().clear().asReadOnlyBuffer();
    }

    @Override
    public final Chunk copy() {
        byte[] c;
        if (writer != null) {
            c = java.util.Arrays.copyOf(writer.array(), writer.byteLength());
        } else if (array != null) {
            c = java.util.Arrays.copyOfRange(array, offset, offset + length);
        } else {
            c = new byte[length];
            buffer.get(0, c, 0, length);
        }
        return Chunk.wrap(encoding(), c, 0, c.length);
    }

    /** Points {@code r} at the bit stream after the header; returns the sample count read now. */
    final int resetReader(BitReader r) {
        int n = numSamples();
        int h = headerBytes();
        if (writer != null) {
            r.reset(writer.array(), h, writer.byteLength());
        } else if (array != null) {
            r.reset(array, offset + h, offset + length);
        } else {
            r.reset(buffer, h, length);
        }
        return n;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{samples=" + numSamples() + ", bytes=" + sizeBytes() + '}';
    }
}
