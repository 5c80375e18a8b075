package io.mantis.metrics.tsdb.block;

import static io.mantis.metrics.tsdb.block.BlockTesting.chunks;
import static io.mantis.metrics.tsdb.block.BlockTesting.read;
import static io.mantis.metrics.tsdb.block.BlockTesting.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.block.BlockTesting.Reference;
import io.mantis.metrics.tsdb.block.BlockTesting.Sample;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.index.BlockIndexReader;
import io.mantis.metrics.tsdb.index.ChunkMetas;
import io.mantis.otlp.prometheus.Labels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeakedFiles.class)
class BlockTest {

    static final long H2 = 7_200_000;

    @TempDir
    Path dir;

    static Matcher[] randomMatchers(Random rnd) {
        List<Matcher> ms = new ArrayList<>();
        switch (rnd.nextInt(6)) {
            case 0 -> ms.add(Matcher.equal("job", BlockTesting.JOBS[rnd.nextInt(3)]));
            case 1 -> ms.add(Matcher.regex("__name__", "m[01]"));
            case 2 -> {
                ms.add(Matcher.regex("job", "api|db"));
                ms.add(Matcher.equal("zone", ""));
            }
            case 3 -> {
                ms.add(Matcher.equal("__name__", "m" + rnd.nextInt(4)));
                ms.add(Matcher.notEqual("zone", "z1"));
            }
            case 4 -> ms.add(Matcher.regex("instance", "i1.*"));
            default -> {
                ms.add(Matcher.notRegex("job", "web"));
                ms.add(Matcher.regex("__name__", ".+"));
            }
        }
        return ms.toArray(Matcher[]::new);
    }

    private Block writeAndOpen(Reference ref, long mint, long maxt) throws IOException {
        BlockMeta meta = new BlockWriter(dir).write(mint, maxt, source(ref, mint, maxt));
        return Block.open(dir.resolve(meta.ulid().toString()));
    }

