package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunks.CorruptChunkFileException;
import io.mantis.metrics.tsdb.index.ChunkMetas;
import io.mantis.metrics.tsdb.index.CorruptIndexException;
import io.mantis.otlp.prometheus.Labels;
import java.util.List;

/**
 * The series of several blocks merged by labels, for compaction. A series' chunks are passed on
 * as they are when the parts' chunks do not overlap in time and none is touched by a tombstone;
 * otherwise its samples are merged (blocks earlier in the list winning equal timestamps), the
 * deleted ones left out, and re-encoded.
 */
final class CompactionSeriesSet implements ChunkSeriesSet {

    private static final class Cursor {
        final Block block;
        /** Taken once, so that a deletion during the compaction applies to all series or none. */
        final Tombstones tombstones;
        final int count;
        int ordinal = -1;
        Labels labels;
        final ChunkMetas metas = new ChunkMetas();

        Cursor(Block block) {
            this.block = block;
            this.tombstones = block.tombstones();
            this.count = block.index().seriesCount();
        }

        boolean advance() {
            ordinal++;
            if (ordinal >= count) {
                labels = null;
                return false;
            }
            try {
                labels = block.index().series(ordinal, metas);
            } catch (CorruptIndexException e) {
                throw new CorruptBlockException(block.dir(), e.getMessage(), e);
            }
            return true;
        }
    }

    private final Cursor[] cursors;
    private final int[] members;
    private int memberCount;
    private boolean started;
    private final ChunkList out = new ChunkList();
    private Labels labels;
    private final SampleChunker chunker;
    private final MergeIterator merge = new MergeIterator();
    private final ChunksIterator[] iterators;
    private final int[] next;

    /** {@code blocks} in priority order: the first wins samples at equal timestamps. */
    CompactionSeriesSet(List<Block> blocks, SampleChunker chunker) {
        cursors = new Cursor[blocks.size()];
        for (int i = 0; i < cursors.length; i++) {
            cursors[i] = new Cursor(blocks.get(i));
        }
        members = new int[cursors.length];
        iterators = new ChunksIterator[cursors.length];
        next = new int[cursors.length];
        this.chunker = chunker;
    }

    @Override
    public boolean next() {
        out.clear();
        while (true) {
            if (!started) {
                started = true;
                for (Cursor c : cursors) {
                    c.advance();
                }
            } else {
                for (int k = 0; k < memberCount; k++) {
                    cursors[members[k]].advance();
                }
            }
            labels = null;
            memberCount = 0;
            for (int i = 0; i < cursors.length; i++) {
                Labels l = cursors[i].labels;
                if (l == null) {
                    continue;
                }
                int c = labels == null ? -1 : l.compareTo(labels);
                if (c < 0) {
                    labels = l;
                    memberCount = 0;
                }
                if (c <= 0) {
                    members[memberCount++] = i;
                }
            }
            if (memberCount == 0) {
                return false;
            }
            build();
            if (out.size() > 0) {
                return true;
            }
        }
    }

    private void build() {
        boolean copy = true;
        for (int k = 0; k < memberCount && copy; k++) {
            Cursor c = cursors[members[k]];
            Intervals del = c.tombstones.get(c.ordinal);
            for (int i = 0; i < c.metas.size(); i++) {
                if (del.intersects(c.metas.minTime(i), c.metas.maxTime(i))) {
                    copy = false;
                    break;
                }
            }
        }
        if (copy && copyInTimeOrder()) {
            return;
        }
        out.clear();
        merge.reset(memberCount);
        for (int k = 0; k < memberCount; k++) {
            Cursor c = cursors[members[k]];
            if (iterators[k] == null) {
                iterators[k] = new ChunksIterator();
            }
            iterators[k].reset(c.block.chunkReader(), c.block.dir(), c.metas, c.tombstones.get(c.ordinal),
                    Long.MIN_VALUE, Long.MAX_VALUE);
            merge.set(k, iterators[k]);
        }
        chunker.encode(merge, out);
    }

    /**
     * Puts the members' chunks into {@link #out} in time order (each member's are already);
     * false, leaving {@code out} to be refilled, if two overlap.
     */
    private boolean copyInTimeOrder() {
        for (int k = 0; k < memberCount; k++) {
            next[k] = 0;
        }
        long prevMax = Long.MIN_VALUE;
        boolean any = false;
        while (true) {
            int best = -1;
            long bestMin = Long.MAX_VALUE;
            for (int k = 0; k < memberCount; k++) {
                Cursor c = cursors[members[k]];
                if (next[k] < c.metas.size() && (best < 0 || c.metas.minTime(next[k]) < bestMin)) {
                    best = k;
                    bestMin = c.metas.minTime(next[k]);
                }
            }
            if (best < 0) {
                return true;
            }
            Cursor c = cursors[members[best]];
            int i = next[best]++;
            if (any && c.metas.minTime(i) <= prevMax) {
                return false;
            }
            out.add(c.metas.minTime(i), c.metas.maxTime(i), load(c, i));
            prevMax = c.metas.maxTime(i);
            any = true;
        }
    }

    private static Chunk load(Cursor c, int i) {
        try {
            return c.block.chunkReader().chunk(c.metas.ref(i));
        } catch (CorruptChunkFileException | IllegalArgumentException e) {
            throw new CorruptBlockException(c.block.dir(), "chunk " + Long.toHexString(c.metas.ref(i)) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Labels labels() {
        return labels;
    }

    @Override
    public ChunkList chunks() {
        return out;
    }
}
