package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunkenc.CounterResetHeader;
import io.mantis.metrics.tsdb.chunkenc.CorruptChunkException;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.chunks.ChunkReader;
import io.mantis.metrics.tsdb.chunks.CorruptChunkFileException;
import io.mantis.metrics.tsdb.index.ChunkMetas;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Walks a run of chunks of one series that are in time order and do not overlap, clipped to
 * {@code [mint, maxt]} and skipping deleted intervals. Chunks are either given or read lazily from
 * a block's chunk files by reference, so a seek past whole chunks never touches them. Reusable
 * across series; allocates nothing per sample (one chunk view per chunk read).
 */
final class ChunksIterator implements ChunkIterator {

    private long[] cMint = new long[8];
    private long[] cMaxt = new long[8];
    private long[] refs = new long[8];
    private Chunk[] given = new Chunk[8];
    private int n;
    private ChunkReader reader;
    private Path blockDir;

    private int nextIdx;
    private int curIdx;
    private Chunk curChunk;
    private ChunkIterator cur;
    private final ChunkIterator[] pool = new ChunkIterator[Encoding.values().length];

    private long mint;
    private long maxt;
    private Intervals deleted = Intervals.EMPTY;
    private int delIdx;

    private boolean started;
    private ValueType type = ValueType.NONE;

    /** Iterates chunks of a block read by reference; errors name {@code blockDir}. */
    void reset(ChunkReader reader, Path blockDir, ChunkMetas metas, Intervals deleted, long mint, long maxt) {
        ensure(metas.size());
        n = metas.size();
        for (int i = 0; i < n; i++) {
            cMint[i] = metas.minTime(i);
            cMaxt[i] = metas.maxTime(i);
            refs[i] = metas.ref(i);
            given[i] = null;
        }
        this.reader = reader;
        this.blockDir = blockDir;
        start(deleted, mint, maxt);
    }

    /** Iterates chunks {@code [from, to)} of {@code list}. */
    void reset(ChunkList list, int from, int to, Intervals deleted, long mint, long maxt) {
        ensure(to - from);
        n = to - from;
        for (int i = 0; i < n; i++) {
            cMint[i] = list.minTime(from + i);
            cMaxt[i] = list.maxTime(from + i);
            given[i] = list.chunk(from + i);
        }
        this.reader = null;
        this.blockDir = null;
        start(deleted, mint, maxt);
    }

    private void ensure(int size) {
        if (cMint.length < size) {
            int c = Math.max(size, cMint.length * 2);
            cMint = new long[c];
            cMaxt = new long[c];
            refs = new long[c];
            given = new Chunk[c];
        } else {
            Arrays.fill(given, size, Math.min(given.length, Math.max(size, n)), null);
        }
    }

    private void start(Intervals deleted, long mint, long maxt) {
        this.deleted = deleted == null ? Intervals.EMPTY : deleted;
        this.mint = mint;
        this.maxt = maxt;
        this.delIdx = 0;
        this.nextIdx = 0;
        this.cur = null;
        this.curChunk = null;
        this.started = false;
        this.type = ValueType.NONE;
    }

    @Override
    public ValueType next() {
        if (started && type == ValueType.NONE) {
            return type;
        }
        started = true;
        return advance(Long.MIN_VALUE);
    }

    @Override
    public ValueType seek(long t) {
        if (started && (type == ValueType.NONE || cur.timestamp() >= t)) {
            return type;
        }
        started = true;
        return advance(t);
    }

    /** Moves to the first sample at or after {@code target} that is in range and not deleted. */
    private ValueType advance(long target) {
        try {
            while (true) {
                ValueType vt;
                if (cur == null) {
                    if (!openNextChunk(target)) {
                        return type = ValueType.NONE;
                    }
                    vt = cur.seek(Math.max(mint, target));
                } else {
                    vt = target == Long.MIN_VALUE ? cur.next() : cur.seek(target);
                }
                if (vt == ValueType.NONE) {
                    cur = null;
                    continue;
                }
                long t = cur.timestamp();
                if (t > maxt) {
                    cur = null;
                    nextIdx = n;
                    return type = ValueType.NONE;
                }
                while (delIdx < deleted.size() && deleted.maxt(delIdx) < t) {
                    delIdx++;
                }
                if (delIdx < deleted.size() && deleted.mint(delIdx) <= t) {
                    long end = deleted.maxt(delIdx);
                    if (end == Long.MAX_VALUE) {
                        cur = null;
                        nextIdx = n;
                        return type = ValueType.NONE;
                    }
                    target = end + 1;
                    continue;
                }
                return type = vt;
            }
        } catch (CorruptChunkException | CorruptChunkFileException | IllegalArgumentException e) {
            if (blockDir == null) {
                throw e;
            }
            throw new CorruptBlockException(blockDir, "chunk " + Long.toHexString(refs[curIdx]) + ": " + e.getMessage(), e);
        }
    }

    private boolean openNextChunk(long target) {
        long lower = Math.max(mint, target);
        while (nextIdx < n) {
            int i = nextIdx;
            if (cMint[i] > maxt) {
                nextIdx = n;
                return false;
            }
            if (cMaxt[i] < lower || deleted.covers(Math.max(cMint[i], lower), Math.min(cMaxt[i], maxt))) {
                nextIdx++;
                continue;
            }
            curIdx = i;
            nextIdx++;
            Chunk c = given[i] != null ? given[i] : reader.chunk(refs[i]);
            int slot = c.encoding().ordinal();
            cur = c.iterator(pool[slot]);
            pool[slot] = cur;
            curChunk = c;
            return true;
        }
        return false;
    }

    /** Runs of floats go to the chunk iterator's bulk copy, chunk after chunk, unless deletions interfere. */
    @Override
    public int readFloats(long maxT, long[] ts, double[] vs, int off) {
        if (!started) {
            next();
        }
        int n = off;
        long limit = Math.min(maxT, maxt);
        try {
            while (type == ValueType.FLOAT && deleted.size() == 0 && n < ts.length && cur.timestamp() <= limit) {
                int before = n;
                n = cur.readFloats(limit, ts, vs, n);
                if (n == before) {
                    break;
                }
                ValueType cv = cur.seek(Long.MIN_VALUE);
                if (cv == ValueType.NONE) {
                    cur = null;
                    advance(Long.MIN_VALUE);
                } else if (cur.timestamp() > maxt) {
                    cur = null;
                    nextIdx = this.n;
                    type = ValueType.NONE;
                } else {
                    type = cv;
                }
            }
        } catch (CorruptChunkException e) {
            if (blockDir == null) {
                throw e;
            }
            throw new CorruptBlockException(blockDir, "chunk " + Long.toHexString(refs[curIdx]) + ": " + e.getMessage(), e);
        }
        return ChunkIterator.super.readFloats(maxT, ts, vs, n);
    }

    @Override
    public long timestamp() {
        return cur.timestamp();
    }

    @Override
    public double value() {
        return cur.value();
    }

    @Override
    public void histogram(FloatHistogram into) {
        cur.histogram(into);
        // The chunk iterator cannot know that its chunk started at a counter reset; the header says.
        if (cur.timestamp() == cMint[curIdx] && curChunk.counterResetHeader() == CounterResetHeader.RESET) {
            into.counterResetHint(FloatHistogram.CounterResetHint.RESET);
        }
    }
}
