package io.mantis.metrics.tsdb.chunkenc;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.SeriesSink;

/**
 * Native histograms with float counts: timestamps as varbit delta-of-deltas, every count, the sum
 * and every bucket XOR'd against its previous value with its own window (docs/format/chunks.md,
 * encoding 3).
 */
public final class FloatHistogramChunk extends AbstractHistogramChunk {

    public FloatHistogramChunk() {
    }

    @Override
    public Encoding encoding() {
        return Encoding.FLOAT_HISTOGRAM;
    }

    @Override
    Appender newAppender() {
        return new FloatAppender(this);
    }

    @Override
    Iterator newIterator() {
        return new FloatIterator();
    }

    @Override
    boolean owns(ChunkIterator it) {
        return it instanceof FloatIterator;
    }

    private static final class Side {
        long[] bits = new long[0];
        int[] windows = new int[0];
        int n;

        void size(int buckets, int window) {
            if (bits.length < buckets) {
                bits = new long[buckets];
                windows = new int[buckets];
            }
            n = buckets;
            java.util.Arrays.fill(windows, 0, buckets, window);
        }
    }

    private static final class FloatAppender extends Appender {
        private long tDelta;
        private long countBits;
        private int countWindow;
        private long zcBits;
        private int zcWindow;
        private long sumBits;
        private int sumWindow;
        private final Side pos = new Side();
        private final Side neg = new Side();

        FloatAppender(FloatHistogramChunk chunk) {
            super(chunk);
        }

        @Override
        boolean integerCounts() {
            return false;
        }

        @Override
        void resetEncoder() {
            tDelta = 0;
        }

        @Override
        void writeFirst(BitWriter w, long ts, FloatHistogram h, boolean stale) {
            writeLayout(w, h, stale);
            Varbit.putInt(w, ts);
            countBits = stale ? 0 : Double.doubleToRawLongBits(h.count());
            zcBits = stale ? 0 : Double.doubleToRawLongBits(h.zeroCount());
            sumBits = Double.doubleToRawLongBits(h.sum());
            w.writeBits(countBits, 64);
            w.writeBits(zcBits, 64);
            w.writeBits(sumBits, 64);
            countWindow = Varbit.NO_WINDOW;
            zcWindow = Varbit.NO_WINDOW;
            sumWindow = Varbit.NO_WINDOW;
            tDelta = 0;
            first(w, stale ? null : h.positive(), pos);
            first(w, stale ? null : h.negative(), neg);
        }

        private static void first(BitWriter w, FloatHistogram.Buckets b, Side s) {
            int n = b == null ? 0 : b.bucketCount();
            s.size(n, Varbit.NO_WINDOW);
            for (int i = 0; i < n; i++) {
                long bits = Double.doubleToRawLongBits(b.count(i));
                s.bits[i] = bits;
                w.writeBits(bits, 64);
            }
        }

        @Override
        void writeNext(BitWriter w, long ts, FloatHistogram h, boolean stale) {
            long delta = ts - t;
            Varbit.putInt(w, delta - tDelta);
            tDelta = delta;
            long c = stale ? 0 : Double.doubleToRawLongBits(h.count());
            countWindow = Varbit.putXor(w, c, countBits, countWindow);
            countBits = c;
            long z = stale ? 0 : Double.doubleToRawLongBits(h.zeroCount());
            zcWindow = Varbit.putXor(w, z, zcBits, zcWindow);
            zcBits = z;
            long s = stale ? SeriesSink.STALE_NAN_BITS : Double.doubleToRawLongBits(h.sum());
            sumWindow = Varbit.putXor(w, s, sumBits, sumWindow);
            sumBits = s;
            if (stale) {
                return;
            }
            next(w, h.positive(), pos);
            next(w, h.negative(), neg);
        }

        private static void next(BitWriter w, FloatHistogram.Buckets b, Side s) {
            if (b.bucketCount() != s.n) {
                throw new IllegalStateException("histogram with " + b.bucketCount() + " buckets for a layout of " + s.n);
            }
            for (int i = 0; i < s.n; i++) {
                long bits = Double.doubleToRawLongBits(b.count(i));
                s.windows[i] = Varbit.putXor(w, bits, s.bits[i], s.windows[i]);
                s.bits[i] = bits;
            }
        }
    }

    private static final class FloatIterator extends Iterator {
        private long countBits;
        private int countWindow;
        private long zcBits;
        private int zcWindow;
        private long sumBits;
        private int sumWindow;
        private final Side pos = new Side();
        private final Side neg = new Side();

        @Override
        ValueType type() {
            return ValueType.FLOAT_HISTOGRAM;
        }

        @Override
        void sizeBuckets(int p, int n) {
            pos.size(p, 0);
            neg.size(n, 0);
        }

        @Override
        void decodeSample() {
            if (read == 0) {
                readLayout();
                t = Varbit.readInt(r);
                countBits = r.readBits(64);
                zcBits = r.readBits(64);
                sumBits = r.readBits(64);
                countWindow = 0;
                zcWindow = 0;
                sumWindow = 0;
                tDelta = 0;
                for (int i = 0; i < pos.n; i++) {
                    pos.bits[i] = r.readBits(64);
                }
                for (int i = 0; i < neg.n; i++) {
                    neg.bits[i] = r.readBits(64);
                }
                stale = sumBits == SeriesSink.STALE_NAN_BITS;
                return;
            }
            tDelta += Varbit.readInt(r);
            t += tDelta;
            r.xorWindow = countWindow;
            countBits = r.readXor(countBits);
            countWindow = r.xorWindow;
            r.xorWindow = zcWindow;
            zcBits = r.readXor(zcBits);
            zcWindow = r.xorWindow;
            r.xorWindow = sumWindow;
            sumBits = r.readXor(sumBits);
            sumWindow = r.xorWindow;
            stale = sumBits == SeriesSink.STALE_NAN_BITS;
            if (stale) {
                return;
            }
            readSide(pos);
            readSide(neg);
        }

        private void readSide(Side s) {
            for (int i = 0; i < s.n; i++) {
                r.xorWindow = s.windows[i];
                s.bits[i] = r.readXor(s.bits[i]);
                s.windows[i] = r.xorWindow;
            }
        }

        @Override
        public void histogram(FloatHistogram into) {
            if (stale) {
                into.setStale();
                return;
            }
            fillFrame(into);
            into.count(Double.longBitsToDouble(countBits)).zeroCount(Double.longBitsToDouble(zcBits))
                    .sum(Double.longBitsToDouble(sumBits));
            for (int i = 0; i < pos.n; i++) {
                into.positive().addCount(Double.longBitsToDouble(pos.bits[i]));
            }
            for (int i = 0; i < neg.n; i++) {
                into.negative().addCount(Double.longBitsToDouble(neg.bits[i]));
            }
        }
    }
}
