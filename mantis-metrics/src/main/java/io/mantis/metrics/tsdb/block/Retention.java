package io.mantis.metrics.tsdb.block;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which blocks retention deletes (docs/format/tsdb.md): by time, blocks whose {@code maxTime} is
 * more than {@code time} behind the newest block's {@code maxTime}; by size, walking from the
 * newest block to the oldest and adding sizes to the WAL's and head's, every block from the one
 * that takes the total past {@code maxBytes} on. Immutable.
 */
public final class Retention {

    private final long timeMillis;
    private final long maxBytes;

    /**
     * @param time     zero keeps blocks whatever their age
     * @param maxBytes zero means no size limit
     */
    public Retention(Duration time, long maxBytes) {
        if (time.isNegative() || maxBytes < 0) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        this.timeMillis = time.toMillis();
        this.maxBytes = maxBytes;
    }

    /** A block and the bytes of its files. */
    public record Candidate(BlockMeta meta, long sizeBytes) {
    }

    /**
     * The blocks to delete, oldest first.
     *
     * @param otherBytes bytes of the WAL and the head's chunk files, counted before any block
     */
    public List<BlockMeta> expired(List<Candidate> blocks, long otherBytes) {
        List<Candidate> newestFirst = new ArrayList<>(blocks);
        newestFirst.sort(Comparator.comparingLong((Candidate c) -> c.meta().minTime())
                .thenComparing(c -> c.meta().ulid()).reversed());
        Set<BlockMeta> out = new LinkedHashSet<>();
        if (timeMillis > 0 && !newestFirst.isEmpty()) {
            long newestMax = Long.MIN_VALUE;
            for (Candidate c : newestFirst) {
                newestMax = Math.max(newestMax, c.meta().maxTime());
            }
            for (Candidate c : newestFirst) {
                if (c.meta().maxTime() < newestMax - timeMillis) {
                    out.add(c.meta());
                }
            }
        }
        if (maxBytes > 0) {
            long total = otherBytes;
            boolean over = false;
            for (Candidate c : newestFirst) {
                total += c.sizeBytes();
                over |= total > maxBytes;
                if (over) {
                    out.add(c.meta());
                }
            }
        }
        List<BlockMeta> result = new ArrayList<>(out);
        result.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid));
        return result;
    }

    /** {@link #expired(List, long)} over open blocks. */
    public List<Block> expiredBlocks(List<Block> blocks, long otherBytes) {
        List<Candidate> candidates = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            candidates.add(new Candidate(b.meta(), b.sizeBytes()));
        }
        Set<Ulid> expired = new java.util.HashSet<>();
        for (BlockMeta m : expired(candidates, otherBytes)) {
            expired.add(m.ulid());
        }
        List<Block> out = new ArrayList<>();
        for (Block b : blocks) {
            if (expired.contains(b.ulid())) {
                out.add(b);
            }
        }
        out.sort(Comparator.comparingLong(Block::minTime).thenComparing(Block::ulid));
        return out;
    }
}
