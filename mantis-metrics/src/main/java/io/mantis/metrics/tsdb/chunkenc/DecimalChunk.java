package io.mantis.metrics.tsdb.chunkenc;

import io.mantis.metrics.model.FloatHistogram;
import java.util.Arrays;

/**
 * Float samples for blocks, written in one piece (docs/format/chunks.md, encoding DECIMAL):
 * timestamps and values are turned into integer sequences and bit-packed by {@link DeltaPacking}.
 * Values become integers as decimal mantissas with one exponent per chunk ({@code 0.07} is 7 at
 * scale 2), since exporters print short decimals, or as binary mantissas with one power of two per
 * chunk, for clocks and other values of one binade; the few values that convert neither way
 * (NaNs, staleness markers, infinities, -0.0) are listed aside as raw bits. Where neither pays
 * (full-precision noise), the values are XOR'd as in {@link XorChunk}. Every value comes back bit
 * for bit: the writer checks each conversion by decoding it.
 *
 * <p>The chunk is read-only: the head appends to XOR chunks, and blocks are written from whole
 * series, so there is no appender. An iterator decodes the whole chunk into arrays on its first
 * step; then stepping is an array read.
 */
public final class DecimalChunk extends BitChunk {
    private static final int HEADER = 2;

    static final int VALUES_XOR = 0;
    static final int VALUES_DECIMAL = 1;
    static final int VALUES_BINARY = 2;
    static final int VALUES_SPLIT = 3;
    private static final long SIGNIFICAND_MASK = (1L << 52) - 1;

    /** Decimal scales s in [-MAX_SCALE, MAX_SCALE]: 10^s must be an exact double. */
    static final int MAX_SCALE = 22;
    private static final int SCALE_BITS = 6;
    /** Binary scales k in [MIN_BINARY_SCALE, MAX_BINARY_SCALE]: the lowest to highest bit of a double. */
    static final int MIN_BINARY_SCALE = -1074;
    static final int MAX_BINARY_SCALE = 1023;
    private static final int BINARY_SCALE_BITS = 12;

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long[] LONG_POW10 = {1L, 10L, 100L, 1000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
        100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L,
        1_000_000_000_000_000_000L};

    DecimalChunk() {
        super(false);
    }

    @Override
    int headerBytes() {
        return HEADER;
    }

    @Override
    int initialCapacity() {
        return 64;
    }

    @Override
    public Encoding encoding() {
        return Encoding.DECIMAL;
    }

    /** @throws UnsupportedOperationException always: decimal chunks are written whole by {@link Encoder} */
    @Override
    public ChunkAppender appender() {
        throw new UnsupportedOperationException("decimal chunks are read-only; write them with DecimalChunk.Encoder");
    }

    @Override
    public ChunkIterator iterator(ChunkIterator reuse) {
        Iterator it = reuse instanceof Iterator x ? x : new Iterator();
        it.reset(this);
        return it;
    }

    /** The value of decimal mantissa {@code m} at scale {@code s}; the writer and the reader share it. */
    static double decimal(long m, int s) {
        return s >= 0 ? (double) m / POW10[s] : (double) m * POW10[-s];
    }

    static double binary(long m, int k) {
        return Math.scalb((double) m, k);
    }

    /** Encodes {@code count} samples (1 to {@link Chunk#MAX_SAMPLES}) in one call. */
    public static DecimalChunk encode(long[] ts, double[] vs, int count) {
        return new Encoder().encode(ts, vs, count);
    }

    /**
     * Writes decimal chunks, reusing its scratch arrays between chunks. Not thread-safe. The writer
     * tries every value form and keeps the shortest, so a chunk is never much larger than its XOR
     * form (a few bits of framing).
     */
    public static final class Encoder {
        private long[] ints = new long[0];
        private long[] scratch = new long[0];
        private long[] bits = new long[0];
        private int[] scales = new int[0];
        private boolean[] exception = new boolean[0];
        private final DeltaPacking packer = new DeltaPacking();
        private BitWriter best;

