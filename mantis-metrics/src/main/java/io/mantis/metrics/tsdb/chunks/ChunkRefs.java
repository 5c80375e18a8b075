package io.mantis.metrics.tsdb.chunks;

/** Chunk references: {@code (segment number - 1) << 32 | offset of the frame in the segment}. */
public final class ChunkRefs {
    private ChunkRefs() {
    }

    public static long ref(int segmentNumber, int offset) {
        return ((long) (segmentNumber - 1) << 32) | (offset & 0xffffffffL);
    }

    /** The file number (1 for {@code 000001}). */
    public static int segmentNumber(long ref) {
        return (int) (ref >>> 32) + 1;
    }

    public static int offset(long ref) {
        return (int) ref;
    }

    /** The file name of a segment number: at least six digits, zero-padded. */
    public static String fileName(int segmentNumber) {
        return String.format("%06d", segmentNumber);
    }
}
