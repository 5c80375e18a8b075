package io.mantis.metrics.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.config.DataSize;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.wal.FsyncPolicy;
import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.head.Head;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.SeriesSink;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store across restarts: everything committed comes back from the WAL. */
@org.junit.jupiter.api.extension.ExtendWith(io.mantis.testkit.LeakCheck.class)
class TsdbTest {

    @TempDir
    Path dir;

    private static final Labels CPU = Labels.of("__name__", "node_cpu_seconds_total", "cpu", "0", "mode", "idle");
    private static final Labels LAT = Labels.of("__name__", "rpc_latency_seconds", "job", "api");

    private TsdbOptions options() {
        return TsdbOptions.defaults().withWal(TsdbOptions.defaults().wal()
                .withSegmentSize(DataSize.ofKibibytes(4)).withFsync(FsyncPolicy.ALWAYS));
    }

    private static List<long[]> floats(Tsdb tsdb, Labels labels) {
        List<long[]> out = new ArrayList<>();
        try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, Matcher.equal("__name__", labels.metricName()));
            ChunkIterator it = null;
            while (set.next()) {
                if (!set.at().labels().equals(labels)) {
                    continue;
                }
                it = set.at().iterator(it);
                ValueType vt;
                while ((vt = it.next()) != ValueType.NONE) {
                    if (vt == ValueType.FLOAT) {
                        out.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
                    } else {
                        FloatHistogram h = new FloatHistogram();
                        it.histogram(h);
                        out.add(new long[] {it.timestamp(), (long) h.count()});
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everythingCommittedIsReplayedAfterAReopen() throws Exception {
        List<long[]> cpu;
        try (Tsdb tsdb = Tsdb.open(dir, options(), new MetricRegistry())) {
            for (int batch = 0; batch < 50; batch++) {
                Appender app = tsdb.appender();
                for (int i = 0; i < 100; i++) {
                    long t = 1_000_000 + (batch * 100L + i) * 1000;
                    app.append(0, CPU, t, i % 10 == 0 ? SeriesSink.STALE_NAN : t / 1000.0);
                }
                app.updateMetadata(0, CPU, MetricType.COUNTER, "seconds", "CPU time.");
                app.appendExemplar(0, CPU, Labels.of("trace_id", "t" + batch), batch, 1_000_000 + batch * 100_000L);
                FloatHistogram h = new FloatHistogram().setFrom(NativeHistogram.ofIntegers(0, 1, 0.001, 1,
                        batch + 3, 4.5, List.of(new NativeHistogram.BucketSpan(0, 2)), new long[] {1, 0}, List.of(),
                        new long[0], NativeHistogram.ResetHint.UNKNOWN));
                app.appendHistogram(0, LAT, 1_000_000 + batch * 100_000L, h);
                app.commit();
            }
            tsdb.delete(1_100_000, 1_200_000, Matcher.equal("mode", "idle"));
            cpu = floats(tsdb, CPU);
            assertThat(cpu).hasSize(5000 - 101);
        }
        try (Stream<Path> segs = Files.list(dir.resolve("wal"))) {
            assertThat(segs.count()).as("the test spans several WAL segments").isGreaterThan(3);
        }
        try (Tsdb tsdb = Tsdb.open(dir, options(), new MetricRegistry())) {
            List<long[]> again = floats(tsdb, CPU);
            assertThat(again).hasSize(cpu.size());
            for (int i = 0; i < cpu.size(); i++) {
                assertThat(again.get(i)).containsExactly(cpu.get(i));
            }
            assertThat(floats(tsdb, LAT)).hasSize(50).last().satisfies(s -> assertThat(s[1]).isEqualTo(52));
            assertThat(tsdb.metadata()).containsEntry("node_cpu_seconds_total",
                    List.of(new Head.SeriesMetadata(MetricType.COUNTER, "CPU time.", "seconds")));
            assertThat(tsdb.exemplars(0, Long.MAX_VALUE, Matcher.equal("mode", "idle")).get(0).exemplars()).hasSize(50);
            // and the store takes new writes after the replayed ones
            Appender app = tsdb.appender();
            app.append(0, CPU, 9_000_000, 1);
            app.commit();
            assertThat(floats(tsdb, CPU)).hasSize(cpu.size() + 1);
        }
    }

    @Test
    void damageInTheMiddleOfTheWalKeepsWhatCameBeforeIt() throws Exception {
        try (Tsdb tsdb = Tsdb.open(dir, options(), new MetricRegistry())) {
            for (int batch = 0; batch < 40; batch++) {
                Appender app = tsdb.appender();
                for (int i = 0; i < 100; i++) {
                    long t = (batch * 100L + i) * 1000;
                    app.append(0, CPU, t, Math.sin(t));
                }
                app.commit();
            }
        }
        List<Path> segments;
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            segments = s.filter(p -> p.getFileName().toString().matches("\\d+")).sorted().toList();
        }
        assertThat(segments.size()).isGreaterThan(3);
        Path victim = segments.get(2);
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
        try (Tsdb tsdb = Tsdb.open(dir, options(), new MetricRegistry())) {
            List<long[]> got = floats(tsdb, CPU);
            // everything of the first two segments and part of the third is back, in order
            assertThat(got).isNotEmpty();
            assertThat(got.size()).isLessThan(4000);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i)[0]).isEqualTo(i * 1000L);
            }
            assertThat(tsdb.corruptionCount()).isEqualTo(1);
            // the repaired WAL takes new writes and replays cleanly again
            Appender app = tsdb.appender();
            app.append(0, CPU, 10_000_000, 1);
            app.commit();
        }
        try (Tsdb tsdb = Tsdb.open(dir, options(), new MetricRegistry())) {
            assertThat(tsdb.corruptionCount()).isZero();
            assertThat(floats(tsdb, CPU).get(floats(tsdb, CPU).size() - 1)[0]).isEqualTo(10_000_000L);
        }
    }
}
