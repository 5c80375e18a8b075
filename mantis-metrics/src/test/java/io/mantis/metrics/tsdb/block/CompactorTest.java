package io.mantis.metrics.tsdb.block;

import static io.mantis.metrics.tsdb.block.BlockTest.all;
import static io.mantis.metrics.tsdb.block.BlockTesting.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.block.BlockTesting.Reference;
import io.mantis.metrics.tsdb.block.BlockTesting.Sample;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeakedFiles.class)
class CompactorTest {

    static final long H = 3_600_000;
    static final long[] RANGES = {2 * H, 6 * H, 18 * H};

    @TempDir
    Path dir;

    // ---- planning ----

    private static BlockMeta meta(long min, long max) {
        return meta(min, max, 100, 0);
    }

    private static BlockMeta meta(long min, long max, long series, long tombstones) {
        return BlockMeta.level1(Ulid.next(), min, max, new BlockMeta.Stats(1000, series, 10, 1000, 0, tombstones));
    }

    private static List<BlockMeta> plan(BlockMeta... metas) {
        List<BlockMeta> in = new ArrayList<>(List.of(metas));
        java.util.Collections.shuffle(in, new Random(metas.length));
        return new LeveledCompactor(RANGES).plan(in);
    }

    @Test
    void plansAdjacentBlocksIntoTheNextRangeOnceComplete() {
        BlockMeta a = meta(0, 2 * H);
        BlockMeta b = meta(2 * H, 4 * H);
        BlockMeta c = meta(4 * H, 6 * H);
        BlockMeta d = meta(6 * H, 8 * H);
        assertThat(plan(a)).isEmpty();
        assertThat(plan(a, b)).as("the newest block stays out").isEmpty();
        assertThat(plan(a, b, c)).as("[0, 6h) could still grow").isEmpty();
        assertThat(plan(a, b, c, d)).containsExactly(a, b, c);
        // a gap: [0, 6h) holds a and c only, but a later candidate proves the interval is done
        BlockMeta e = meta(8 * H, 10 * H);
        assertThat(plan(a, c, d, e)).containsExactly(a, c);
        assertThat(plan(c, d, e)).isEmpty();
    }

