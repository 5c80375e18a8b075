package io.mantis.metrics.tsdb.block;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Decides which blocks to merge and merges them (docs/format/tsdb.md, "Compaction"). */
public interface Compactor {

    /**
     * The blocks to compact together next, or an empty list when nothing is due. Call again after
     * each compaction (and deletion of its parents) until it returns nothing.
     */
    List<BlockMeta> plan(List<BlockMeta> blocks);

    /**
     * Writes the merge of {@code blocks} as a new block in {@code dir} and returns its meta, or
     * empty if no sample survives (nothing written). The blocks stay open and intact; the caller
     * deletes them afterwards ({@link Block#closeAndDelete}). Each parent's tombstones are read
     * once, at the start: a deletion recorded in a parent while the compaction runs is not in the
     * result, so the caller serialises deletions with compactions (or repeats them on the result).
     */
    Optional<BlockMeta> compact(Path dir, List<Block> blocks) throws IOException;

    default Optional<BlockMeta> compact(Path dir, Block... blocks) throws IOException {
        return compact(dir, List.of(blocks));
    }
}
