package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunks.ChunkWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compaction in levels of growing block ranges (docs/format/tsdb.md): overlapping blocks are
 * merged first, then adjacent blocks into aligned ranges of the next level, then blocks with many
 * tombstones are rewritten alone. Thread-safe as long as one compaction runs at a time per
 * directory.
 */
public final class LeveledCompactor implements Compactor {

    /** Largest block range, whatever the retention. */
    public static final long MAX_RANGE = Duration.ofDays(31).toMillis();

    private final long[] ranges;
    private final int maxSamplesPerChunk;
    private final long maxSegmentBytes;
    private final Encoding floatEncoding;

    /**
     * Writes floats into XOR chunks.
     *
     * @param ranges block ranges in ms, ascending, {@code ranges[0]} the head's block range
     */
    public LeveledCompactor(long[] ranges, int maxSamplesPerChunk, long maxSegmentBytes) {
        this(ranges, maxSamplesPerChunk, maxSegmentBytes, Encoding.XOR);
    }

    /**
     * @param ranges        block ranges in ms, ascending, {@code ranges[0]} the head's block range
     * @param floatEncoding what float chunks of the new blocks are written in (XOR or DECIMAL);
     *                      chunks of the other float encoding are re-encoded
     */
    public LeveledCompactor(long[] ranges, int maxSamplesPerChunk, long maxSegmentBytes, Encoding floatEncoding) {
        if (!floatEncoding.isFloat()) {
            throw new IllegalArgumentException(floatEncoding + " is not an encoding of float samples");
        }
        this.floatEncoding = floatEncoding;
        if (ranges.length == 0) {
            throw new IllegalArgumentException("no block ranges");
        }
        for (int i = 0; i < ranges.length; i++) {
            if (ranges[i] <= 0 || (i > 0 && ranges[i] <= ranges[i - 1])) {
                throw new IllegalArgumentException("block ranges must be positive and ascending");
            }
        }
        this.ranges = ranges.clone();
        this.maxSamplesPerChunk = maxSamplesPerChunk;
        this.maxSegmentBytes = maxSegmentBytes;
    }

    public LeveledCompactor(long[] ranges) {
        this(ranges, SampleChunker.DEFAULT_MAX_SAMPLES, ChunkWriter.DEFAULT_MAX_SEGMENT_BYTES);
    }