        /**
         * A chunk of samples {@code (ts[i], vs[i])}, {@code i < count}. Timestamps should increase
         * (the format also represents others).
         *
         * @throws IllegalArgumentException if {@code count} is not between 1 and {@link Chunk#MAX_SAMPLES}
         */
        public DecimalChunk encode(long[] ts, double[] vs, int count) {
            return encode(ts, vs, 0, count);
        }

        /** A chunk of samples {@code (ts[i], vs[i])}, {@code from <= i < from + count}. */
        public DecimalChunk encode(long[] ts, double[] vs, int from, int count) {
            java.util.Objects.checkFromIndexSize(from, count, Math.min(ts.length, vs.length));
            if (count < 1 || count > MAX_SAMPLES) {
                throw new IllegalArgumentException("decimal chunk of " + count + " samples, not 1 to " + MAX_SAMPLES);
            }
            ensure(count);
            BitWriter head = new BitWriter(count * 2 + 16, HEADER);
            head.putUint16(0, count);
            System.arraycopy(ts, from, ints, 0, count);
            packer.write(head, ints, count, scratch);
            for (int i = 0; i < count; i++) {
                bits[i] = Double.doubleToRawLongBits(vs[from + i]);
            }
            // Each candidate continues the timestamps' bits; the shortest one wins.
            BitWriter xor = copy(head, count * 9 + 16);
            writeXor(xor, count);
            best = xor;
            BitWriter dec = copy(head, count * 4 + 16);
            if (writeDecimal(dec, count) && dec.bitLength() < best.bitLength()) {
                best = dec;
            }
            BitWriter bin = copy(head, count * 4 + 16);
            if (writeBinary(bin, count) && bin.bitLength() < best.bitLength()) {
                best = bin;
            }
            // The split form keeps every significand bit a value has: it only wins over values
            // that cost a few bytes each in the other forms.
            if (best.bitLength() - head.bitLength() > 16L * count) {
                BitWriter split = copy(head, count * 8 + 16);
                writeSplit(split, count);
                if (split.bitLength() < best.bitLength()) {
                    best = split;
                }
            }
            byte[] out = Arrays.copyOf(best.array(), best.byteLength());
            DecimalChunk c = new DecimalChunk();
            c.adopt(new BitWriter(out, best.bitLength()));
            return c;
        }

        private void ensure(int n) {
            if (ints.length < n) {
                int cap = Math.max(n, 128);
                ints = new long[cap];
                scratch = new long[cap];
                bits = new long[cap];
                scales = new int[cap];
                exception = new boolean[cap];
            }
        }

        private static BitWriter copy(BitWriter w, int extra) {
            byte[] b = Arrays.copyOf(w.array(), w.byteLength() + extra);
            return new BitWriter(b, w.bitLength());
        }

        private void writeXor(BitWriter w, int n) {
            w.writeBits(VALUES_XOR, 2);
            w.writeBits(bits[0], 64);
            int window = Varbit.NO_WINDOW;
            for (int i = 1; i < n; i++) {
                window = Varbit.putXor(w, bits[i], bits[i - 1], window);
            }
        }

        /**
         * Sign and exponent as one sequence, significands as another: full-precision noise
         * keeps its random significand bits but its exponents cost a bit or two, not the XOR
         * window's control bits.
         */
        private void writeSplit(BitWriter w, int n) {
            w.writeBits(VALUES_SPLIT, 2);
            for (int i = 0; i < n; i++) {
                ints[i] = bits[i] >>> 52;
            }
            packer.write(w, ints, n, scratch);
            for (int i = 0; i < n; i++) {
                ints[i] = bits[i] & SIGNIFICAND_MASK;
            }
            packer.write(w, ints, n, scratch);
        }

