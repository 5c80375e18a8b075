package io.mantis.metrics.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.config.DataSize;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.block.Block;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.testkit.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The head cut into blocks, the WAL checkpointed, blocks compacted and expired: no sample lost or doubled. */
@ExtendWith(LeakCheck.class)
class TsdbBlocksTest {

    private static final long RANGE = 10_000;

    @TempDir
    Path dir;

    private static TsdbOptions options(Duration retention) {
        return new TsdbOptions(retention, 0, new HeadOptions(RANGE, 0, 120, 1000),
                TsdbOptions.defaults().wal().withSegmentSize(DataSize.ofKibibytes(4)));
    }

    private static Labels series(int i) {
        return Labels.of("__name__", "reqs", "instance", "i" + i);
    }

    /** Samples of every series, by instance, in time order. */
    private static TreeMap<String, List<long[]>> all(Tsdb tsdb) {
        TreeMap<String, List<long[]>> out = new TreeMap<>();
        try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, Matcher.equal("__name__", "reqs"));
            ChunkIterator it = null;
            while (set.next()) {
                List<long[]> samples = new ArrayList<>();
                it = set.at().iterator(it);
                while (it.next() != ValueType.NONE) {
                    samples.add(new long[] {it.timestamp(), (long) it.value()});
                }
                out.put(set.at().labels().get("instance"), samples);
            }
        }
        return out;
    }

    private static void write(Tsdb tsdb, long from, long to) throws Exception {
        for (long t = from; t < to; t += 1000) {
            Appender app = tsdb.appender();
            for (int i = 0; i < 3; i++) {
                app.append(0, series(i), t, t / 1000 + i);
            }
            app.commit();
        }
    }

    private static void assertComplete(TreeMap<String, List<long[]>> got, long from, long to, String why) {
        assertThat(got.keySet()).as(why).containsExactly("i0", "i1", "i2");
        for (int i = 0; i < 3; i++) {
            List<long[]> s = got.get("i" + i);
            assertThat(s).as(why + " i" + i).hasSize((int) ((to - from) / 1000));
            for (int k = 0; k < s.size(); k++) {
                assertThat(s.get(k)).as(why).containsExactly(from + k * 1000L, (from + k * 1000L) / 1000 + i);
            }
        }
    }

    @Test
    void headBlocksCompactionAndRestartKeepEverySampleOnce() throws Exception {
        try (Tsdb tsdb = Tsdb.openManual(dir, options(Duration.ZERO), new MetricRegistry())) {
            write(tsdb, 0, 100_000);
            tsdb.maintain();
            assertThat(tsdb.blocks()).as("head cut into blocks, some compacted").isNotEmpty();
            assertThat(tsdb.headCuts.sum()).isGreaterThanOrEqualTo(8);
            assertThat(tsdb.compactions.sum()).isPositive();
            assertThat(tsdb.checkpoints.sum()).isPositive();
            assertThat(tsdb.head().minTime()).isGreaterThanOrEqualTo(80_000);
            assertComplete(all(tsdb), 0, 100_000, "after maintenance");
            // late samples for cut time ranges are refused, newer ones taken
            Appender app = tsdb.appender();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.append(0, series(0), 5_000, 1))
                    .hasMessage("out of bounds");
            write(tsdb, 100_000, 110_000);
        }
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("checkpoint."));
        }
        try (Tsdb tsdb = Tsdb.openManual(dir, options(Duration.ZERO), new MetricRegistry())) {
            assertComplete(all(tsdb), 0, 110_000, "after a restart");
            tsdb.maintain();
            assertComplete(all(tsdb), 0, 110_000, "after a restart and more maintenance");
        }
    }

    @Test
    void switchingTheBlockChunkEncodingBetweenRestartsKeepsEverySample() throws Exception {
        TsdbOptions xor = options(Duration.ZERO).withBlockChunkEncoding(BlockChunkEncoding.XOR);
        TsdbOptions decimal = options(Duration.ZERO).withBlockChunkEncoding(BlockChunkEncoding.DECIMAL);
        try (Tsdb tsdb = Tsdb.openManual(dir, xor, new MetricRegistry())) {
            write(tsdb, 0, 50_000);
            tsdb.maintain();
            assertThat(tsdb.blocks()).isNotEmpty();
            assertComplete(all(tsdb), 0, 50_000, "XOR blocks");
        }
        try (Tsdb tsdb = Tsdb.openManual(dir, decimal, new MetricRegistry())) {
            assertComplete(all(tsdb), 0, 50_000, "XOR blocks read by a DECIMAL store");
            write(tsdb, 50_000, 100_000);
            tsdb.maintain();
            assertThat(tsdb.compactions.sum()).isPositive();
            assertComplete(all(tsdb), 0, 100_000, "XOR and DECIMAL blocks, compacted together");
        }
        try (Tsdb tsdb = Tsdb.openManual(dir, xor, new MetricRegistry())) {
            assertComplete(all(tsdb), 0, 100_000, "back to XOR after a restart");
            write(tsdb, 100_000, 130_000);
            tsdb.maintain();
            assertComplete(all(tsdb), 0, 130_000, "back to XOR after more maintenance");
        }
    }

    @Test
    void deletionsReachBlocksAndHeadAndSurviveCompactionAndRestart() throws Exception {
        try (Tsdb tsdb = Tsdb.openManual(dir, options(Duration.ZERO), new MetricRegistry())) {
            write(tsdb, 0, 60_000);
            tsdb.maintain();
            assertThat(tsdb.blocks()).isNotEmpty();
            tsdb.delete(5_000, 52_000, Matcher.equal("instance", "i1"));
            List<long[]> i1 = all(tsdb).get("i1");
            assertThat(i1).extracting(s -> s[0]).containsExactly(0L, 1000L, 2000L, 3000L, 4000L, 53_000L, 54_000L,
                    55_000L, 56_000L, 57_000L, 58_000L, 59_000L);
            write(tsdb, 60_000, 120_000);
            tsdb.maintain();
            assertThat(all(tsdb).get("i1")).hasSize(12 + 60);
        }
        try (Tsdb tsdb = Tsdb.openManual(dir, options(Duration.ZERO), new MetricRegistry())) {
            assertThat(all(tsdb).get("i1")).hasSize(12 + 60);
            assertThat(all(tsdb).get("i0")).hasSize(120);
        }
    }

    @Test
    void retentionDeletesBlocksBehindTheNewestData() throws Exception {
        try (Tsdb tsdb = Tsdb.openManual(dir, options(Duration.ofSeconds(30)), new MetricRegistry())) {
            write(tsdb, 0, 120_000);
            tsdb.maintain();
            long oldest = tsdb.blocks().stream().mapToLong(Block::minTime).min().orElseThrow();
            long newest = tsdb.blocks().stream().mapToLong(Block::maxTime).max().orElseThrow();
            assertThat(newest - oldest).as("blocks kept span about the retention").isLessThanOrEqualTo(40_000);
            assertThat(tsdb.retentionDeletions.sum()).isPositive();
            List<long[]> i0 = all(tsdb).get("i0");
            assertThat(i0.get(0)[0]).isGreaterThanOrEqualTo(60_000);
            assertThat(i0.get(i0.size() - 1)[0]).isEqualTo(119_000);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("01")).count())
                    .as("deleted block directories are gone").isLessThanOrEqualTo(4);
        }
    }
}
