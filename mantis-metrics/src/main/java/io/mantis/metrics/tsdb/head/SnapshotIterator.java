package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;

/**
 * Iterates a head series snapshot: its chunks in order, merged with the out-of-order samples, and
 * clipped to [mint, maxt]. When both sources hold the same timestamp the in-order sample wins (the
 * head never stores both, but a snapshot may straddle a concurrent insert). Reusable across series.
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
        long ot = oi < oN ? oT[oi] : Long.MAX_VALUE;
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
            if (ct == ot) {
                oi++;
            }
            t = ct;
            type = cType;
            fromChunk = true;
            cPeeked = false; // consumed: the next peek advances the chunk iterator
        } else {
            t = ot;
            v = oV[oi++];
            type = ValueType.FLOAT;
            fromChunk = false;
        }
        return type;
    }

    @Override
    public ValueType next() {
        ValueType vt = nextRaw();
        while (deleted != null && vt != ValueType.NONE && Intervals.contains(deleted, t)) {
            vt = nextRaw();
        }
        return vt;
    }

    @Override
    public ValueType seek(long ts) {
        ValueType vt = seekRaw(ts);
        while (deleted != null && vt != ValueType.NONE && Intervals.contains(deleted, t)) {
            vt = nextRaw();
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
        while (type == ValueType.FLOAT && fromChunk && oi >= oN && deleted == null && n < ts.length && t <= limit) {
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
            pick();
        }
        return ChunkIterator.super.readFloats(maxT, ts, vs, n);
    }

    @Override
    public long timestamp() {
        return t;
    }

    @Override
    public double value() {
        return fromChunk ? cur.value() : v;
    }

    @Override
    public void histogram(FloatHistogram into) {
        cur.histogram(into);
    }
}