        /** False when too many values do not convert for the form to pay. */
        private boolean writeDecimal(BitWriter w, int n) {
            int scale = Integer.MIN_VALUE;
            int failed = 0;
            for (int i = 0; i < n; i++) {
                int s = decimalScale(Double.longBitsToDouble(bits[i]), bits[i]);
                scales[i] = s;
                ints[i] = lastMantissa;
                if (s == NO_SCALE) {
                    // Noise fails every value; stop trying early instead of searching every scale.
                    if (++failed > n / 2 || (failed > 16 && failed * 4 > i + 1)) {
                        return false;
                    }
                } else if (s != ANY_SCALE) {
                    scale = Math.max(scale, s);
                }
            }
            if (scale == Integer.MIN_VALUE) {
                scale = 0;
            }
            for (int i = 0; i < n; i++) {
                int s = scales[i];
                boolean ok = s != NO_SCALE;
                if (ok && s != ANY_SCALE) {
                    long m = ints[i];
                    int up = scale - s;
                    if (up > 18) {
                        ok = false;
                    } else if (up > 0) {
                        long hi = Math.multiplyHigh(m, LONG_POW10[up]);
                        long lo = m * LONG_POW10[up];
                        ok = (hi == 0 && lo >= 0) || (hi == -1 && lo < 0);
                        m = lo;
                    }
                    ints[i] = m;
                    ok = ok && Double.doubleToRawLongBits(decimal(m, scale)) == bits[i];
                }
                exception[i] = !ok;
            }
            w.writeBits(VALUES_DECIMAL, 2);
            w.writeBits(scale + MAX_SCALE, SCALE_BITS);
            return writeMantissas(w, n);
        }

        private static final int NO_SCALE = Integer.MIN_VALUE;
        private static final int ANY_SCALE = Integer.MIN_VALUE + 1;

        /**
         * The smallest scale s at which {@code v} is a decimal mantissa (the mantissa is left in
         * {@link #lastMantissa}), {@link #ANY_SCALE} for +0.0, {@link #NO_SCALE} if none.
         */
        private int decimalScale(double v, long raw) {
            if (!Double.isFinite(v) || raw == NEGATIVE_ZERO) {
                return NO_SCALE;
            }
            if (raw == 0) {
                lastMantissa = 0;
                return ANY_SCALE;
            }
            double a = Math.abs(v);
            if (v == Math.rint(v) && a < 0x1p62) {
                long m = (long) v;
                int s = 0;
                // Trailing zeros come off (1.5e9 is 15 at scale -8), so round values stay small.
                while (s > -18 && m % 10 == 0) {
                    long q = m / 10;
                    if (Double.doubleToRawLongBits(decimal(q, s - 1)) != raw) {
                        break;
                    }
                    m = q;
                    s--;
                }
                lastMantissa = m;
                return s;
            }
            if (a >= 0x1p62) {
                for (int s = -1; s >= -MAX_SCALE; s--) {
                    double p = v / POW10[-s];
                    if (Math.abs(p) < 0x1p62) {
                        long m = Math.round(p);
                        if (Double.doubleToRawLongBits(decimal(m, s)) == raw) {
                            lastMantissa = m;
                            return s;
                        }
                    }
                }
                return NO_SCALE;
            }
            for (int s = 1; s <= MAX_SCALE; s++) {
                double p = v * POW10[s];
                if (Math.abs(p) >= 0x1p62) {
                    return NO_SCALE;
                }
                long m = Math.round(p);
                if (Double.doubleToRawLongBits(decimal(m, s)) == raw) {
                    lastMantissa = m;
                    return s;
                }
            }
            return NO_SCALE;
        }

        private long lastMantissa;
        private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);

