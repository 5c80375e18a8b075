package io.mantis.metrics.tsdb.chunkenc;

/**
 * The integer-sequence codec of decimal chunks (docs/format/chunks.md, "packed sequence"): the
 * sequence is differenced zero, one or two times, and the residuals are bit-packed in groups,
 * each group as a base (its minimum) plus fixed-width offsets. The writer tries every order and
 * group size and keeps the shortest, which is cheap next to writing a block and lets a regular
 * series (exact scrape intervals, constant values) cost a few bits per group.
 *
 * <p>All arithmetic wraps around 64 bits, so any sequence of longs round-trips whatever its range.
 * Reading is static; a writer instance keeps scratch arrays and is not thread-safe.
 */
final class DeltaPacking {

    /** Highest difference order. */
    static final int MAX_ORDER = 2;
    /**
     * The "order" value of the per-group trend form: each group stores a slope, and the residuals
     * are the values minus that line (counters growing at a steady rate with jittered scrapes,
     * gauges drifting smoothly).
     */
    static final int LINEAR = 3;
    /** Slopes are fixed-point numbers with this many fraction bits. */
    static final int SLOPE_FRACTION_BITS = 8;
    private static final int MIN_LINEAR_LOG = 4;
    private static final int MAX_LINEAR_LOG = 9;
    /** Group sizes tried by the writer: 2^MIN_GROUP_LOG .. 2^MAX_GROUP_LOG samples. */
    private static final int MIN_GROUP_LOG = 3;
    private static final int MAX_GROUP_LOG = 15;
    /** Bits of a length-prefixed field's length. */
    private static final int LENGTH_BITS = 7;

