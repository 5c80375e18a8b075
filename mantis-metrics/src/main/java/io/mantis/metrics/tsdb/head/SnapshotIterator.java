package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;

/**
 * Iterates a head series snapshot: its chunks in order, merged with the out-of-order floats and
 * histograms, and clipped to [mint, maxt]. When sources hold the same timestamp the in-order
 * sample wins, then the late float (the head never stores two, but a snapshot may straddle a
 * concurrent insert). Reusable across series.
 *
 * <p>Counter-reset hints: a chunk knows its samples follow one another, but not whether a late
 * sample went between them. So, as Prometheus does where it merges out-of-order data, a late
 * histogram reads with an unknown hint, and so does the first in-order histogram after late
 * samples; readers then compare neighbours themselves. Gauge histograms stay gauges.
 */
final class SnapshotIterator implements ChunkIterator {

    private Chunk[] chunks;
    private int nextChunk;
    private ChunkIterator cur;
    private final ChunkIterator[] pool = new ChunkIterator[4];
    private long mint;
    private long maxt;

    private long[] deleted;
    private long[] oT;
    private double[] oV;
    private int oN;
    private int oi;
    private long[] hT;
    private FloatHistogram[] hH;
    private int hN;
    private int hi;
    /** The current sample when it is a late histogram. */
    private FloatHistogram lateH;
    /** Whether late samples were passed since the last in-order one (its hint no longer holds). */
    private boolean afterLate;

    /** Peeked in-order sample: type NONE when the chunks are exhausted. */
    private ValueType cType;
    private boolean cPeeked;

    private ValueType type = ValueType.NONE;
    private long t;
    private double v;
    private boolean fromChunk;
    private boolean started;

    void reset(HeadSeries.Snapshot s, long mint, long maxt) {
        this.chunks = s.chunks();
        this.nextChunk = 0;
        this.cur = null;
        this.mint = mint;
        this.maxt = maxt;
        this.oT = s.oooT();
        this.oV = s.oooV();
        this.oN = s.oooN();
        this.deleted = s.deleted();
        this.oi = 0;
        this.hT = s.oooHT();
        this.hH = s.oooH();
        this.hN = s.oooHN();
        this.hi = 0;
        this.lateH = null;
        this.afterLate = false;
        this.cPeeked = false;
        this.cType = ValueType.NONE;
        this.type = ValueType.NONE;
        this.started = false;
    }

    /** Makes the in-order side hold its next sample >= {@code atLeast} (or NONE). */
    private void peekChunk(long atLeast) {
        if (cPeeked && (cType == ValueType.NONE || cur.timestamp() >= atLeast)) {
            return;
        }
        while (true) {
            ValueType vt;
            if (cur == null) {
                if (nextChunk >= chunks.length) {
                    cType = ValueType.NONE;
                    cPeeked = true;
                    return;
                }
                Chunk c = chunks[nextChunk++];
                int slot = c.encoding().ordinal() & 3;
                cur = c.iterator(pool[slot]);
                pool[slot] = cur;
                vt = cur.seek(Math.max(mint, atLeast));
            } else if (cPeeked) {
                vt = cur.seek(atLeast);
            } else {
                vt = atLeast == Long.MIN_VALUE ? cur.next() : cur.seek(atLeast);
            }
            if (vt == ValueType.NONE) {
                cur = null;
                cPeeked = false;
                continue;
            }
            if (cur.timestamp() > maxt) {
                cType = ValueType.NONE;
            } else {
                cType = vt;
            }
            cPeeked = true;
            return;
        }
    }

    private ValueType pick() {
        long ft = oi < oN ? oT[oi] : Long.MAX_VALUE;
        long ht = hi < hN ? hT[hi] : Long.MAX_VALUE;
        long ot = Math.min(ft, ht);
        if (ot > maxt) {
            ot = Long.MAX_VALUE;
        }
        boolean haveChunk = cType != ValueType.NONE;
        if (!haveChunk && ot == Long.MAX_VALUE) {
            type = ValueType.NONE;
            return type;
        }
        long ct = haveChunk ? cur.timestamp() : Long.MAX_VALUE;
        if (haveChunk && ct <= ot) {
            if (ct == ft) {
                oi++;
            }
            if (ct == ht) {
                hi++;
            }
            t = ct;
            type = cType;
            fromChunk = true;
            cPeeked = false; // consumed: the next peek advances the chunk iterator
        } else if (ft <= ht) {
            if (ft == ht) {
                hi++;
            }
            t = ft;
            v = oV[oi++];
            type = ValueType.FLOAT;
            fromChunk = false;
            afterLate = true;
        } else {
            t = ht;
            lateH = hH[hi++];
            // Typed as the head would have chunked it: integral counts as HISTOGRAM.
            type = lateH.hasIntegerCounts() ? ValueType.HISTOGRAM : ValueType.FLOAT_HISTOGRAM;
            fromChunk = false;
            afterLate = true;
        }
        return type;
    }

