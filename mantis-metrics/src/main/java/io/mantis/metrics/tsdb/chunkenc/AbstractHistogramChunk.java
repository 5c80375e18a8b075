package io.mantis.metrics.tsdb.chunkenc;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the two histogram encodings share: the 3-byte header with the counter-reset bits, the
 * layout written with the first sample, the rules for refusing a sample, and the layout merging
 * and recoding when buckets come and go (docs/format/chunks.md). Subclasses only encode and
 * decode the per-sample fields.
 */
abstract sealed class AbstractHistogramChunk extends BitChunk permits HistogramChunk, FloatHistogramChunk {
    static final int HEADER = 3;
    private static final int FLAGS = 2;

    @Override
    final int headerBytes() {
        return HEADER;
    }

    @Override
    final int initialCapacity() {
        return 256;
    }

    @Override
    public final CounterResetHeader counterResetHeader() {
        return CounterResetHeader.fromFlags(byteAt(FLAGS));
    }

    @Override
    public final void setCounterResetHeader(CounterResetHeader header) {
        if (writer == null) {
            throw new UnsupportedOperationException("a chunk read from disk is not changed");
        }
        writer.putByte(FLAGS, header.flagBits());
    }

    abstract Appender newAppender();

    abstract Iterator newIterator();

    /** Whether this iterator class decodes this chunk class. */
    abstract boolean owns(ChunkIterator it);

    @Override
    public final ChunkIterator iterator(ChunkIterator reuse) {
        Iterator it = owns(reuse) ? (Iterator) reuse : newIterator();
        it.reset(this);
        return it;
    }

    @Override
    public final ChunkAppender appender() {
        if (numSamples() == 0) {
            if (writer == null) {
                BitWriter w = new BitWriter(initialCapacity(), HEADER);
                w.putByte(FLAGS, byteAt(FLAGS) & 0xc0);
                adopt(w);
            }
            return newAppender();
        }
        Appender a = newAppender();
        a.reencode(null, null, null, null);
        return a;
    }

    /** Decodes every sample (rare paths only: recoding, rebuilding an appender). */
    final List<Sample> decodeAll() {
        Iterator it = newIterator();
        it.reset(this);
        List<Sample> out = new ArrayList<>(numSamples());
        while (it.next() != ValueType.NONE) {
            FloatHistogram h = new FloatHistogram();
            it.histogram(h);
            out.add(new Sample(it.timestamp(), h));
        }
        return out;
    }

    record Sample(long t, FloatHistogram h) {
    }

    /** Writes the layout of {@code h}, or the empty layout for a stale first sample. */
    static void writeLayout(BitWriter w, FloatHistogram h, boolean stale) {
        if (stale) {
            w.writeByte(0);
            Varbit.putInt(w, 0);
            Varbit.putUint(w, 0);
            Varbit.putUint(w, 0);
            return;
        }
        Varbit.putZeroThreshold(w, h.zeroThreshold());
        Varbit.putInt(w, h.schema());
        putSpans(w, h.positive());
        putSpans(w, h.negative());
        if (h.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA) {
            Varbit.putUint(w, h.customBoundCount());
            for (int i = 0; i < h.customBoundCount(); i++) {
                Varbit.putCustomBound(w, h.customBound(i));
            }
        }
    }

    private static void putSpans(BitWriter w, FloatHistogram.Buckets b) {
        Varbit.putUint(w, b.spanCount());
        for (int i = 0; i < b.spanCount(); i++) {
            Varbit.putUint(w, b.spanLength(i));
            Varbit.putInt(w, b.spanOffset(i));
        }
    }

    /** Absolute bucket indexes of {@code b}'s spans into {@code into} (grown as needed). */
    static int[] indexes(FloatHistogram.Buckets b, int[] into) {
        return b.indexes(into);
    }