    /**
     * {@code baseRange} times 1, 3, 9, 27 ... up to 10 % of {@code retention} (when it is not
     * zero) and at most 31 days; always at least {@code baseRange} itself.
     */
    public static long[] exponentialRanges(long baseRange, Duration retention) {
        long cap = MAX_RANGE;
        if (!retention.isZero()) {
            cap = Math.min(cap, retention.toMillis() / 10);
        }
        List<Long> out = new ArrayList<>();
        out.add(baseRange);
        for (long r = baseRange * 3; r <= cap && r > 0; r *= 3) {
            out.add(r);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    public long[] ranges() {
        return ranges.clone();
    }

    // ---- planning ----

    private static final Comparator<BlockMeta> BY_TIME =
            Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid);

    @Override
    public List<BlockMeta> plan(List<BlockMeta> blocks) {
        if (blocks.isEmpty()) {
            return List.of();
        }
        List<BlockMeta> sorted = new ArrayList<>(blocks);
        sorted.sort(BY_TIME);

        List<BlockMeta> overlapping = firstOverlap(sorted);
        if (!overlapping.isEmpty()) {
            return overlapping;
        }

        // The newest block stays out, so a block just cut from the head is not compacted at once.
        List<BlockMeta> candidates = sorted.subList(0, sorted.size() - 1);
        // A group ending before the newest candidate can grow no more: the head has moved on.
        long highTime = candidates.isEmpty() ? Long.MIN_VALUE : candidates.get(candidates.size() - 1).minTime();
        for (int r = 1; r < ranges.length; r++) {
            for (List<BlockMeta> group : splitByRange(candidates, ranges[r])) {
                if (group.size() < 2) {
                    continue;
                }
                long mint = group.get(0).minTime();
                long maxt = group.get(group.size() - 1).maxTime();
                if (maxt - mint == ranges[r] || maxt <= highTime) {
                    return group;
                }
            }
        }

        for (int i = sorted.size() - 1; i >= 0; i--) {
            BlockMeta m = sorted.get(i);
            BlockMeta.Stats s = m.stats();
            if (s.numTombstones() == 0) {
                continue;
            }
            if (s.numTombstones() >= s.numSeries()) {
                return List.of(m);
            }
            if (m.maxTime() - m.minTime() >= ranges[ranges.length / 2]
                    && (double) s.numTombstones() / (s.numSeries() + 1) > 0.05) {
                return List.of(m);
            }
        }
        return List.of();
    }

    /** The first chain (by time) of two or more blocks that overlap, or empty. */
    private static List<BlockMeta> firstOverlap(List<BlockMeta> sorted) {
        List<BlockMeta> group = new ArrayList<>();
        long groupMax = Long.MIN_VALUE;
        for (BlockMeta m : sorted) {
            if (!group.isEmpty() && m.minTime() < groupMax) {
                group.add(m);
                groupMax = Math.max(groupMax, m.maxTime());
                continue;
            }
            if (group.size() >= 2) {
                return group;
            }
            group.clear();
            group.add(m);
            groupMax = m.maxTime();
        }
        return group.size() >= 2 ? group : List.of();
    }

    /** Groups of blocks lying entirely in one aligned interval {@code [k·r, (k+1)·r)}, in time order. */
    static List<List<BlockMeta>> splitByRange(List<BlockMeta> sorted, long r) {
        List<List<BlockMeta>> groups = new ArrayList<>();
        List<BlockMeta> cur = null;
        long curStart = 0;
        for (BlockMeta m : sorted) {
            long start = Math.floorDiv(m.minTime(), r) * r;
            if (m.maxTime() > start + r) {
                continue; // spans more than one interval of this range
            }
            if (cur == null || start != curStart) {
                cur = new ArrayList<>();
                groups.add(cur);
                curStart = start;
            }
            cur.add(m);
        }
        return groups;
    }

    // ---- compaction ----

    @Override
    public Optional<BlockMeta> compact(Path dir, List<Block> blocks) throws IOException {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("nothing to compact");
        }
        List<Block> pinned = new ArrayList<>(blocks.size());
        try {
            for (Block b : blocks) {
                if (!b.tryAcquire()) {
                    throw new IllegalStateException(b + " is closed");
                }
                pinned.add(b);
            }
            // Newest first: its samples win equal timestamps (docs/format/tsdb.md).
            List<Block> byPriority = new ArrayList<>(pinned);
            byPriority.sort(Comparator.comparing(Block::ulid).reversed());
            long mint = Long.MAX_VALUE;
            long maxt = Long.MIN_VALUE;
            int level = 0;
            TreeSet<Ulid> sources = new TreeSet<>();
            List<BlockMeta.Parent> parents = new ArrayList<>();
            List<Block> byTime = new ArrayList<>(pinned);
            byTime.sort(Comparator.comparingLong(Block::minTime).thenComparing(Block::ulid));
            for (Block b : byTime) {
                BlockMeta m = b.meta();
                mint = Math.min(mint, m.minTime());
                maxt = Math.max(maxt, m.maxTime());
                level = Math.max(level, m.compaction().level());
                sources.addAll(m.compaction().sources());
                parents.add(new BlockMeta.Parent(m.ulid(), m.minTime(), m.maxTime()));
            }
            BlockMeta.Compaction lineage = new BlockMeta.Compaction(level + 1, new ArrayList<>(sources), parents);
            BlockWriter writer = new BlockWriter(dir, maxSamplesPerChunk, maxSegmentBytes, floatEncoding);
            CompactionSeriesSet series = new CompactionSeriesSet(byPriority,
                    new SampleChunker(maxSamplesPerChunk, floatEncoding));
            BlockMeta meta = writer.write(Ulid.next(), mint, maxt, lineage, series);
            if (meta.stats().numSamples() == 0) {
                Blocks.delete(dir.resolve(meta.ulid().toString()));
                return Optional.empty();
            }
            return Optional.of(meta);
        } finally {
            for (Block b : pinned) {
                b.release();
            }
        }
    }
}
