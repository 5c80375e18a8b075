package io.mantis.metrics.tsdb.chunks;

/** The two kinds of chunk segment file (docs/format/chunks.md), told apart by their magic. */
public enum SegmentKind {
    /** A block's {@code chunks/} files: frames of length, encoding, data, checksum. */
    BLOCK(0x85BD40DD, 0),
    /** The head's memory-mapped full chunks: each frame also names its series and time range. */
    HEAD(0x4D484348, 24);

    private final int magic;
    private final int prefixBytes;

    SegmentKind(int magic, int prefixBytes) {
        this.magic = magic;
        this.prefixBytes = prefixBytes;
    }

    public int magic() {
        return magic;
    }

    /** Bytes of series reference, min and max time before each frame's length. */
    int prefixBytes() {
        return prefixBytes;
    }

    static SegmentKind ofMagic(int magic) {
        for (SegmentKind k : values()) {
            if (k.magic == magic) {
                return k;
            }
        }
        return null;
    }
}
