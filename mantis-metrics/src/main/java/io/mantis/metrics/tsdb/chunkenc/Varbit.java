package io.mantis.metrics.tsdb.chunkenc;

/**
 * The bit-level building blocks of docs/format/chunks.md: varbit integers, the XOR float
 * encoding, zero thresholds and custom bounds.
 */
final class Varbit {
    /** XOR window of a field that has not written one yet (writers only). */
    static final int NO_WINDOW = -1;

    private static final int[] WIDTHS = {0, 3, 6, 9, 12, 18, 25, 56, 64};

    private Varbit() {
    }

    /** Whether {@code x} fits an n-bit payload of the shifted two's-complement ranges. */
    static boolean bitRange(long x, int nbits) {
        return -((1L << (nbits - 1)) - 1) <= x && x <= 1L << (nbits - 1);
    }

    static void putInt(BitWriter w, long v) {
        if (v == 0) {
            w.writeBit(false);
            return;
        }
        for (int row = 1; row < 8; row++) {
            if (bitRange(v, WIDTHS[row])) {
                putRow(w, row, v);
                return;
            }
        }
        putRow(w, 8, v);
    }

    static void putUint(BitWriter w, long v) {
        if (v == 0) {
            w.writeBit(false);
            return;
        }
        int bits = 64 - Long.numberOfLeadingZeros(v);
        for (int row = 1; row < 8; row++) {
            if (bits <= WIDTHS[row]) {
                putRow(w, row, v);
                return;
            }
        }
        putRow(w, 8, v);
    }

    private static void putRow(BitWriter w, int row, long v) {
        // Prefix: `row` one bits then a zero, except the last row which has eight ones.
        int prefixLen = row == 8 ? 8 : row + 1;
        long prefix = row == 8 ? 0xff : ((1L << row) - 1) << 1;
        w.writeBits(prefix, prefixLen);
        w.writeBits(v, WIDTHS[row]);
    }

    private static int readRow(BitReader r) {
        int row = 0;
        while (row < 8 && r.readBit()) {
            row++;
        }
        return row;
    }

    static long readInt(BitReader r) {
        int row = readRow(r);
        if (row == 0) {
            return 0;
        }
        int sz = WIDTHS[row];
        long bits = r.readBits(sz);
        if (sz < 64 && bits > (1L << (sz - 1))) {
            bits -= 1L << sz;
        }
        return bits;
    }

    static long readUint(BitReader r) {
        int row = readRow(r);
        return row == 0 ? 0 : r.readBits(WIDTHS[row]);
    }

    /**
     * Writes {@code v} XOR'd against {@code prev} (raw bits) and returns the field's new window
     * ({@code leading << 8 | trailing}, or {@link #NO_WINDOW}).
     */
    static int putXor(BitWriter w, long v, long prev, int window) {
        long x = v ^ prev;
        if (x == 0) {
            w.writeBit(false);
            return window;
        }
        w.writeBit(true);
        int leading = Math.min(Long.numberOfLeadingZeros(x), 31);
        int trailing = Long.numberOfTrailingZeros(x);
        if (window != NO_WINDOW) {
            int wl = window >>> 8;
            int wt = window & 0xff;
            if (leading >= wl && trailing >= wt) {
                w.writeBit(false);
                w.writeBits(x >>> wt, 64 - wl - wt);
                return window;
            }
        }
        w.writeBit(true);
        w.writeBits(leading, 5);
        int sig = 64 - leading - trailing;
        w.writeBits(sig & 63, 6);
        w.writeBits(x >>> trailing, sig);
        return leading << 8 | trailing;
    }

    static double zeroThreshold(BitReader r) {
        int b = r.readByte();
        if (b == 0) {
            return 0;
        }
        if (b == 255) {
            return Double.longBitsToDouble(r.readBits(64));
        }
        return Math.scalb(0.5, b - 243);
    }

    static void putZeroThreshold(BitWriter w, double threshold) {
        if (threshold == 0 && Double.doubleToRawLongBits(threshold) == 0) {
            w.writeByte(0);
            return;
        }
        int exp = Math.getExponent(threshold) + 1; // threshold = 0.5 * 2^exp when a power of two
        boolean powerOfTwo = threshold > 0 && Double.isFinite(threshold)
                && threshold == Math.scalb(0.5, exp);
        if (!powerOfTwo || exp < -242 || exp > 11) {
            w.writeByte(255);
            w.writeBits(Double.doubleToRawLongBits(threshold), 64);
            return;
        }
        w.writeByte(exp + 243);
    }

    static void putCustomBound(BitWriter w, double b) {
        double scaled = b * 1000;
        if (scaled >= 0 && scaled <= 33554430 && wholeWhenTimes1000(b)) {
            putUint(w, Math.round(scaled) + 1);
        } else {
            w.writeBit(false);
            w.writeBits(Double.doubleToRawLongBits(b), 64);
        }
    }

    private static boolean wholeWhenTimes1000(double b) {
        long i = Math.round(b * 1000);
        return i >= 0 && (double) i / 1000 == b;
    }

    static double customBound(BitReader r) {
        long u = readUint(r);
        if (u == 0) {
            return Double.longBitsToDouble(r.readBits(64));
        }
        return (double) (u - 1) / 1000;
    }
}