        private boolean writeBinary(BitWriter w, int n) {
            int k = Integer.MAX_VALUE;
            int failed = 0;
            for (int i = 0; i < n; i++) {
                long raw = bits[i];
                if (!Double.isFinite(Double.longBitsToDouble(raw)) || raw == NEGATIVE_ZERO) {
                    scales[i] = NO_SCALE;
                    if (++failed > n / 2) {
                        return false;
                    }
                    continue;
                }
                if (raw == 0) {
                    scales[i] = ANY_SCALE;
                    continue;
                }
                int exp = (int) ((raw >>> 52) & 0x7ff);
                long sig = raw & 0xfffffffffffffL;
                int e;
                if (exp == 0) {
                    e = -1074;
                } else {
                    sig |= 1L << 52;
                    e = exp - 1075;
                }
                int tz = Long.numberOfTrailingZeros(sig);
                sig >>>= tz;
                e += tz;
                ints[i] = raw < 0 ? -sig : sig;
                scales[i] = e;
                k = Math.min(k, e);
            }
            if (k == Integer.MAX_VALUE) {
                k = 0;
            }
            for (int i = 0; i < n; i++) {
                int e = scales[i];
                boolean ok = e != NO_SCALE;
                if (e == ANY_SCALE) {
                    ints[i] = 0;
                } else if (ok) {
                    int up = e - k;
                    long m = ints[i];
                    ok = up < 63 && DeltaPacking.bitLength(Math.abs(m)) + up <= 62;
                    if (ok) {
                        m <<= up;
                        ints[i] = m;
                        ok = Double.doubleToRawLongBits(binary(m, k)) == bits[i];
                    }
                }
                exception[i] = !ok;
            }
            w.writeBits(VALUES_BINARY, 2);
            w.writeBits(k - MIN_BINARY_SCALE, BINARY_SCALE_BITS);
            return writeMantissas(w, n);
        }

