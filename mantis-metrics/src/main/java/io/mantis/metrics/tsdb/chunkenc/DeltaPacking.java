package io.mantis.metrics.tsdb.chunkenc;

/**
 * The integer-sequence codec of decimal chunks (docs/format/chunks.md, "packed sequence"): the
 * sequence is differenced zero, one or two times, and the residuals are bit-packed in groups,
 * each group as a base (its minimum) plus fixed-width offsets. The writer tries every order and
 * group size and keeps the shortest, which is cheap next to writing a block and lets a regular
 * series (exact scrape intervals, constant values) cost a few bits per group.
 *
 * <p>All arithmetic wraps around 64 bits, so any sequence of longs round-trips whatever its range.
 */
final class DeltaPacking {

    /** Highest difference order. */
    static final int MAX_ORDER = 2;
    /** Group sizes tried by the writer: 2^MIN_GROUP_LOG .. 2^MAX_GROUP_LOG samples. */
    private static final int MIN_GROUP_LOG = 3;
    private static final int MAX_GROUP_LOG = 15;
    /** Bits of a length-prefixed field's length. */
    private static final int LENGTH_BITS = 7;

    private DeltaPacking() {
    }

    /** Zig-zag: small magnitudes of either sign become small unsigned numbers. */
    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long u) {
        return (u >>> 1) ^ -(u & 1);
    }

    static int bitLength(long u) {
        return 64 - Long.numberOfLeadingZeros(u);
    }

    /** An unsigned value as a 7-bit length and that many bits. */
    static void putLengthPrefixed(BitWriter w, long u) {
        int len = bitLength(u);
        w.writeBits(len, LENGTH_BITS);
        w.writeBits(u, len);
    }

    static long readLengthPrefixed(BitReader r) {
        int len = (int) r.readBits(LENGTH_BITS);
        if (len > 64) {
            throw new CorruptChunkException("length-prefixed field of " + len + " bits");
        }
        return len == 0 ? 0 : r.readBits(len);
    }

    /**
     * Writes {@code x[0..n)}; {@code scratch} must hold at least {@code n} longs and is
     * overwritten.
     */
    static void write(BitWriter w, long[] x, int n, long[] scratch) {
        int bestOrder = 0;
        int bestLog = MIN_GROUP_LOG;
        long bestBits = Long.MAX_VALUE;
        for (int order = 0; order <= Math.min(MAX_ORDER, n); order++) {
            residuals(x, n, order, scratch);
            for (int g = MIN_GROUP_LOG; g <= MAX_GROUP_LOG; g++) {
                long bits = headBits(x, n, order) + groupBits(scratch, order, n, g);
                if (bits < bestBits) {
                    bestBits = bits;
                    bestOrder = order;
                    bestLog = g;
                }
                if ((1 << g) >= n - order) {
                    break; // one group already holds them all
                }
            }
        }
        residuals(x, n, bestOrder, scratch);
        w.writeBits(bestOrder, 2);
        w.writeBits(bestLog, 4);
        if (bestOrder >= 1 && n >= 1) {
            putLengthPrefixed(w, zigzag(x[0]));
        }
        if (bestOrder >= 2 && n >= 2) {
            putLengthPrefixed(w, zigzag(x[1] - x[0]));
        }
        int size = 1 << bestLog;
        for (int from = bestOrder; from < n; from += size) {
            int to = Math.min(n, from + size);
            long min = scratch[from];
            for (int i = from + 1; i < to; i++) {
                min = Math.min(min, scratch[i]);
            }
            long span = 0;
            for (int i = from; i < to; i++) {
                span |= scratch[i] - min;
            }
            int width = bitLength(span);
            w.writeBits(width, LENGTH_BITS);
            putLengthPrefixed(w, zigzag(min));
            if (width > 0) {
                for (int i = from; i < to; i++) {
                    w.writeBits(scratch[i] - min, width);
                }
            }
        }
    }

    /**
     * Residuals of the given order into {@code r[order..n)}. The span of a group is computed as
     * the OR of offsets from the minimum: it has the same bit length as the largest offset.
     */
    private static void residuals(long[] x, int n, int order, long[] r) {
        for (int i = order; i < n; i++) {
            r[i] = switch (order) {
                case 0 -> x[i];
                case 1 -> x[i] - x[i - 1];
                default -> (x[i] - x[i - 1]) - (x[i - 1] - x[i - 2]);
            };
        }
    }

    private static long headBits(long[] x, int n, int order) {
        long bits = 6;
        if (order >= 1 && n >= 1) {
            bits += LENGTH_BITS + bitLength(zigzag(x[0]));
        }
        if (order >= 2 && n >= 2) {
            bits += LENGTH_BITS + bitLength(zigzag(x[1] - x[0]));
        }
        return bits;
    }

    private static long groupBits(long[] r, int order, int n, int log) {
        int size = 1 << log;
        long bits = 0;
        for (int from = order; from < n; from += size) {
            int to = Math.min(n, from + size);
            long min = r[from];
            for (int i = from + 1; i < to; i++) {
                min = Math.min(min, r[i]);
            }
            long span = 0;
            for (int i = from; i < to; i++) {
                span |= r[i] - min;
            }
            bits += 2L * LENGTH_BITS + bitLength(zigzag(min)) + (long) bitLength(span) * (to - from);
        }
        return bits;
    }

    /** Reads {@code n} values into {@code out[0..n)}. */
    static void read(BitReader r, long[] out, int n) {
        int order = (int) r.readBits(2);
        int log = (int) r.readBits(4);
        if (order > MAX_ORDER) {
            throw new CorruptChunkException("packed sequence of difference order " + order);
        }
        if (order >= 1 && n >= 1) {
            out[0] = unzigzag(readLengthPrefixed(r));
        }
        if (order >= 2 && n >= 2) {
            out[1] = out[0] + unzigzag(readLengthPrefixed(r));
        }
        int size = 1 << log;
        for (int from = order; from < n; from += size) {
            int to = Math.min(n, from + size);
            int width = (int) r.readBits(LENGTH_BITS);
            if (width > 64) {
                throw new CorruptChunkException("packed group of " + width + "-bit values");
            }
            long base = unzigzag(readLengthPrefixed(r));
            for (int i = from; i < to; i++) {
                long res = width == 0 ? base : base + r.readBits(width);
                out[i] = switch (order) {
                    case 0 -> res;
                    case 1 -> out[i - 1] + res;
                    default -> 2 * out[i - 1] - out[i - 2] + res;
                };
            }
        }
    }
}
