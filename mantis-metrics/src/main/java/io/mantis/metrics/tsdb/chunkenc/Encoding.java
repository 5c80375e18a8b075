package io.mantis.metrics.tsdb.chunkenc;

/** How a chunk's bytes are laid out; the byte values are stored on disk and never change. */
public enum Encoding {
    XOR(1),
    HISTOGRAM(2),
    FLOAT_HISTOGRAM(3),
    /**
     * Float samples of blocks, Mantis-only (docs/format/chunks.md): far from Prometheus' small
     * numbers and below its 0x80 out-of-order flag, so a future Prometheus encoding cannot mean
     * the same byte.
     */
    DECIMAL(0x4D);

    private final byte value;

    Encoding(int value) {
        this.value = (byte) value;
    }

    /** Whether the chunks hold float samples (as opposed to native histograms). */
    public boolean isFloat() {
        return this == XOR || this == DECIMAL;
    }

    /** The byte stored next to a chunk in segment files. */
    public byte byteValue() {
        return value;
    }

    /**
     * The encoding of a stored byte.
     *
     * @throws IllegalArgumentException for a byte no encoding has
     */
    public static Encoding fromByte(int b) {
        return switch (b & 0xff) {
            case 1 -> XOR;
            case 2 -> HISTOGRAM;
            case 3 -> FLOAT_HISTOGRAM;
            case 0x4D -> DECIMAL;
            default -> throw new IllegalArgumentException("unknown chunk encoding " + (b & 0xff));
        };
    }

    /** Whether {@code b} is a byte {@link #fromByte} accepts. */
    public static boolean isKnown(int b) {
        int v = b & 0xff;
        return (v >= 1 && v <= 3) || v == 0x4D;
    }
}