    /** Canonical spans (adjacent runs merged) of a strictly increasing index list. */
    static void spansOf(int[] idx, int n, FloatHistogram.Buckets out, int[] offScratch, int[] lenScratch) {
        int spans = 0;
        int prev = 0;
        for (int i = 0; i < n; i++) {
            if (spans > 0 && idx[i] == prev + 1) {
                lenScratch[spans - 1]++;
            } else {
                offScratch[spans] = spans == 0 ? idx[i] : idx[i] - prev - 1;
                lenScratch[spans] = 1;
                spans++;
            }
            prev = idx[i];
        }
        out.setSpans(offScratch, lenScratch, spans);
    }

    /**
     * Sets {@code out}'s counts for the target index list: the count of {@code src} where its
     * index list has the index, else 0. The target must contain every source index.
     */
    static void expandCounts(int[] srcIdx, FloatHistogram.Buckets src, int[] dstIdx, int nDst,
            FloatHistogram.Buckets out, double[] scratch) {
        int j = 0;
        int nSrc = src.bucketCount();
        for (int i = 0; i < nDst; i++) {
            if (j < nSrc && srcIdx[j] == dstIdx[i]) {
                scratch[i] = src.count(j++);
            } else {
                scratch[i] = 0;
            }
        }
        if (j != nSrc) {
            throw new IllegalStateException("bucket layout merge lost a bucket");
        }
        out.setCounts(scratch, nDst);
    }

    /** Result of merging one side's layout with an incoming histogram's. */
    static final class SideMerge {
        int[] chunkIdx = new int[16];
        int chunkN;
        int[] inIdx = new int[16];
        int inN;
        int[] unionIdx = new int[32];
        int unionN;
        boolean identical;
        boolean needsFill;
        boolean needsRecode;

        /**
         * Merges; returns false on a counter reset (a bucket decreased, or a non-zero bucket of the
         * chunk is missing) when {@code counter}.
         */
        boolean merge(FloatHistogram.Buckets chunkSide, FloatHistogram.Buckets in, boolean counter) {
            chunkIdx = chunkSide.indexes(chunkIdx);
            chunkN = chunkSide.bucketCount();
            inIdx = in.indexes(inIdx);
            inN = in.bucketCount();
            needsFill = false;
            needsRecode = false;
            identical = chunkN == inN && Arrays.equals(chunkIdx, 0, chunkN, inIdx, 0, inN);
            if (identical) {
                if (counter) {
                    for (int i = 0; i < inN; i++) {
                        if (chunkSide.count(i) > in.count(i)) {
                            return false;
                        }
                    }
                }
                return true;
            }
            if (unionIdx.length < chunkN + inN) {
                unionIdx = new int[chunkN + inN];
            }
            int i = 0;
            int j = 0;
            int u = 0;
            while (i < chunkN || j < inN) {
                if (j >= inN || (i < chunkN && chunkIdx[i] < inIdx[j])) {
                    if (counter && chunkSide.count(i) != 0) {
                        return false;
                    }
                    needsFill = true;
                    unionIdx[u++] = chunkIdx[i++];
                } else if (i >= chunkN || inIdx[j] < chunkIdx[i]) {
                    needsRecode = true;
                    unionIdx[u++] = inIdx[j++];
                } else {
                    if (counter && chunkSide.count(i) > in.count(j)) {
                        return false;
                    }
                    unionIdx[u++] = chunkIdx[i++];
                    j++;
                }
            }
            unionN = u;
            return true;
        }
    }

    private static final int OK = -1;

    /**
     * The appender logic common to both encodings. {@link #layout} holds the chunk's layout (spans,
     * schema, threshold, bounds) with the last non-stale sample's counts.
     */
    abstract static class Appender implements ChunkAppender {
        final AbstractHistogramChunk chunk;
        int n;
        long t;
        final FloatHistogram layout = new FloatHistogram();
        boolean lastStale;
        private final SideMerge pos = new SideMerge();
        private final SideMerge neg = new SideMerge();
        private final FloatHistogram expanded = new FloatHistogram();
        private double[] countScratch = new double[32];

