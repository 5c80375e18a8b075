package io.mantis.metrics.tsdb.chunkenc;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.SeriesSink;

/**
 * Native histograms with integer counts: timestamps, counts and in-histogram bucket deltas as
 * varbit delta-of-deltas, the sum XOR'd (docs/format/chunks.md, encoding 2). Values come and go
 * as {@link FloatHistogram}s whose counts must be whole numbers.
 */
public final class HistogramChunk extends AbstractHistogramChunk {

    public HistogramChunk() {
    }

    @Override
    public Encoding encoding() {
        return Encoding.HISTOGRAM;
    }

    @Override
    Appender newAppender() {
        return new IntAppender(this);
    }

    @Override
    Iterator newIterator() {
        return new IntIterator();
    }

    @Override
    boolean owns(ChunkIterator it) {
        return it instanceof IntIterator;
    }

    private static final class Side {
        long[] vals = new long[0];
        long[] valDeltas = new long[0];
        int n;

        void size(int buckets) {
            if (vals.length < buckets) {
                vals = new long[buckets];
                valDeltas = new long[buckets];
            }
            n = buckets;
            java.util.Arrays.fill(valDeltas, 0, buckets, 0);
        }
    }

    private static final class IntAppender extends Appender {
        private long tDelta;
        private long count;
        private long cntDelta;
        private long zc;
        private long zcDelta;
        private long sumBits;
        private int sumWindow = Varbit.NO_WINDOW;
        private final Side pos = new Side();
        private final Side neg = new Side();

        IntAppender(HistogramChunk chunk) {
            super(chunk);
        }

        @Override
        boolean integerCounts() {
            return true;
        }

        @Override
        void resetEncoder() {
            tDelta = 0;
            count = 0;
            cntDelta = 0;
            zc = 0;
            zcDelta = 0;
            sumBits = 0;
            sumWindow = Varbit.NO_WINDOW;
        }

        @Override
        void writeFirst(BitWriter w, long ts, FloatHistogram h, boolean stale) {
            writeLayout(w, h, stale);
            Varbit.putInt(w, ts);
            count = stale ? 0 : (long) h.count();
            zc = stale ? 0 : (long) h.zeroCount();
            Varbit.putUint(w, count);
            Varbit.putUint(w, zc);
            sumBits = Double.doubleToRawLongBits(h.sum());
            w.writeBits(sumBits, 64);
            sumWindow = Varbit.NO_WINDOW;
            tDelta = 0;
            cntDelta = 0;
            zcDelta = 0;
            first(w, stale ? null : h.positive(), pos);
            first(w, stale ? null : h.negative(), neg);
        }

        private static void first(BitWriter w, FloatHistogram.Buckets b, Side s) {
            int n = b == null ? 0 : b.bucketCount();
            s.size(n);
            long prev = 0;
            for (int i = 0; i < n; i++) {
                long c = (long) b.count(i);
                long v = c - prev;
                prev = c;
                s.vals[i] = v;
                Varbit.putInt(w, v);
            }
        }

        @Override
        void writeNext(BitWriter w, long ts, FloatHistogram h, boolean stale) {
            long delta = ts - t;
            Varbit.putInt(w, delta - tDelta);
            tDelta = delta;
            if (stale) {
                Varbit.putInt(w, 0);
                Varbit.putInt(w, 0);
                long bits = SeriesSink.STALE_NAN_BITS;
                sumWindow = Varbit.putXor(w, bits, sumBits, sumWindow);
                sumBits = bits;
                return;
            }
            long c = (long) h.count();
            long cd = c - count;
            Varbit.putInt(w, cd - cntDelta);
            cntDelta = cd;
            count = c;
            long z = (long) h.zeroCount();
            long zd = z - zc;
            Varbit.putInt(w, zd - zcDelta);
            zcDelta = zd;
            zc = z;
            long bits = Double.doubleToRawLongBits(h.sum());
            sumWindow = Varbit.putXor(w, bits, sumBits, sumWindow);
            sumBits = bits;
            next(w, h.positive(), pos);
            next(w, h.negative(), neg);
        }

        private static void next(BitWriter w, FloatHistogram.Buckets b, Side s) {
            if (b.bucketCount() != s.n) {
                throw new IllegalStateException("histogram with " + b.bucketCount() + " buckets for a layout of " + s.n);
            }
            long prev = 0;
            for (int i = 0; i < s.n; i++) {
                long c = (long) b.count(i);
                long v = c - prev;
                prev = c;
                long d = v - s.vals[i];
                Varbit.putInt(w, d - s.valDeltas[i]);
                s.valDeltas[i] = d;
                s.vals[i] = v;
            }
        }
    }

    private static final class IntIterator extends Iterator {
        private long count;
        private long cntDelta;
        private long zc;
        private long zcDelta;
        private long sumBits;
        private final Side pos = new Side();
        private final Side neg = new Side();

        @Override
        ValueType type() {
            return ValueType.HISTOGRAM;
        }

        @Override
        void sizeBuckets(int p, int n) {
            pos.size(p);
            neg.size(n);
        }

        @Override
        void decodeSample() {
            if (read == 0) {
                readLayout();
                t = Varbit.readInt(r);
                count = Varbit.readUint(r);
                zc = Varbit.readUint(r);
                sumBits = r.readBits(64);
                r.xorWindow = 0;
                tDelta = 0;
                cntDelta = 0;
                zcDelta = 0;
                for (int i = 0; i < pos.n; i++) {
                    pos.vals[i] = Varbit.readInt(r);
                }
                for (int i = 0; i < neg.n; i++) {
                    neg.vals[i] = Varbit.readInt(r);
                }
                stale = sumBits == SeriesSink.STALE_NAN_BITS;
                return;
            }
            tDelta += Varbit.readInt(r);
            t += tDelta;
            cntDelta += Varbit.readInt(r);
            count += cntDelta;
            zcDelta += Varbit.readInt(r);
            zc += zcDelta;
            sumBits = r.readXor(sumBits);
            stale = sumBits == SeriesSink.STALE_NAN_BITS;
            if (stale) {
                return;
            }
            for (int i = 0; i < pos.n; i++) {
                pos.valDeltas[i] += Varbit.readInt(r);
                pos.vals[i] += pos.valDeltas[i];
            }
            for (int i = 0; i < neg.n; i++) {
                neg.valDeltas[i] += Varbit.readInt(r);
                neg.vals[i] += neg.valDeltas[i];
            }
        }

        @Override
        public void histogram(FloatHistogram into) {
            if (stale) {
                into.setStale();
                return;
            }
            fillFrame(into);
            into.count(count).zeroCount(zc).sum(Double.longBitsToDouble(sumBits));
            long running = 0;
            for (int i = 0; i < pos.n; i++) {
                running += pos.vals[i];
                into.positive().addCount(running);
            }
            running = 0;
            for (int i = 0; i < neg.n; i++) {
                running += neg.vals[i];
                into.negative().addCount(running);
            }
        }
    }
}