    @Test
    void plansHigherLevelsAndLeavesTheLargestAlone() {
        List<BlockMeta> six = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            six.add(meta(i * 6 * H, (i + 1) * 6 * H));
        }
        BlockMeta newest = meta(18 * H, 20 * H);
        List<BlockMeta> all = new ArrayList<>(six);
        all.add(newest);
        assertThat(new LeveledCompactor(RANGES).plan(all)).containsExactlyElementsOf(six);
        BlockMeta big = meta(0, 18 * H);
        BlockMeta big2 = meta(18 * H, 36 * H);
        assertThat(plan(big, big2, meta(36 * H, 38 * H))).as("18h is the largest range").isEmpty();
        // blocks that straddle an interval of a range are no candidates for it
        BlockMeta straddling = meta(4 * H, 8 * H);
        BlockMeta b8 = meta(8 * H, 10 * H);
        BlockMeta b10 = meta(10 * H, 12 * H);
        assertThat(plan(straddling, b8, b10, meta(20 * H, 22 * H))).isEmpty();
        assertThat(plan(straddling, b8, b10, meta(12 * H, 14 * H), meta(20 * H, 22 * H))).containsExactly(b8, b10);
    }

    @Test
    void plansOverlappingBlocksFirst() {
        BlockMeta a = meta(0, 2 * H);
        BlockMeta b = meta(2 * H, 4 * H);
        BlockMeta c = meta(4 * H, 6 * H);
        BlockMeta d = meta(6 * H, 8 * H);
        BlockMeta ooo = meta(H, 3 * H);
        BlockMeta ooo2 = meta(3 * H + 1, 3 * H + 2);
        assertThat(plan(a, b, c, d, ooo)).containsExactly(a, ooo, b);
        assertThat(plan(a, b, c, d, ooo, ooo2)).containsExactly(a, ooo, b, ooo2);
        assertThat(plan(c, d, meta(7 * H, 9 * H))).hasSize(2).contains(d);
    }

    @Test
    void plansBlocksWithManyTombstonesAlone() {
        BlockMeta few = meta(0, 6 * H, 1000, 10);
        BlockMeta many = meta(6 * H, 12 * H, 1000, 100);
        BlockMeta smallMany = meta(12 * H, 14 * H, 1000, 100);
        BlockMeta smallAll = meta(14 * H, 16 * H, 10, 10);
        assertThat(plan(few, many, smallMany)).containsExactly(many);
        assertThat(plan(few, smallMany)).isEmpty();
        assertThat(plan(few, smallMany, smallAll)).containsExactly(smallAll);
    }

    @Test
    void rangesGrowByThreeUpToTheCap() {
        assertThat(LeveledCompactor.exponentialRanges(2 * H, Duration.ofDays(15))).containsExactly(2 * H, 6 * H, 18 * H);
        assertThat(LeveledCompactor.exponentialRanges(2 * H, Duration.ZERO))
                .containsExactly(2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H);
        assertThat(LeveledCompactor.exponentialRanges(2 * H, Duration.ofHours(10))).containsExactly(2 * H);
        assertThatThrownBy(() -> new LeveledCompactor(new long[] {6, 2})).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- compaction ----

    private Block block(Reference ref, long mint, long maxt) throws IOException {
        BlockMeta m = new BlockWriter(dir).write(mint, maxt, source(ref, mint, maxt));
        return Block.open(dir.resolve(m.ulid().toString()));
    }

    private static Block open(Path dir, BlockMeta m) throws IOException {
        return Block.open(dir.resolve(m.ulid().toString()));
    }

    @Test
    void adjacentBlocksAreMergedCopyingTheirChunks() throws IOException {
        Random rnd = new Random(8);
        Reference want = new Reference();
        List<Block> parents = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Reference part = BlockTesting.randomSeries(rnd, 80, i * 2 * H, (i + 1) * 2 * H, 200);
                want.addAll(part);
                parents.add(block(part, i * 2 * H, (i + 1) * 2 * H));
            }
            Optional<BlockMeta> out = new LeveledCompactor(RANGES).compact(dir, parents);
            assertThat(out).isPresent();
            BlockMeta m = out.get();
            assertThat(m.minTime()).isZero();
            assertThat(m.maxTime()).isEqualTo(6 * H);
            assertThat(m.compaction().level()).isEqualTo(2);
            assertThat(m.compaction().sources()).containsExactlyElementsOf(parents.stream().map(Block::ulid).sorted().toList());
            assertThat(m.compaction().parents()).extracting(BlockMeta.Parent::ulid)
                    .containsExactlyElementsOf(parents.stream().map(Block::ulid).toList());
            assertThat(m.stats().numChunks()).as("chunks copied, not re-cut")
                    .isEqualTo(parents.stream().mapToLong(b -> b.meta().stats().numChunks()).sum());
            assertThat(m.stats().numSamples()).isEqualTo(want.sampleCount());
            try (Block merged = open(dir, m)) {
                assertThat(all(merged)).isEqualTo(want.query(Long.MIN_VALUE, Long.MAX_VALUE));
                assertThat(merged.meta()).isEqualTo(m);
            }
            for (Block p : parents) {
                assertThat(Files.exists(p.dir())).as("the caller deletes parents").isTrue();
                assertThat(p.pins()).isZero();
            }
        } finally {
            parents.forEach(Block::close);
        }
    }

    @Test
    void overlappingBlocksAreMergedAndDeduplicatedNewestFirst() throws IOException {
        Random rnd = new Random(9);
        Reference older = BlockTesting.randomSeries(rnd, 60, 0, 2 * H, 300);
        Reference newer = BlockTesting.randomSeries(rnd, 60, H, 3 * H, 300);
        // the same series with conflicting values at the same timestamps
        Labels clash = Labels.of("__name__", "clash");
        for (long t = H; t < 2 * H; t += 60_000) {
            older.add(clash, Sample.f(t, 1));
            newer.add(clash, Sample.f(t, 2));
        }
        Reference want = new Reference();
        want.addAll(newer);
        want.addAll(older);
        try (Block a = block(older, 0, 2 * H); Block b = block(newer, H, 3 * H)) {
            assertThat(new LeveledCompactor(RANGES).plan(List.of(a.meta(), b.meta()))).containsExactly(a.meta(), b.meta());
            BlockMeta m = new LeveledCompactor(RANGES).compact(dir, a, b).orElseThrow();
            assertThat(m.minTime()).isZero();
            assertThat(m.maxTime()).isEqualTo(3 * H);
            try (Block merged = open(dir, m)) {
                assertThat(all(merged)).isEqualTo(want.query(Long.MIN_VALUE, Long.MAX_VALUE));
                try (var q = merged.querier(0, 3 * H)) {
                    assertThat(BlockTesting.read(q, Matcher.equal("__name__", "clash")).values().iterator().next())
                            .allMatch(k -> k.endsWith(":f" + Long.toHexString(Double.doubleToRawLongBits(2))));
                }
            }
        }
    }

    @Test
    void compactionAppliesTombstonesForGood() throws IOException {
        Random rnd = new Random(10);
        Reference ref = BlockTesting.randomSeries(rnd, 80, 0, 6 * H, 300);
        try (Block b = block(ref, 0, 6 * H)) {
            b.delete(H, 2 * H, Matcher.equal("job", "api"));
            ref.delete(H, 2 * H, l -> "api".equals(l.get("job")));
            b.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("job", "db"));
            ref.series.keySet().removeIf(l -> "db".equals(l.get("job")));
            assertThat(b.meta().stats().numTombstones()).isPositive();
            BlockMeta m = new LeveledCompactor(RANGES).compact(dir, b).orElseThrow();
            assertThat(m.stats().numTombstones()).isZero();
            assertThat(m.stats().numSeries()).isEqualTo(ref.series.size());
            assertThat(m.compaction().level()).isEqualTo(2);
            try (Block rewritten = open(dir, m)) {
                assertThat(Files.exists(rewritten.dir().resolve(Tombstones.FILE_NAME))).isFalse();
                assertThat(all(rewritten)).isEqualTo(ref.query(Long.MIN_VALUE, Long.MAX_VALUE));
                assertThat(rewritten.meta().stats().numSamples()).isEqualTo(ref.sampleCount());
            }
        }
    }

    @Test
    void aCompactionWithNothingLeftWritesNoBlock() throws IOException {
        Reference ref = BlockTesting.randomSeries(new Random(11), 10, 0, 2 * H, 50);
        try (Block b = block(ref, 0, 2 * H)) {
            b.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.regex("__name__", ".+"));
            assertThat(new LeveledCompactor(RANGES).plan(List.of(b.meta()))).containsExactly(b.meta());
            assertThat(new LeveledCompactor(RANGES).compact(dir, b)).isEmpty();
            assertThat(Blocks.list(dir)).containsExactly(b.dir());
            try (var s = Files.list(dir)) {
                assertThat(s.toList()).containsExactly(b.dir());
            }
        }
    }

    @Test
    void aClosedBlockCannotBeCompacted() throws IOException {
        Reference ref = new Reference();
        ref.add(Labels.of("__name__", "x"), Sample.f(1, 1));
        Block a = block(ref, 0, 10);
        Block b = block(ref, 10, 20);
        b.close();
        assertThatThrownBy(() -> new LeveledCompactor(RANGES).compact(dir, a, b)).isInstanceOf(IllegalStateException.class);
        assertThat(a.pins()).as("pins taken before the failure are given back").isZero();
        a.close();
    }

    @Test
    void theCompactionLoopKeepsEveryDistinctSampleAndCrashLeftoversAreCleanedUp() throws IOException {
        Random rnd = new Random(12);
        Reference want = new Reference();
        List<Block> blocks = new ArrayList<>();
        LeveledCompactor compactor = new LeveledCompactor(RANGES);
        try {
            // seven 2h blocks, one out-of-order block overlapping two of them
            for (int i = 0; i < 7; i++) {
                Reference part = BlockTesting.randomSeries(rnd, 30, i * 2 * H, (i + 1) * 2 * H, 60);
                want.addAll(part);
                blocks.add(block(part, i * 2 * H, (i + 1) * 2 * H));
            }
            Reference late = BlockTesting.randomSeries(rnd, 30, 3 * H, 5 * H, 60);
            blocks.add(block(late, 3 * H, 5 * H));
            Reference expected = new Reference();
            expected.addAll(late); // the newest block wins duplicates
            expected.addAll(want);
            int rounds = 0;
            while (true) {
                List<BlockMeta> plan = compactor.plan(blocks.stream().map(Block::meta).toList());
                if (plan.isEmpty()) {
                    break;
                }
                assertThat(++rounds).isLessThan(10);
                List<Block> parents = blocks.stream().filter(b -> plan.contains(b.meta())).toList();
                BlockMeta m = compactor.compact(dir, parents).orElseThrow();
                if (rounds == 1) {
                    // a crash before the parents were deleted: start-up removes them
                    assertThat(Blocks.cleanUp(dir).removedParents()).containsExactlyInAnyOrderElementsOf(
                            parents.stream().map(Block::dir).toList());
                }
                parents.forEach(Block::closeAndDelete);
                blocks.removeAll(parents);
                blocks.add(open(dir, m));
            }
            blocks.sort(Comparator.comparingLong(Block::minTime));
            assertThat(blocks).extracting(b -> b.maxTime() - b.minTime()).containsExactly(6 * H, 6 * H, 2 * H);
            java.util.Map<Labels, List<String>> union = new java.util.TreeMap<>();
            for (Block b : blocks) {
                all(b).forEach((l, keys) -> union.computeIfAbsent(l, x -> new ArrayList<>()).addAll(keys));
            }
            assertThat(union).isEqualTo(new java.util.TreeMap<>(expected.query(Long.MIN_VALUE, Long.MAX_VALUE)));
            assertThat(Blocks.list(dir)).hasSize(3);
        } finally {
            blocks.forEach(Block::close);
        }
    }
}