        Appender(AbstractHistogramChunk chunk) {
            this.chunk = chunk;
            this.n = chunk.numSamples();
        }

        /** Whether counts must be whole numbers (integer encoding). */
        abstract boolean integerCounts();

        /** Encodes the first sample including the layout (from {@code h}, or empty if stale). */
        abstract void writeFirst(BitWriter w, long ts, FloatHistogram h, boolean stale);

        /** Encodes a later sample; {@code h} has the chunk layout's buckets in order. */
        abstract void writeNext(BitWriter w, long ts, FloatHistogram h, boolean stale);

        /** Forgets all per-sample encoder state before re-encoding from scratch. */
        abstract void resetEncoder();

        @Override
        public final void append(long ts, double v) {
            throw new UnsupportedOperationException("float sample appended to a " + chunk.encoding() + " chunk");
        }

        private void check(FloatHistogram h) {
            if (h.isStale()) {
                return;
            }
            h.validate();
            if (integerCounts() && !h.hasIntegerCounts()) {
                throw new IllegalArgumentException("fractional counts appended to an integer histogram chunk: " + h);
            }
        }

        @Override
        public final boolean appendHistogram(long ts, FloatHistogram h) {
            check(h);
            if (n == 0) {
                rawAppend(ts, h);
                if (h.counterResetHint() == CounterResetHint.GAUGE) {
                    chunk.setCounterResetHeader(CounterResetHeader.GAUGE);
                } else if (h.counterResetHint() == CounterResetHint.RESET) {
                    chunk.setCounterResetHeader(CounterResetHeader.RESET);
                }
                return true;
            }
            if (n >= MAX_SAMPLES || decide(h) != OK) {
                return false;
            }
            if (h.isStale()) {
                rawAppend(ts, h);
                return true;
            }
            boolean recode = pos.needsRecode || neg.needsRecode;
            if (recode) {
                widenLayout();
            }
            FloatHistogram hx = h;
            if (!pos.identical || !neg.identical) {
                hx = expanded;
                hx.copyFrom(h);
                expandSide(h.positive(), pos, hx.positive());
                expandSide(h.negative(), neg, hx.negative());
            }
            rawAppend(ts, hx);
            return true;
        }

        private void expandSide(FloatHistogram.Buckets in, SideMerge m, FloatHistogram.Buckets out) {
            if (m.identical) {
                return;
            }
            // After widening (or with fill only) the chunk's layout is the union.
            FloatHistogram.Buckets target = out == expanded.positive() ? layout.positive() : layout.negative();
            if (countScratch.length < m.unionN) {
                countScratch = new double[m.unionN];
            }
            out.copySpansFrom(target);
            expandCounts(m.inIdx, in, m.unionIdx, m.unionN, out, countScratch);
        }

        /** Re-encodes the chunk with the union layouts of the last merge. */
        private void widenLayout() {
            FloatHistogram.Buckets newPos = new FloatHistogram.Buckets();
            FloatHistogram.Buckets newNeg = new FloatHistogram.Buckets();
            int max = Math.max(pos.unionN, neg.unionN) + 1;
            int[] off = new int[max];
            int[] len = new int[max];
            if (pos.needsRecode) {
                spansOf(pos.unionIdx, pos.unionN, newPos, off, len);
            } else {
                newPos.copyFrom(layout.positive());
            }
            if (neg.needsRecode) {
                spansOf(neg.unionIdx, neg.unionN, newNeg, off, len);
            } else {
                newNeg.copyFrom(layout.negative());
            }
            reencode(newPos, newNeg, pos.needsRecode ? Arrays.copyOf(pos.unionIdx, pos.unionN) : null,
                    neg.needsRecode ? Arrays.copyOf(neg.unionIdx, neg.unionN) : null);
        }