        /**
         * The exception list, then the mantissas with each exception's slot holding the trend of
         * the two before it (or the first convertible mantissa at the start), so that a marker in a
         * counter costs no residual.
         */
        private boolean writeMantissas(BitWriter w, int n) {
            int exceptions = 0;
            int firstOk = -1;
            for (int i = 0; i < n; i++) {
                if (exception[i]) {
                    exceptions++;
                } else if (firstOk < 0) {
                    firstOk = i;
                }
            }
            if (exceptions * 2 > n) {
                return false;
            }
            DeltaPacking.putLengthPrefixed(w, exceptions);
            if (exceptions > 0) {
                int posBits = positionBits(n);
                for (int i = 0; i < n; i++) {
                    if (exception[i]) {
                        w.writeBits(i, posBits);
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (exception[i]) {
                        w.writeBits(bits[i], 64);
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (exception[i]) {
                        ints[i] = i == 0 ? ints[firstOk] : i == 1 ? ints[0] : 2 * ints[i - 1] - ints[i - 2];
                    }
                }
            }
            packer.write(w, ints, n, scratch);
            return true;
        }
    }

    /** Bits of an exception's position in a chunk of {@code n} samples. */
    static int positionBits(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** Decodes a whole chunk into arrays on reset; reusable across decimal chunks. */
    static final class Iterator implements ChunkIterator {
        private final BitReader r = new BitReader();
        private long[] ts = new long[0];
        private long[] vs = new long[0];
        private int total;
        /** Index of the current sample; -1 before the first. */
        private int idx;

        void reset(DecimalChunk c) {
            // Until decoding succeeds the iterator is empty, so a caller catching the exception
            // cannot read half-decoded samples.
            total = 0;
            idx = -1;
            int n = c.resetReader(r);
            if (n == 0) {
                throw new CorruptChunkException("decimal chunk without samples");
            }
            if (ts.length < n) {
                int cap = Math.max(n, 128);
                ts = new long[cap];
                vs = new long[cap];
            }
            DeltaPacking.read(r, ts, n);
            int mode = (int) r.readBits(2);
            switch (mode) {
                case VALUES_XOR -> readXor(n);
                case VALUES_DECIMAL -> {
                    int s = (int) r.readBits(SCALE_BITS) - MAX_SCALE;
                    if (s > MAX_SCALE) {
                        throw new CorruptChunkException("decimal scale " + s + " out of range");
                    }
                    readMantissas(n, s, false);
                }
                case VALUES_BINARY -> {
                    int k = (int) r.readBits(BINARY_SCALE_BITS) + MIN_BINARY_SCALE;
                    if (k > MAX_BINARY_SCALE) {
                        throw new CorruptChunkException("binary scale " + k + " out of range");
                    }
                    readMantissas(n, k, true);
                }
                default -> readSplit(n);
            }
            if (r.bitsRemaining() >= 8) {
                throw new CorruptChunkException("decimal chunk has " + (r.bitsRemaining() / 8)
                        + " bytes after its last sample");
            }
            total = n;
        }

        private void readXor(int n) {
            vs[0] = r.readBits(64);
            r.xorWindow = 0;
            for (int i = 1; i < n; i++) {
                vs[i] = r.readXor(vs[i - 1]);
            }
        }

        private void readSplit(int n) {
            ensureHigh(n);
            DeltaPacking.read(r, high, n);
            DeltaPacking.read(r, vs, n);
            for (int i = 0; i < n; i++) {
                long hi = high[i];
                long lo = vs[i];
                if ((hi & ~0xfffL) != 0 || (lo & ~SIGNIFICAND_MASK) != 0) {
                    throw new CorruptChunkException("split value of sample " + i + " has more than 64 bits");
                }
                vs[i] = hi << 52 | lo;
            }
        }

        private long[] high = new long[0];

        private void ensureHigh(int n) {
            if (high.length < n) {
                high = new long[Math.max(n, 128)];
            }
        }

        private void readMantissas(int n, int scale, boolean binary) {
            long exceptions = DeltaPacking.readLengthPrefixed(r);
            if (exceptions > n) {
                throw new CorruptChunkException(exceptions + " exceptions in a chunk of " + n + " samples");
            }
            int ne = (int) exceptions;
            if (positions.length < ne) {
                positions = new int[Math.max(ne, 16)];
                raws = new long[positions.length];
            }
            int posBits = positionBits(n);
            int prev = -1;
            for (int j = 0; j < ne; j++) {
                int p = posBits == 0 ? 0 : (int) r.readBits(posBits);
                if (p <= prev || p >= n) {
                    throw new CorruptChunkException("exception position " + p + " after " + prev + " in a chunk of "
                            + n + " samples");
                }
                positions[j] = p;
                prev = p;
            }
            for (int j = 0; j < ne; j++) {
                raws[j] = r.readBits(64);
            }
            DeltaPacking.read(r, vs, n);
            if (binary) {
                for (int i = 0; i < n; i++) {
                    vs[i] = Double.doubleToRawLongBits(binary(vs[i], scale));
                }
            } else if (scale >= 0) {
                // As decimal(m, s), with the power looked up once.
                double p = POW10[scale];
                for (int i = 0; i < n; i++) {
                    vs[i] = Double.doubleToRawLongBits((double) vs[i] / p);
                }
            } else {
                double p = POW10[-scale];
                for (int i = 0; i < n; i++) {
                    vs[i] = Double.doubleToRawLongBits((double) vs[i] * p);
                }
            }
            for (int j = 0; j < ne; j++) {
                vs[positions[j]] = raws[j];
            }
        }

        private int[] positions = new int[0];
        private long[] raws = new long[0];

        @Override
        public ValueType next() {
            if (idx + 1 >= total) {
                idx = total;
                return ValueType.NONE;
            }
            idx++;
            return ValueType.FLOAT;
        }

        @Override
        public ValueType seek(long target) {
            if (idx >= total) {
                return ValueType.NONE;
            }
            if (idx < 0) {
                idx = 0;
            }
            while (idx < total && ts[idx] < target) {
                idx++;
            }
            return idx < total ? ValueType.FLOAT : ValueType.NONE;
        }

        @Override
        public int readFloats(long maxT, long[] out, double[] values, int off) {
            if (idx < 0) {
                idx = 0;
            }
            int n = off;
            while (idx < total && n < out.length && ts[idx] <= maxT) {
                out[n] = ts[idx];
                values[n++] = Double.longBitsToDouble(vs[idx++]);
            }
            return n;
        }

        @Override
        public long timestamp() {
            return ts[idx];
        }

        @Override
        public double value() {
            return Double.longBitsToDouble(vs[idx]);
        }

        @Override
        public void histogram(FloatHistogram into) {
            throw new UnsupportedOperationException("a decimal chunk holds float samples");
        }
    }
}
