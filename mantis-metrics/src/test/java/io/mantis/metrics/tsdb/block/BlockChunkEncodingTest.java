package io.mantis.metrics.tsdb.block;

import static io.mantis.metrics.tsdb.block.BlockTest.all;
import static io.mantis.metrics.tsdb.block.BlockTesting.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.block.BlockTesting.Reference;
import io.mantis.metrics.tsdb.block.BlockTesting.Sample;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunks.ChunkWriter;
import io.mantis.metrics.tsdb.index.ChunkMetas;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Blocks with float chunks in XOR, DECIMAL or both: writing, reading back, compacting. */
@ExtendWith(NoLeakedFiles.class)
class BlockChunkEncodingTest {

    static final long H = 3_600_000;
    static final long[] RANGES = {2 * H, 6 * H, 18 * H};

    @TempDir
    Path dir;

    private Block write(Reference ref, long mint, long maxt, Encoding floats) throws IOException {
        BlockMeta m = new BlockWriter(dir, SampleChunker.DEFAULT_MAX_SAMPLES, ChunkWriter.DEFAULT_MAX_SEGMENT_BYTES, floats)
                .write(mint, maxt, source(ref, mint, maxt));
        return Block.open(dir.resolve(m.ulid().toString()), true);
    }

    private static LeveledCompactor compactor(Encoding floats) {
        return new LeveledCompactor(RANGES, SampleChunker.DEFAULT_MAX_SAMPLES, ChunkWriter.DEFAULT_MAX_SEGMENT_BYTES,
                floats);
    }

    /** Chunks of the block by encoding; float series' samples per chunk must respect the cut. */
    private static Map<Encoding, Integer> chunkEncodings(Block b) {
        Map<Encoding, Integer> out = new EnumMap<>(Encoding.class);
        ChunkMetas metas = new ChunkMetas();
        for (int s = 0; s < b.index().seriesCount(); s++) {
            b.index().series(s, metas);
            for (int i = 0; i < metas.size(); i++) {
                var c = b.chunkReader().chunk(metas.ref(i));
                out.merge(c.encoding(), 1, Integer::sum);
                if (c.encoding() == Encoding.DECIMAL) {
                    assertThat(c.numSamples()).isBetween(1, SampleChunker.DECIMAL_MAX_SAMPLES);
                }
            }
        }
        return out;
    }

    private static void assertQueriesMatch(Block b, Reference ref, Random rnd, long mint, long maxt) {
        assertThat(all(b)).isEqualTo(ref.query(Long.MIN_VALUE, Long.MAX_VALUE));
        for (int q = 0; q < 10; q++) {
            long a = rnd.nextLong(mint - 1000, maxt + 1000);
            long z = a + rnd.nextLong(0, (maxt - mint) / 2);
            Matcher m = Matcher.regex("job", rnd.nextBoolean() ? "api|db" : ".+");
            try (Querier querier = b.querier(a, z)) {
                assertThat(BlockTesting.read(querier, m)).as("query [%d, %d]", a, z).isEqualTo(ref.query(a, z, m));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"XOR", "DECIMAL"})
    void writesFloatsInTheConfiguredEncodingAndReadsThemBack(Encoding floats) throws IOException {
        Random rnd = new Random(floats.ordinal() + 1);
        Reference ref = BlockTesting.randomSeries(rnd, 50, 0, 2 * H, 1200);
        try (Block b = write(ref, 0, 2 * H, floats)) {
            assertQueriesMatch(b, ref, rnd, 0, 2 * H);
            Map<Encoding, Integer> enc = chunkEncodings(b);
            Encoding other = floats == Encoding.XOR ? Encoding.DECIMAL : Encoding.XOR;
            assertThat(enc).containsKey(floats).doesNotContainKey(other);
            assertThat(enc).containsKeys(Encoding.HISTOGRAM, Encoding.FLOAT_HISTOGRAM);
            long floatSamples = ref.series.values().stream().flatMap(s -> s.values().stream())
                    .filter(s -> s.h() == null).count();
            assertThat(b.meta().stats().numFloatSamples()).isEqualTo(floatSamples);
        }
    }

    @Test
    void decimalBlocksAreSmallerWithFewerChunks() throws IOException {
        Reference ref = new Reference();
        for (int s = 0; s < 50; s++) {
            Labels l = Labels.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(s));
            for (int i = 0; i < 720; i++) {
                ref.add(l, Sample.f(i * 10_000L, (12_345 + 7L * i + (i * s) % 5) / 100.0));
            }
        }
        long xorBytes;
        try (Block x = write(ref, 0, 2 * H, Encoding.XOR)) {
            xorBytes = x.sizeBytes();
            assertThat(x.meta().stats().numChunks()).isEqualTo(50 * 6);
        }
        try (Block d = write(ref, 0, 2 * H, Encoding.DECIMAL)) {
            // 720 samples a series: three chunks of 240 instead of six of 120.
            assertThat(d.meta().stats().numChunks()).isEqualTo(50 * 3);
            assertThat(d.sizeBytes()).isLessThan(xorBytes / 2);
            assertQueriesMatch(d, ref, new Random(1), 0, 2 * H);
        }
    }