        /**
         * Decodes the chunk and encodes it again into a new array, with the given wider spans
         * (null: keep the side's layout). Keeps the counter-reset header.
         */
        final void reencode(FloatHistogram.Buckets newPos, FloatHistogram.Buckets newNeg, int[] posIdx, int[] negIdx) {
            List<Sample> samples = chunk.decodeAll();
            int flags = chunk.byteAt(FLAGS) & 0xc0;
            BitWriter w = new BitWriter(chunk.sizeBytes() + 64, HEADER);
            w.putByte(FLAGS, flags);
            chunk.adopt(w);
            n = 0;
            lastStale = false;
            layout.clear();
            resetEncoder();
            int[] oldIdx = new int[0];
            double[] scratch = new double[0];
            for (Sample s : samples) {
                FloatHistogram h = s.h();
                if (!h.isStale()) {
                    if (newPos != null && posIdx != null) {
                        oldIdx = h.positive().indexes(oldIdx);
                        scratch = scratch.length < posIdx.length ? new double[posIdx.length] : scratch;
                        h.positive().copySpansFrom(newPos);
                        expandCountsInPlace(oldIdx, h.positive(), posIdx, scratch);
                    }
                    if (newNeg != null && negIdx != null) {
                        oldIdx = h.negative().indexes(oldIdx);
                        scratch = scratch.length < negIdx.length ? new double[negIdx.length] : scratch;
                        h.negative().copySpansFrom(newNeg);
                        expandCountsInPlace(oldIdx, h.negative(), negIdx, scratch);
                    }
                }
                rawAppend(s.t(), h);
            }
        }

        private static void expandCountsInPlace(int[] oldIdx, FloatHistogram.Buckets b, int[] newIdx, double[] scratch) {
            int j = 0;
            int nOld = b.bucketCount();
            for (int i = 0; i < newIdx.length; i++) {
                if (j < nOld && oldIdx[j] == newIdx[i]) {
                    scratch[i] = b.count(j++);
                } else {
                    scratch[i] = 0;
                }
            }
            if (j != nOld) {
                throw new IllegalStateException("recode lost a bucket");
            }
            b.setCounts(scratch, newIdx.length);
        }

        /** Appends {@code h}, which already fits the layout (or is the first sample, or stale). */
        final void rawAppend(long ts, FloatHistogram h) {
            boolean stale = h.isStale();
            BitWriter w = chunk.writer;
            if (n == 0) {
                if (stale) {
                    layout.clear();
                } else {
                    layout.copyFrom(h);
                }
                writeFirst(w, ts, h, stale);
            } else {
                writeNext(w, ts, h, stale);
                if (!stale) {
                    layout.count(h.count()).zeroCount(h.zeroCount());
                    copyCounts(h.positive(), layout.positive());
                    copyCounts(h.negative(), layout.negative());
                }
            }
            lastStale = stale;
            t = ts;
            n++;
            w.putUint16(0, n);
        }

        private static void copyCounts(FloatHistogram.Buckets from, FloatHistogram.Buckets to) {
            for (int i = 0; i < to.bucketCount(); i++) {
                to.setCount(i, from.count(i));
            }
        }

        private boolean gaugeChunk() {
            return chunk.counterResetHeader() == CounterResetHeader.GAUGE;
        }