    /** Whether the current sample is an in-order histogram whose chunk hint must not be trusted. */
    private boolean hintStale;

    @Override
    public ValueType next() {
        ValueType vt = nextRaw();
        while (deleted != null && vt != ValueType.NONE && Intervals.contains(deleted, t)) {
            vt = nextRaw();
        }
        return settle(vt);
    }

    @Override
    public ValueType seek(long ts) {
        if (started && type != ValueType.NONE && t >= ts) {
            return type; // stays: the hint already settled
        }
        ValueType vt = seekRaw(ts);
        while (deleted != null && vt != ValueType.NONE && Intervals.contains(deleted, t)) {
            vt = nextRaw();
        }
        return settle(vt);
    }

    /** On an in-order sample, takes over whether late samples went before it. */
    private ValueType settle(ValueType vt) {
        if (vt != ValueType.NONE && fromChunk) {
            hintStale = afterLate;
            afterLate = false;
        }
        return vt;
    }

    private ValueType nextRaw() {
        if (started && type == ValueType.NONE) {
            return type;
        }
        if (!started) {
            started = true;
            while (oi < oN && oT[oi] < mint) {
                oi++;
                afterLate = true;
            }
            while (hi < hN && hT[hi] < mint) {
                hi++;
                afterLate = true;
            }
            peekChunk(mint);
        } else {
            peekChunk(Long.MIN_VALUE);
        }
        return pick();
    }

    private ValueType seekRaw(long ts) {
        if (started) {
            if (type == ValueType.NONE) {
                return type;
            }
            if (t >= ts) {
                return type;
            }
        }
        started = true;
        long target = Math.max(ts, mint);
        while (oi < oN && oT[oi] < target) {
            oi++;
            afterLate = true;
        }
        while (hi < hN && hT[hi] < target) {
            hi++;
            afterLate = true;
        }
        if (cPeeked && cType != ValueType.NONE && cur.timestamp() >= target) {
            return pick();
        }
        if (cPeeked && cType == ValueType.NONE) {
            return pick();
        }
        peekChunk(target);
        return pick();
    }

    /**
     * Runs of in-order floats go to the chunk iterator's own bulk copy; with out-of-order samples
     * to merge or deletions to skip, sample by sample.
     */
    @Override
    public int readFloats(long maxT, long[] ts, double[] vs, int off) {
        if (!started) {
            next();
        }
        int n = off;
        long limit = Math.min(maxT, maxt);
        while (type == ValueType.FLOAT && fromChunk && oi >= oN && hi >= hN && deleted == null && n < ts.length
                && t <= limit) {
            // The chunk iterator stands on the current sample (picked, not yet advanced past).
            int before = n;
            n = cur.readFloats(limit, ts, vs, n);
            if (n == before) {
                break;
            }
            ValueType cv = cur.seek(Long.MIN_VALUE);
            if (cv == ValueType.NONE) {
                cur = null;
                cPeeked = false;
                peekChunk(Long.MIN_VALUE);
            } else {
                cType = cur.timestamp() > maxt ? ValueType.NONE : cv;
                cPeeked = true;
            }
            settle(pick());
        }
        return ChunkIterator.super.readFloats(maxT, ts, vs, n);
    }

    @Override
    public long timestamp() {
        return t;
    }

    @Override
    public double value() {
        if (!fromChunk && type != ValueType.FLOAT) {
            throw new UnsupportedOperationException("the current sample is a histogram");
        }
        return fromChunk ? cur.value() : v;
    }

    @Override
    public void histogram(FloatHistogram into) {
        if (fromChunk) {
            cur.histogram(into);
            if (!hintStale) {
                return;
            }
        } else if (type == ValueType.FLOAT) {
            throw new UnsupportedOperationException("the current sample is a float");
        } else {
            into.copyFrom(lateH);
        }
        if (into.counterResetHint() != FloatHistogram.CounterResetHint.GAUGE) {
            into.counterResetHint(FloatHistogram.CounterResetHint.UNKNOWN);
        }
    }
}
