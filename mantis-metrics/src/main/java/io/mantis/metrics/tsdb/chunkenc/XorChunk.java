package io.mantis.metrics.tsdb.chunkenc;

import io.mantis.metrics.model.FloatHistogram;

/**
 * Float samples in the Gorilla encoding as Prometheus uses it: delta-of-delta timestamps with
 * millisecond-sized buckets and XOR'd values with leading/trailing-zero window reuse (layout in
 * docs/format/chunks.md). The chunk itself has no sample limit below {@link #MAX_SAMPLES}; how
 * many samples to put in one chunk (120) is the head's decision.
 */
public final class XorChunk extends BitChunk implements ChunkAppender {
    private static final int HEADER = 2;

    public XorChunk() {
    }

    /** A chunk about to wrap bytes: no writer of its own. */
    XorChunk(boolean open) {
        super(open);
    }

    @Override
    int headerBytes() {
        return HEADER;
    }

    @Override
    int initialCapacity() {
        // Enough for the first dozen samples; a chunk grows by half as it fills (a full 120-sample
        // chunk of typical data is 150-250 bytes), and a young or sparse series does not pay for
        // bytes it never writes.
        return 64;
    }

    @Override
    public Encoding encoding() {
        return Encoding.XOR;
    }

    // Appender state: the chunk is its own appender, which saves an object and a pointer hop per
    // head series. Meaningful only while the chunk is open (after appender()).
    private int n;
    private long t;
    private long tDelta;
    private long vBits;
    private int window = Varbit.NO_WINDOW;

    @Override
    public ChunkAppender appender() {
        int count = numSamples();
        if (count == 0) {
            if (writer == null) {
                adopt(new BitWriter(initialCapacity(), HEADER));
            }
            n = 0;
            window = Varbit.NO_WINDOW;
            return this;
        }
        long[] ts = new long[count];
        double[] vs = new double[count];
        Iterator it = new Iterator();
        it.reset(this);
        for (int i = 0; i < count; i++) {
            it.next();
            ts[i] = it.t;
            vs[i] = Double.longBitsToDouble(it.vBits);
        }
        adopt(new BitWriter(sizeBytes() + 16, HEADER));
        n = 0;
        window = Varbit.NO_WINDOW;
        for (int i = 0; i < count; i++) {
            append(ts[i], vs[i]);
        }
        return this;
    }

    /**
     * The newest sample's time, from the appender's state, while the chunk is open and holds
     * samples; Long.MIN_VALUE otherwise. Its value is {@link #latestValue}.
     */
    public long latestTime() {
        return writer == null || n == 0 || n != numSamples() ? Long.MIN_VALUE : t;
    }

    /** The newest sample's value, meaningful when {@link #latestTime} is not Long.MIN_VALUE. */
    public double latestValue() {
        return Double.longBitsToDouble(vBits);
    }

    @Override
    public ChunkIterator iterator(ChunkIterator reuse) {
        Iterator it = reuse instanceof Iterator x ? x : new Iterator();
        it.reset(this);
        return it;
    }

    @Override
    public void append(long ts, double v) {
        BitWriter w = writer;
        if (n == MAX_SAMPLES) {
            throw new IllegalStateException("XOR chunk is full (" + MAX_SAMPLES + " samples)");
        }
        long bits = Double.doubleToRawLongBits(v);
        if (n == 0) {
            writeUvarint(w, (ts << 1) ^ (ts >> 63));
            w.writeBits(bits, 64);
        } else if (n == 1) {
            tDelta = ts - t;
            writeUvarint(w, tDelta);
            window = Varbit.putXor(w, bits, vBits, window);
        } else {
            long delta = ts - t;
            long dod = delta - tDelta;
            if (dod == 0) {
                w.writeBit(false);
            } else if (Varbit.bitRange(dod, 14)) {
                w.writeBits(0b10, 2);
                w.writeBits(dod, 14);
            } else if (Varbit.bitRange(dod, 17)) {
                w.writeBits(0b110, 3);
                w.writeBits(dod, 17);
            } else if (Varbit.bitRange(dod, 20)) {
                w.writeBits(0b1110, 4);
                w.writeBits(dod, 20);
            } else {
                w.writeBits(0b1111, 4);
                w.writeBits(dod, 64);
            }
            tDelta = delta;
            window = Varbit.putXor(w, bits, vBits, window);
        }
        t = ts;
        vBits = bits;
        n++;
        w.putUint16(0, n);
    }

    private static void writeUvarint(BitWriter w, long v) {
        while ((v & ~0x7fL) != 0) {
            w.writeByte((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        w.writeByte((int) v);
    }

    @Override
    public boolean appendHistogram(long ts, FloatHistogram h) {
        throw new UnsupportedOperationException("histogram sample appended to an XOR chunk");
    }

    @Override
    public CounterResetHeader nextChunkHeader(FloatHistogram h) {
        return CounterResetHeader.UNKNOWN;
    }

    static final class Iterator implements ChunkIterator {
        private final BitReader r = new BitReader();
        private int total;
        private int read;
        private boolean exhausted;
        long t;
        private long tDelta;
        long vBits;

        void reset(XorChunk c) {
            total = c.resetReader(r);
            read = 0;
            exhausted = false;
            t = Long.MIN_VALUE;
            tDelta = 0;
            vBits = 0;
            r.xorWindow = 0;
        }

        @Override
        public ValueType next() {
            if (read >= total) {
                exhausted = true;
                return ValueType.NONE;
            }
            if (read == 0) {
                t = r.readVarint();
                vBits = r.readBits(64);
            } else if (read == 1) {
                tDelta = r.readUvarint();
                t += tDelta;
                vBits = r.readXor(vBits);
            } else {
                long dod = switch (r.readOnes(4)) {
                    case 0 -> 0;
                    case 1 -> signed(r.readBits(14), 14);
                    case 2 -> signed(r.readBits(17), 17);
                    case 3 -> signed(r.readBits(20), 20);
                    default -> r.readBits(64);
                };
                tDelta += dod;
                t += tDelta;
                vBits = r.readXor(vBits);
            }
            read++;
            return ValueType.FLOAT;
        }

        private static long signed(long bits, int n) {
            return bits > (1L << (n - 1)) ? bits - (1L << n) : bits;
        }

        @Override
        public ValueType seek(long target) {
            if (exhausted) {
                return ValueType.NONE;
            }
            while (read == 0 || t < target) {
                if (next() == ValueType.NONE) {
                    return ValueType.NONE;
                }
            }
            return ValueType.FLOAT;
        }

        @Override
        public int readFloats(long maxT, long[] ts, double[] vs, int off) {
            if (read == 0 && next() == ValueType.NONE) {
                return off;
            }
            int n = off;
            while (!exhausted && n < ts.length && t <= maxT) {
                ts[n] = t;
                vs[n++] = Double.longBitsToDouble(vBits);
                next();
            }
            return n;
        }

        @Override
        public long timestamp() {
            return t;
        }

        @Override
        public double value() {
            return Double.longBitsToDouble(vBits);
        }

        @Override
        public void histogram(FloatHistogram into) {
            throw new UnsupportedOperationException("an XOR chunk holds float samples");
        }
    }
}