        /** OK, or the header of the chunk to cut (as its ordinal). Fills the merges on OK. */
        private int decide(FloatHistogram h) {
            if (h.isStale()) {
                return OK; // a staleness marker fits any chunk, whatever its hint
            }
            CounterResetHint hint = h.counterResetHint();
            if (gaugeChunk()) {
                if (hint != CounterResetHint.GAUGE) {
                    return (hint == CounterResetHint.RESET ? CounterResetHeader.RESET : CounterResetHeader.UNKNOWN).ordinal();
                }
                if (lastStale || !sameLayoutFrame(h)) {
                    return CounterResetHeader.GAUGE.ordinal();
                }
                pos.merge(layout.positive(), h.positive(), false);
                neg.merge(layout.negative(), h.negative(), false);
                return OK;
            }
            if (hint == CounterResetHint.GAUGE) {
                return CounterResetHeader.GAUGE.ordinal();
            }
            if (hint == CounterResetHint.RESET) {
                return CounterResetHeader.RESET.ordinal();
            }
            if (lastStale) {
                return CounterResetHeader.UNKNOWN.ordinal();
            }
            if (h.count() < layout.count()) {
                return CounterResetHeader.RESET.ordinal();
            }
            if (h.schema() != layout.schema()
                    || Double.doubleToLongBits(h.zeroThreshold()) != Double.doubleToLongBits(layout.zeroThreshold())) {
                return CounterResetHeader.UNKNOWN.ordinal();
            }
            if (h.schema() == FloatHistogram.CUSTOM_BUCKETS_SCHEMA && !sameBounds(h)) {
                return CounterResetHeader.RESET.ordinal();
            }
            if (h.zeroCount() < layout.zeroCount()) {
                return CounterResetHeader.RESET.ordinal();
            }
            if (!pos.merge(layout.positive(), h.positive(), true) || !neg.merge(layout.negative(), h.negative(), true)) {
                return CounterResetHeader.RESET.ordinal();
            }
            return OK;
        }

        private boolean sameLayoutFrame(FloatHistogram h) {
            return h.schema() == layout.schema()
                    && Double.doubleToLongBits(h.zeroThreshold()) == Double.doubleToLongBits(layout.zeroThreshold())
                    && (h.schema() != FloatHistogram.CUSTOM_BUCKETS_SCHEMA || sameBounds(h));
        }