    /** Scratch of the writer's size search; an instance writes, one thread at a time. */
    private long[] groupMin = new long[0];
    private long[] groupMax = new long[0];
    private int[] groupLen = new int[0];

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
    void write(BitWriter w, long[] x, int n, long[] scratch) {
        int bestOrder = 0;
        int bestLog = MIN_GROUP_LOG;
        long bestBits = Long.MAX_VALUE;
        for (int order = 0; order <= Math.min(MAX_ORDER, n); order++) {
            residuals(x, n, order, scratch);
            int count = n - order;
            // Smallest groups first, from the residuals; each larger size merges pairs of the
            // previous size's (min, max), so trying every size costs little more than one pass.
            int groups = (count + (1 << MIN_GROUP_LOG) - 1) >>> MIN_GROUP_LOG;
            if (groupMin.length < groups) {
                groupMin = new long[groups];
                groupMax = new long[groups];
                groupLen = new int[groups];
            }
            long[] mins = groupMin;
            long[] maxs = groupMax;
            int[] lens = groupLen;
            for (int gi = 0; gi < groups; gi++) {
                int from = order + (gi << MIN_GROUP_LOG);
                int to = Math.min(n, from + (1 << MIN_GROUP_LOG));
                long mn = scratch[from];
                long mx = mn;
                for (int i = from + 1; i < to; i++) {
                    long r = scratch[i];
                    mn = Math.min(mn, r);
                    mx = Math.max(mx, r);
                }
                mins[gi] = mn;
                maxs[gi] = mx;
                lens[gi] = to - from;
            }
            long head = headBits(x, n, order);
            for (int g = MIN_GROUP_LOG; g <= MAX_GROUP_LOG; g++) {
                long bits = head;
                for (int gi = 0; gi < groups; gi++) {
                    bits += 2L * LENGTH_BITS + bitLength(zigzag(mins[gi]))
                            + (long) bitLength(maxs[gi] - mins[gi]) * lens[gi];
                }
                if (bits < bestBits) {
                    bestBits = bits;
                    bestOrder = order;
                    bestLog = g;
                }
                if (groups <= 1) {
                    break; // one group already holds them all
                }
                int merged = (groups + 1) >>> 1;
                for (int gi = 0; gi < merged; gi++) {
                    int a = 2 * gi;
                    int b = a + 1;
                    if (b < groups) {
                        mins[gi] = Math.min(mins[a], mins[b]);
                        maxs[gi] = Math.max(maxs[a], maxs[b]);
                        lens[gi] = lens[a] + lens[b];
                    } else {
                        mins[gi] = mins[a];
                        maxs[gi] = maxs[a];
                        lens[gi] = lens[a];
                    }
                }
                groups = merged;
            }
        }
        // Below a bit per value (exact intervals, constants) a trend line has nothing to win.
        if (n >= 1 << MIN_LINEAR_LOG && bestBits > n) {
            for (int g = MIN_LINEAR_LOG; g <= MAX_LINEAR_LOG; g++) {
                long bits = linear(null, x, n, g);
                if (bits < bestBits) {
                    bestBits = bits;
                    bestOrder = LINEAR;
                    bestLog = g;
                }
                if ((1 << g) >= n) {
                    break;
                }
            }
        }
        if (bestOrder == LINEAR) {
            w.writeBits(LINEAR, 2);
            w.writeBits(bestLog, 4);
            linear(w, x, n, bestLog);
            return;
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
     * The per-group trend form with groups of 2^g: written to {@code w} when it is not null, and
     * its size in bits returned either way.
     */
    private static long linear(BitWriter w, long[] x, int n, int g) {
        long bits = 6;
        int size = 1 << g;
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            long slope = fitSlope(x, from, to);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = from; i < to; i++) {
                long r = x[i] - trend(slope, i - from);
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            int width = bitLength(max - min);
            bits += 3L * LENGTH_BITS + bitLength(zigzag(min)) + bitLength(zigzag(slope)) + (long) width * (to - from);
            if (w != null) {
                w.writeBits(width, LENGTH_BITS);
                putLengthPrefixed(w, zigzag(min));
                putLengthPrefixed(w, zigzag(slope));
                if (width > 0) {
                    for (int i = from; i < to; i++) {
                        w.writeBits(x[i] - trend(slope, i - from) - min, width);
                    }
                }
            }
        }
        return bits;
    }

    /** The trend line's offset at position k of a group; wrapping, as the reader computes it. */
    static long trend(long slope, int k) {
        return (slope * k) >> SLOPE_FRACTION_BITS;
    }

    /** Least-squares slope of the group as a fixed-point number (an estimate: any slope decodes). */
    private static long fitSlope(long[] x, int from, int to) {
        int len = to - from;
        if (len < 2) {
            return 0;
        }
        double meanK = (len - 1) / 2.0;
        double sxx = 0;
        double sxy = 0;
        for (int i = from; i < to; i++) {
            double k = (i - from) - meanK;
            sxx += k * k;
            sxy += k * (double) (x[i] - x[from]);
        }
        double slope = Math.scalb(sxy / sxx, SLOPE_FRACTION_BITS);
        if (!(Math.abs(slope) < 0x1p55)) {
            return 0;
        }
        return Math.round(slope);
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

    private static void readLinear(BitReader r, long[] out, int n, int log) {
        int size = 1 << log;
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            int width = (int) r.readBits(LENGTH_BITS);
            if (width > 64) {
                throw new CorruptChunkException("packed group of " + width + "-bit values");
            }
            long base = unzigzag(readLengthPrefixed(r));
            long slope = unzigzag(readLengthPrefixed(r));
            if (width == 0) {
                for (int i = from; i < to; i++) {
                    out[i] = base + trend(slope, i - from);
                }
            } else {
                for (int i = from; i < to; i++) {
                    out[i] = base + r.readBits(width) + trend(slope, i - from);
                }
            }
        }
    }

    /** Reads {@code n} values into {@code out[0..n)}. */
    static void read(BitReader r, long[] out, int n) {
        int order = (int) r.readBits(2);
        int log = (int) r.readBits(4);
        if (order == LINEAR) {
            readLinear(r, out, n, log);
            return;
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
            // One loop per case: this is a query's inner loop, and exact intervals and constant
            // values (width 0) are the common case.
            if (width == 0) {
                switch (order) {
                    case 0 -> java.util.Arrays.fill(out, from, to, base);
                    case 1 -> {
                        for (int i = from; i < to; i++) {
                            out[i] = out[i - 1] + base;
                        }
                    }
                    default -> {
                        for (int i = from; i < to; i++) {
                            out[i] = 2 * out[i - 1] - out[i - 2] + base;
                        }
                    }
                }
            } else {
                switch (order) {
                    case 0 -> {
                        for (int i = from; i < to; i++) {
                            out[i] = base + r.readBits(width);
                        }
                    }
                    case 1 -> {
                        for (int i = from; i < to; i++) {
                            out[i] = out[i - 1] + base + r.readBits(width);
                        }
                    }
                    default -> {
                        for (int i = from; i < to; i++) {
                            out[i] = 2 * out[i - 1] - out[i - 2] + base + r.readBits(width);
                        }
                    }
                }
            }
        }
    }
}