    @Test
    void roundTripsRandomSeriesAgainstBruteForce() throws IOException {
        for (int seed = 1; seed <= 3; seed++) {
            Random rnd = new Random(seed);
            Reference ref = BlockTesting.randomSeries(rnd, 150, 0, H2, 400);
            try (Block block = writeAndOpen(ref, 0, H2)) {
                BlockMeta m = block.meta();
                assertThat(m.stats().numSeries()).isEqualTo(ref.series.size());
                assertThat(m.stats().numSamples()).isEqualTo(ref.sampleCount());
                long floats = ref.series.values().stream().flatMap(s -> s.values().stream())
                        .filter(s -> s.h() == null).count();
                assertThat(m.stats().numFloatSamples()).isEqualTo(floats);
                assertThat(m.stats().numHistogramSamples()).isEqualTo(ref.sampleCount() - floats);
                assertThat(m.compaction().level()).isEqualTo(1);
                assertThat(m.compaction().sources()).containsExactly(m.ulid());
                assertThat(BlockMeta.read(block.dir())).isEqualTo(m);

                for (int q = 0; q < 30; q++) {
                    long a = rnd.nextLong(-1000, H2 + 1000);
                    long b = q % 5 == 0 ? Long.MAX_VALUE : a + rnd.nextLong(0, H2 / 2);
                    if (q % 7 == 0) {
                        a = Long.MIN_VALUE;
                    }
                    Matcher[] ms = randomMatchers(rnd);
                    try (Querier querier = block.querier(a, b)) {
                        Map<Labels, List<String>> want = ref.query(a, b, ms);
                        assertThat(read(querier, ms)).as("seed %d query %d [%d, %d] %s", seed, q, a, b, List.of(ms))
                                .isEqualTo(want);
                        assertThat(BlockTesting.readBulk(querier, b, 1 + q % 4, ms)).as("bulk, query %d", q)
                                .isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void aBlockHoldsNoSampleOutsideItsRangeAndMergesOverlappingChunks() throws IOException {
        Labels a = Labels.of("__name__", "a");
        Labels b = Labels.of("__name__", "b");
        List<Sample> wide = new ArrayList<>();
        for (long t = -1000; t <= 10_000; t += 10) {
            wide.add(Sample.f(t, t));
        }
        List<Sample> first = new ArrayList<>();
        List<Sample> second = new ArrayList<>();
        for (long t = 0; t <= 100; t += 10) {
            first.add(Sample.f(t, 1));
        }
        for (long t = 50; t <= 150; t += 5) {
            second.add(Sample.f(t, 2));
        }
        ChunkList overlapping = chunks(first);
        ChunkList more = chunks(second);
        for (int i = 0; i < more.size(); i++) {
            overlapping.add(more.minTime(i), more.maxTime(i), more.chunk(i));
        }
        TreeMap<Labels, ChunkList> in = new TreeMap<>();
        in.put(a, chunks(wide));
        in.put(b, overlapping);
        BlockMeta meta = new BlockWriter(dir).write(0, 5000, ChunkSeriesSets.of(in));
        Path blockDir = dir.resolve(meta.ulid().toString());

        try (BlockIndexReader index = BlockIndexReader.open(blockDir.resolve("index"))) {
            ChunkMetas cm = new ChunkMetas();
            for (int s = 0; s < index.seriesCount(); s++) {
                index.series(s, cm);
                for (int c = 0; c < cm.size(); c++) {
                    assertThat(cm.minTime(c)).isGreaterThanOrEqualTo(0);
                    assertThat(cm.maxTime(c)).isLessThan(5000);
                    if (c > 0) {
                        assertThat(cm.minTime(c)).isGreaterThan(cm.maxTime(c - 1));
                    }
                }
            }
        }
        try (Block block = Block.open(blockDir); Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            Reference want = new Reference();
            for (Sample s : wide) {
                if (s.t() >= 0 && s.t() < 5000) {
                    want.add(a, s);
                }
            }
            first.forEach(s -> want.add(b, s));
            second.forEach(s -> want.add(b, s)); // the chunk listed first wins equal timestamps
            assertThat(read(q)).isEqualTo(want.query(Long.MIN_VALUE, Long.MAX_VALUE));
            assertThat(block.meta().stats().numSamples()).isEqualTo(want.sampleCount());
        }
    }

    @Test
    void seriesOutOfOrderAreRefusedAndLeaveNothingBehind() throws IOException {
        ChunkList c = chunks(List.of(Sample.f(1, 1)));
        Labels x = Labels.of("__name__", "x");
        Labels y = Labels.of("__name__", "y");
        ChunkSeriesSet backwards = new ChunkSeriesSet() {
            int i = -1;

            @Override
            public boolean next() {
                return ++i < 2;
            }

            @Override
            public Labels labels() {
                return i == 0 ? y : x;
            }

            @Override
            public ChunkList chunks() {
                return c;
            }
        };
        assertThatThrownBy(() -> new BlockWriter(dir).write(0, 10, backwards))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void anEmptySourceMakesAValidEmptyBlock() throws IOException {
        BlockMeta meta = new BlockWriter(dir).write(0, H2, ChunkSeriesSets.of(new TreeMap<>()));
        assertThat(meta.stats()).isEqualTo(BlockMeta.Stats.EMPTY);
        try (Block b = Block.open(dir.resolve(meta.ulid().toString())); Querier q = b.querier(0, H2)) {
            assertThat(q.select(true).next()).isFalse();
            assertThat(q.labelNames()).isEmpty();
        }
    }

    @Test
    void labelNamesAndValuesFollowMatchers() throws IOException {
        Reference ref = new Reference();
        ref.add(Labels.of("__name__", "up", "job", "api", "pod", "p1"), Sample.f(10, 1));
        ref.add(Labels.of("__name__", "up", "job", "db"), Sample.f(10, 1));
        ref.add(Labels.of("__name__", "down", "job", "web", "zone", "eu"), Sample.f(10, 1));
        try (Block block = writeAndOpen(ref, 0, 100); Querier q = block.querier(0, 100)) {
            assertThat(q.labelNames()).containsExactly("__name__", "job", "pod", "zone");
            assertThat(q.labelNames(Matcher.equal("__name__", "up"))).containsExactly("__name__", "job", "pod");
            assertThat(q.labelValues("job")).containsExactly("api", "db", "web");
            assertThat(q.labelValues("job", Matcher.equal("__name__", "up"))).containsExactly("api", "db");
            assertThat(q.labelValues("nope")).isEmpty();
        }
        try (Block block = Block.open(Blocks.list(dir).get(0)); Querier q = block.querier(100, 200)) {
            assertThat(q.labelNames()).as("a querier outside the block's range").isEmpty();
            assertThat(q.select(true, Matcher.equal("job", "db")).next()).isFalse();
        }
    }

    @Test
    void iteratorsSeekSkipDeletedRangesAndAreReused() throws IOException {
        Reference ref = new Reference();
        Labels l1 = Labels.of("__name__", "s", "i", "1");
        Labels l2 = Labels.of("__name__", "s", "i", "2");
        for (long t = 0; t < 1000; t++) {
            ref.add(l1, Sample.f(t, t));
            ref.add(l2, Sample.f(t, -t));
        }
        try (Block block = writeAndOpen(ref, 0, 1000)) {
            assertThat(block.delete(100, 299, Matcher.equal("i", "1"))).isEqualTo(1);
            assertThat(block.delete(500, 500, Matcher.equal("i", "1"))).isEqualTo(1);
            try (Querier q = block.querier(50, 900)) {
                SeriesSet set = q.select(true, Matcher.equal("__name__", "s"));
                assertThat(set.next()).isTrue();
                ChunkIterator it = set.at().iterator(null);
                assertThat(it.seek(10)).isEqualTo(ValueType.FLOAT);
                assertThat(it.timestamp()).isEqualTo(50);
                assertThat(it.seek(20)).as("stays on a sample that qualifies").isEqualTo(ValueType.FLOAT);
                assertThat(it.timestamp()).isEqualTo(50);
                assertThat(it.seek(150)).isEqualTo(ValueType.FLOAT);
                assertThat(it.timestamp()).as("deleted [100, 299] skipped").isEqualTo(300);
                assertThat(it.seek(499)).isEqualTo(ValueType.FLOAT);
                assertThat(it.next()).isEqualTo(ValueType.FLOAT);
                assertThat(it.timestamp()).as("deleted 500 skipped").isEqualTo(501);
                assertThat(it.seek(901)).isEqualTo(ValueType.NONE);
                assertThat(it.next()).isEqualTo(ValueType.NONE);
                assertThat(set.next()).isTrue();
                ChunkIterator again = set.at().iterator(it);
                assertThat(again).isSameAs(it);
                assertThat(again.next()).isEqualTo(ValueType.FLOAT);
                assertThat(again.timestamp()).isEqualTo(50);
                assertThat(again.value()).isEqualTo(-50);
                assertThat(again.seek(150)).isEqualTo(ValueType.FLOAT);
                assertThat(again.timestamp()).as("other series keeps its samples").isEqualTo(150);
                assertThat(set.next()).isFalse();
            }
        }
    }

    @Test
    void deletionsAreTombstonesThatSurviveReopening() throws IOException {
        Random rnd = new Random(5);
        Reference ref = BlockTesting.randomSeries(rnd, 100, 0, H2, 200);
        Path blockDir;
        try (Block block = writeAndOpen(ref, 0, H2)) {
            blockDir = block.dir();
            assertThat(block.delete(H2 + 1, H2 + 10, Matcher.equal("job", "api"))).as("outside the block").isZero();
            assertThat(Files.exists(blockDir.resolve(Tombstones.FILE_NAME))).isFalse();
            Querier before = block.querier(0, H2);
            int n = block.delete(1000, 3_000_000, Matcher.equal("job", "api"));
            assertThat(n).isPositive();
            ref.delete(1000, 3_000_000, l -> "api".equals(l.get("job")));
            // every sample of one series
            Labels gone = ref.series.keySet().stream().filter(l -> "db".equals(l.get("job"))).findFirst().orElseThrow();
            Matcher[] goneM = new Matcher[gone.size()];
            for (int i = 0; i < gone.size(); i++) {
                goneM[i] = Matcher.equal(gone.name(i), gone.value(i));
            }
            assertThat(block.delete(Long.MIN_VALUE, Long.MAX_VALUE, goneM)).isEqualTo(1);
            ref.series.remove(gone);

            assertThat(read(before).keySet()).as("a querier opened before keeps its view").contains(gone);
            before.close();
            try (Querier q = block.querier(0, H2)) {
                assertThat(read(q)).isEqualTo(ref.query(0, H2));
                assertThat(BlockTesting.readBulk(q, H2, 3)).isEqualTo(ref.query(0, H2));
                assertThat(read(q, goneM)).isEmpty();
            }
            assertThat(block.meta().stats().numTombstones()).isEqualTo(block.tombstones().numIntervals()).isEqualTo(n + 1);
            assertThat(BlockMeta.read(blockDir).stats().numTombstones()).isEqualTo(n + 1);
        }
        try (Block block = Block.open(blockDir); Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(read(q)).isEqualTo(ref.query(Long.MIN_VALUE, Long.MAX_VALUE));
            for (int k = 0; k < 10; k++) {
                long a = rnd.nextLong(0, H2);
                long b = a + rnd.nextLong(0, H2);
                Matcher[] ms = randomMatchers(rnd);
                try (Querier q2 = block.querier(a, b)) {
                    assertThat(read(q2, ms)).isEqualTo(ref.query(a, b, ms));
                }
            }
        }
        try (Stream<Path> s = Files.list(blockDir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void aStaleMetaTombstoneCountIsCorrectedFromTheFile() throws IOException {
        Reference ref = new Reference();
        ref.add(Labels.of("__name__", "x"), Sample.f(5, 1));
        Path blockDir;
        try (Block block = writeAndOpen(ref, 0, 10)) {
            blockDir = block.dir();
        }
        // a crash after the tombstones file was replaced and before meta.json was
        new Tombstones.Builder().add(0, 1, 6).build().write(blockDir);
        assertThat(BlockMeta.read(blockDir).stats().numTombstones()).isZero();
        Files.writeString(blockDir.resolve("meta.json.tmp"), "{\"half");
        Files.writeString(blockDir.resolve("tombstones.tmp"), "x");
        try (Block block = Block.open(blockDir); Querier q = block.querier(0, 10)) {
            assertThat(Files.exists(blockDir.resolve("meta.json.tmp"))).isFalse();
            assertThat(Files.exists(blockDir.resolve("tombstones.tmp"))).isFalse();
            assertThat(block.meta().stats().numTombstones()).isEqualTo(1);
            assertThat(read(q)).isEmpty();
        }
    }

    @Test
    void aClosedBlockReleasesItsFilesOnlyAfterTheLastQuerier() throws IOException {
        Reference ref = BlockTesting.randomSeries(new Random(3), 20, 0, 1000, 50);
        Block block = writeAndOpen(ref, 0, 1000);
        Path blockDir = block.dir();
        Querier q1 = block.querier(0, 1000);
        Querier q2 = block.querier(0, 1000);
        assertThat(block.pins()).isEqualTo(2);
        block.closeAndDelete();
        assertThat(block.isClosed()).isTrue();
        assertThatThrownBy(() -> block.querier(0, 1000)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> block.delete(0, 10)).isInstanceOf(IllegalStateException.class);
        assertThat(Files.exists(blockDir)).as("still used").isTrue();
        assertThat(read(q1)).isEqualTo(ref.query(0, 1000));
        q1.close();
        q1.close(); // idempotent: must not release twice
        assertThat(Files.exists(blockDir)).isTrue();
        assertThat(read(q2)).isEqualTo(ref.query(0, 1000));
        q2.close();
        assertThat(Files.exists(blockDir)).as("deleted with the last querier").isFalse();
        assertThat(Files.exists(dir.resolve(blockDir.getFileName() + Blocks.TMP_DELETION_SUFFIX))).isFalse();
        assertThat(block.pins()).isZero();
        block.close();
    }

    @Test
    void closingWithoutQueriersReleasesAtOnceAndDeleteAfterCloseStillDeletes() throws IOException {
        Reference ref = new Reference();
        ref.add(Labels.of("__name__", "x"), Sample.f(5, 1));
        Block block = writeAndOpen(ref, 0, 10);
        block.close();
        assertThat(BlockTesting.openTestFiles()).as("index closed").satisfiesAnyOf(
                l -> assertThat(l).isNull(), l -> assertThat(l).noneMatch(f -> f.contains(block.ulid().toString())));
        assertThat(Files.exists(block.dir())).isTrue();
        block.closeAndDelete();
        assertThat(Files.exists(block.dir())).isFalse();
    }

    @Test
    void iteratingBlocksAndMergesAllocatesNothingPerSample() throws IOException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled(), "thread allocation accounting unavailable");
        Labels l = Labels.of("__name__", "busy");
        Reference a = new Reference();
        Reference b = new Reference();
        for (long t = 0; t < 60_000; t++) {
            (t % 2 == 0 ? a : b).add(l, Sample.f(t, t * 0.5));
        }
        try (Block ba = writeAndOpen(a, 0, 60_000); Block bb = writeAndOpen(b, 0, 60_000)) {
            long[] sink = {0};
            Runnable pass = () -> {
                try (Querier q = new MergeQuerier(List.of(bb.querier(0, 60_000), ba.querier(0, 60_000)))) {
                    SeriesSet set = q.select(true, Matcher.equal("__name__", "busy"));
                    ChunkIterator it = null;
                    while (set.next()) {
                        it = set.at().iterator(it);
                        while (it.next() != ValueType.NONE) {
                            sink[0] += it.timestamp();
                        }
                    }
                }
            };
            for (int i = 0; i < 20; i++) {
                pass.run();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10; i++) {
                pass.run();
            }
            double perSample = (threads.getCurrentThreadAllocatedBytes() - before) / (10.0 * 60_000);
            // Reading a chunk (a view of the mapping, a checksum) costs a few hundred bytes per 120
            // samples; an object per sample would add 16 bytes or more to each.
            assertThat(perSample).as("bytes allocated per sample (sink %d)", sink[0]).isLessThan(10);
        }
    }

    // ---- corruption ----

    private Path writeSmallBlock() throws IOException {
        Reference ref = BlockTesting.randomSeries(new Random(9), 30, 0, 10_000, 100);
        BlockMeta meta = new BlockWriter(dir).write(0, 10_000, source(ref, 0, 10_000));
        return dir.resolve(meta.ulid().toString());
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }

    @Test
    void aDamagedIndexIsReportedNamingTheBlock() throws IOException {
        Path blockDir = writeSmallBlock();
        flipByte(blockDir.resolve("index"), 20);
        assertThatThrownBy(() -> Block.open(blockDir)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining(blockDir.toString()).hasMessageContaining("index");
        Files.delete(blockDir.resolve("index"));
        assertThatThrownBy(() -> Block.open(blockDir)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining(blockDir.toString()).hasMessageContaining("no index");
    }

    @Test
    void aDamagedChunkIsReportedNamingTheBlockWhenRead() throws IOException {
        Path blockDir = writeSmallBlock();
        Path seg = blockDir.resolve("chunks").resolve("000001");
        flipByte(seg, Files.size(seg) / 2);
        try (Block block = Block.open(blockDir); Querier q = block.querier(0, 10_000)) {
            assertThatThrownBy(() -> read(q)).isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining(blockDir.toString()).hasMessageContaining("checksum");
        }
        flipByte(seg, 0);
        assertThatThrownBy(() -> Block.open(blockDir)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining(blockDir.toString()).hasMessageContaining("magic");
    }

    @Test
    void aBadMetaIsReportedNamingTheBlock() throws IOException {
        Path blockDir = writeSmallBlock();
        Path meta = blockDir.resolve(BlockMeta.FILE_NAME);
        String good = Files.readString(meta);
        Files.writeString(meta, good.replace("\"version\" : 1", "\"version\" : 2"));
        assertThatThrownBy(() -> Block.open(blockDir)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining(blockDir.toString()).hasMessageContaining("version 2");
        Files.writeString(meta, good.substring(0, good.length() / 2));
        assertThatThrownBy(() -> Block.open(blockDir)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining(blockDir.toString()).hasMessageContaining("JSON");
        Files.writeString(meta, good);
        Files.write(blockDir.resolve(Tombstones.FILE_NAME), new byte[] {1, 48, -70, 48, 1, 0, 0, 0, 1});
        assertThatThrownBy(() -> Block.open(blockDir)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining(blockDir.toString()).hasMessageContaining("tombstones");
        Files.delete(blockDir.resolve(Tombstones.FILE_NAME));
        try (Block b = Block.open(blockDir)) {
            assertThat(b.meta().ulid().toString()).isEqualTo(blockDir.getFileName().toString());
        }
    }

    @Test
    void aMetaNamingAnotherBlockIsRefused() throws IOException {
        Path blockDir = writeSmallBlock();
        Path other = dir.resolve(Ulid.next().toString());
        Files.move(blockDir, other);
        assertThatThrownBy(() -> Block.open(other)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining(blockDir.getFileName().toString());
    }

    @Test
    void readsTheMetaExampleOfTheFormatDocument() {
        String doc = """
                {
                  "ulid": "01J8Z3Q8W3N9V6J0Q2E6T5Y7ZB",
                  "minTime": 1732406400000,
                  "maxTime": 1732413600000,
                  "stats": { "numSamples": 123456, "numSeries": 1000, "numChunks": 6000,
                             "numFloatSamples": 120000, "numHistogramSamples": 3456, "numTombstones": 0 },
                  "compaction": { "level": 1, "sources": ["01J8Z3Q8W3N9V6J0Q2E6T5Y7ZB"],
                                  "parents": [], "future": {"x": [1, 2]} },
                  "someday": "ignored",
                  "version": 1
                }
                """;
        BlockMeta m = BlockMeta.fromJson(doc.getBytes(StandardCharsets.UTF_8));
        assertThat(m.ulid()).isEqualTo(Ulid.parse("01J8Z3Q8W3N9V6J0Q2E6T5Y7ZB"));
        assertThat(m.stats().numHistogramSamples()).isEqualTo(3456);
        assertThat(BlockMeta.fromJson(m.toJson())).isEqualTo(m);
        BlockMeta minimal = BlockMeta.fromJson("""
                {"ulid":"01J8Z3Q8W3N9V6J0Q2E6T5Y7ZB","minTime":0,"maxTime":5,"version":1}""".getBytes(StandardCharsets.UTF_8));
        assertThat(minimal.stats()).isEqualTo(BlockMeta.Stats.EMPTY);
        assertThat(minimal.compaction().sources()).containsExactly(minimal.ulid());
        assertThatThrownBy(() -> BlockMeta.fromJson("{\"ulid\":\"01J8Z3Q8W3N9V6J0Q2E6T5Y7ZB\",\"minTime\":0,\"version\":1}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("required");
        assertThatThrownBy(() -> BlockMeta.fromJson("{\"ulid\":\"nope\",\"minTime\":0,\"maxTime\":1,\"version\":1}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a ULID");
        BlockMeta compacted = new BlockMeta(Ulid.next(), 0, 100, BlockMeta.Stats.EMPTY,
                new BlockMeta.Compaction(3, List.of(Ulid.parse("01J8Z3Q8W3N9V6J0Q2E6T5Y7ZB")),
                        List.of(new BlockMeta.Parent(Ulid.parse("01J8Z3Q8W3N9V6J0Q2E6T5Y7ZB"), 0, 100))), 1);
        assertThat(BlockMeta.fromJson(compacted.toJson())).isEqualTo(compacted);
    }

    // ---- crash safety ----

    @Test
    void leftoversOfACrashAreNotBlocksAndAreCleanedUp() throws IOException {
        Path good = writeSmallBlock();
        // A crash mid-creation: a complete-looking copy under the temporary name.
        Ulid crashed = Ulid.next();
        Path tmp = dir.resolve(crashed + BlockWriter.TMP_CREATION_SUFFIX);
        copyTree(good, tmp);
        Path deleting = dir.resolve(Ulid.next() + Blocks.TMP_DELETION_SUFFIX);
        Files.createDirectories(deleting.resolve("chunks"));
        Path noMeta = dir.resolve(Ulid.next().toString());
        Files.createDirectories(noMeta);
        Path operators = dir.resolve("backup-copy");
        Files.createDirectories(operators);
        Files.createDirectories(dir.resolve("wal"));

        assertThat(Blocks.list(dir)).containsExactly(good);
        Blocks.CleanUp c = Blocks.cleanUp(dir);
        assertThat(c.removedTemporary()).containsExactlyInAnyOrder(tmp, deleting);
        assertThat(c.stray()).containsExactlyInAnyOrder(noMeta, operators);
        assertThat(c.removedParents()).isEmpty();
        assertThat(Files.exists(tmp)).isFalse();
        assertThat(Files.exists(deleting)).isFalse();
        assertThat(Files.exists(noMeta)).isTrue();
        assertThat(Files.exists(dir.resolve("wal"))).isTrue();
        assertThat(Blocks.list(dir)).containsExactly(good);
        try (Block b = Block.open(good)) {
            assertThat(b.meta().stats().numSeries()).isEqualTo(30);
        }
    }

    @Test
    void aFailingSourceLeavesNoTemporaryDirectory() throws IOException {
        Labels x = Labels.of("__name__", "x");
        ChunkList c = chunks(List.of(Sample.f(1, 1)));
        ChunkSeriesSet failing = new ChunkSeriesSet() {
            int i;

            @Override
            public boolean next() {
                if (++i > 1) {
                    throw new IllegalStateException("source failed");
                }
                return true;
            }

            @Override
            public Labels labels() {
                return x;
            }

            @Override
            public ChunkList chunks() {
                return c;
            }
        };
        assertThatThrownBy(() -> new BlockWriter(dir).write(0, 10, failing)).hasMessage("source failed");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static Map<Labels, List<String>> all(Block b) {
        try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return read(q);
        }
    }
}