        private boolean sameBounds(FloatHistogram h) {
            if (h.customBoundCount() != layout.customBoundCount()) {
                return false;
            }
            for (int i = 0; i < h.customBoundCount(); i++) {
                if (Double.doubleToLongBits(h.customBound(i)) != Double.doubleToLongBits(layout.customBound(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public final CounterResetHeader nextChunkHeader(FloatHistogram h) {
            if (n == 0) {
                return switch (h.counterResetHint()) {
                    case GAUGE -> CounterResetHeader.GAUGE;
                    case RESET -> CounterResetHeader.RESET;
                    default -> CounterResetHeader.UNKNOWN;
                };
            }
            int d = decide(h);
            if (d == OK) {
                return gaugeChunk() ? CounterResetHeader.GAUGE : CounterResetHeader.NOT_RESET;
            }
            return CounterResetHeader.values()[d];
        }
    }

    /** The iterator parts common to both encodings: layout, position, hint, seek. */
    abstract static class Iterator implements ChunkIterator {
        final BitReader r = new BitReader();
        int total;
        int read;
        boolean exhausted;
        CounterResetHeader header;
        long t;
        long tDelta;
        boolean stale;
        int schema;
        double zeroThreshold;
        int[] posOffsets = new int[4];
        int[] posLengths = new int[4];
        int posSpans;
        int posBuckets;
        int[] negOffsets = new int[4];
        int[] negLengths = new int[4];
        int negSpans;
        int negBuckets;
        double[] bounds = new double[0];
        int boundCount;

        void reset(AbstractHistogramChunk c) {
            total = c.resetReader(r);
            header = c.counterResetHeader();
            read = 0;
            exhausted = false;
            t = Long.MIN_VALUE;
            tDelta = 0;
            stale = false;
            posSpans = 0;
            negSpans = 0;
            posBuckets = 0;
            negBuckets = 0;
            boundCount = 0;
        }

        abstract ValueType type();

        /** Reads the layout at the start of the bit stream, sizing bucket arrays. */
        final void readLayout() {
            zeroThreshold = Varbit.zeroThreshold(r);
            long s = Varbit.readInt(r);
            if (s != FloatHistogram.CUSTOM_BUCKETS_SCHEMA
                    && (s < FloatHistogram.MIN_EXPONENTIAL_SCHEMA || s > FloatHistogram.MAX_EXPONENTIAL_SCHEMA)) {
                throw new CorruptChunkException("histogram chunk with unknown schema " + s);
            }
            schema = (int) s;
            posSpans = readSpans(true);
            negSpans = readSpans(false);
            posBuckets = total(posLengths, posSpans);
            negBuckets = total(negLengths, negSpans);
            if (schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA) {
                long nb = Varbit.readUint(r);
                if (nb < 0 || nb > r.bitsRemaining()) {
                    throw new CorruptChunkException("histogram chunk claims " + nb + " custom bounds");
                }
                if (bounds.length < nb) {
                    bounds = new double[(int) nb];
                }
                for (int i = 0; i < nb; i++) {
                    bounds[i] = Varbit.customBound(r);
                }
                boundCount = (int) nb;
            }
            if ((long) posBuckets + negBuckets > r.bitsRemaining()) {
                throw new CorruptChunkException("histogram chunk layout claims " + (posBuckets + negBuckets)
                        + " buckets, more than the chunk can hold");
            }
            sizeBuckets(posBuckets, negBuckets);
        }

        abstract void sizeBuckets(int pos, int neg);

        private int readSpans(boolean positive) {
            long n = Varbit.readUint(r);
            if (n < 0 || n > r.bitsRemaining()) {
                throw new CorruptChunkException("histogram chunk claims " + n + " spans");
            }
            int[] off = positive ? posOffsets : negOffsets;
            int[] len = positive ? posLengths : negLengths;
            if (off.length < n) {
                off = new int[(int) n];
                len = new int[(int) n];
                if (positive) {
                    posOffsets = off;
                    posLengths = len;
                } else {
                    negOffsets = off;
                    negLengths = len;
                }
            }
            for (int i = 0; i < n; i++) {
                long l = Varbit.readUint(r);
                long o = Varbit.readInt(r);
                if (l < 0 || l > Integer.MAX_VALUE || o < Integer.MIN_VALUE || o > Integer.MAX_VALUE) {
                    throw new CorruptChunkException("histogram chunk span out of range");
                }
                len[i] = (int) l;
                off[i] = (int) o;
            }
            return (int) n;
        }

        private int total(int[] lengths, int n) {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += lengths[i];
            }
            if (sum > r.bitsRemaining()) {
                throw new CorruptChunkException("histogram chunk layout claims " + sum + " buckets");
            }
            return (int) sum;
        }

        /** Decodes sample number {@link #read} (0-based); sets {@link #stale}. */
        abstract void decodeSample();

        @Override
        public final ValueType next() {
            if (read >= total) {
                exhausted = true;
                return ValueType.NONE;
            }
            decodeSample();
            read++;
            return type();
        }

        @Override
        public final ValueType seek(long target) {
            if (exhausted) {
                return ValueType.NONE;
            }
            while (read == 0 || t < target) {
                if (next() == ValueType.NONE) {
                    return ValueType.NONE;
                }
            }
            return type();
        }

        @Override
        public final long timestamp() {
            return t;
        }

        @Override
        public final double value() {
            throw new UnsupportedOperationException("a histogram chunk holds histogram samples");
        }

        /** Fills everything but the bucket counts and the count fields. */
        final void fillFrame(FloatHistogram into) {
            into.clear();
            into.schema(schema).zeroThreshold(zeroThreshold);
            if (header == CounterResetHeader.GAUGE) {
                into.counterResetHint(CounterResetHint.GAUGE);
            } else if (read > 1) {
                into.counterResetHint(CounterResetHint.NOT_RESET);
            }
            into.positive().setSpans(posOffsets, posLengths, posSpans);
            into.negative().setSpans(negOffsets, negLengths, negSpans);
            into.setCustomBounds(bounds, boundCount);
        }
    }
}