    @Test
    void longSeriesAreSplitIntoEvenDecimalChunks() throws IOException {
        Reference ref = new Reference();
        Labels l = Labels.of("__name__", "fast");
        int n = 2 * SampleChunker.DECIMAL_MAX_SAMPLES + 10;
        for (int i = 0; i < n; i++) {
            ref.add(l, Sample.f(i * 1000L, i % 3));
        }
        try (Block b = write(ref, 0, 2 * H, Encoding.DECIMAL)) {
            ChunkMetas metas = new ChunkMetas();
            b.index().series(0, metas);
            assertThat(metas.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                assertThat(b.chunkReader().chunk(metas.ref(i)).numSamples()).isBetween(n / 3, n / 3 + 1);
            }
            assertQueriesMatch(b, ref, new Random(2), 0, n * 1000L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"XOR", "DECIMAL"})
    void compactsBlocksOfMixedEncodingsIntoTheConfiguredOne(Encoding target) throws IOException {
        Random rnd = new Random(20 + target.ordinal());
        Reference a = BlockTesting.randomSeries(rnd, 30, 0, 2 * H, 300);
        Reference b = BlockTesting.randomSeries(rnd, 30, 2 * H, 4 * H, 300);
        Reference c = BlockTesting.randomSeries(rnd, 30, H, 2 * H, 150); // overlaps a
        Reference want = new Reference();
        // Newer blocks win equal timestamps: c, then b, then a (as the compactor orders them).
        try (Block xa = write(a, 0, 2 * H, Encoding.XOR); Block db = write(b, 2 * H, 4 * H, Encoding.DECIMAL);
                Block dc = write(c, H, 2 * H, Encoding.DECIMAL)) {
            want.addAll(c);
            want.addAll(b);
            want.addAll(a);
            BlockMeta m = compactor(target).compact(dir, xa, db, dc).orElseThrow();
            try (Block merged = Block.open(dir.resolve(m.ulid().toString()), true)) {
                assertThat(all(merged)).isEqualTo(want.query(Long.MIN_VALUE, Long.MAX_VALUE));
                Map<Encoding, Integer> enc = chunkEncodings(merged);
                assertThat(enc).containsKey(target)
                        .doesNotContainKey(target == Encoding.XOR ? Encoding.DECIMAL : Encoding.XOR);
                assertQueriesMatch(merged, want, rnd, 0, 4 * H);
            }
        }
    }

    @Test
    void decimalBlocksNeedingNoChangeAreCopiedByCompaction() throws IOException {
        Random rnd = new Random(30);
        Reference a = BlockTesting.randomSeries(rnd, 25, 0, 2 * H, 300);
        Reference b = BlockTesting.randomSeries(rnd, 25, 2 * H, 4 * H, 300);
        try (Block da = write(a, 0, 2 * H, Encoding.DECIMAL); Block db = write(b, 2 * H, 4 * H, Encoding.DECIMAL)) {
            BlockMeta m = compactor(Encoding.DECIMAL).compact(dir, da, db).orElseThrow();
            assertThat(m.stats().numChunks()).isEqualTo(da.meta().stats().numChunks() + db.meta().stats().numChunks());
            Reference want = new Reference();
            want.addAll(a);
            want.addAll(b);
            try (Block merged = Block.open(dir.resolve(m.ulid().toString()), true)) {
                assertThat(all(merged)).isEqualTo(want.query(Long.MIN_VALUE, Long.MAX_VALUE));
            }
        }
    }

    @Test
    void decimalBlocksKeepDeletionsThroughCompaction() throws IOException {
        Random rnd = new Random(31);
        Reference ref = BlockTesting.randomSeries(rnd, 60, 0, 2 * H, 400);
        try (Block d = write(ref, 0, 2 * H, Encoding.DECIMAL)) {
            d.delete(H / 2, H, Matcher.equal("job", "api"));
            ref.delete(H / 2, H, l -> "api".equals(l.get("job")));
            assertThat(all(d)).isEqualTo(ref.query(Long.MIN_VALUE, Long.MAX_VALUE));
            BlockMeta m = compactor(Encoding.DECIMAL).compact(dir, List.of(d)).orElseThrow();
            try (Block merged = Block.open(dir.resolve(m.ulid().toString()), true)) {
                assertThat(all(merged)).isEqualTo(ref.query(Long.MIN_VALUE, Long.MAX_VALUE));
            }
        }
    }

    @Test
    void onlyFloatEncodingsAreAcceptedForFloats() {
        assertThatThrownBy(() -> new SampleChunker(120, Encoding.HISTOGRAM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> compactor(Encoding.FLOAT_HISTOGRAM)).isInstanceOf(IllegalArgumentException.class);
    }
}
