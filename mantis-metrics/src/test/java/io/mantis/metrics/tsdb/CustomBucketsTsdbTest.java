package io.mantis.metrics.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.config.DataSize;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.testkit.LeakCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms with custom buckets keep their bounds at every seam of the store: the WAL
 * (replayed after a restart without any block), head chunks, blocks cut from the head, the WAL
 * checkpoint, and compaction.
 */
@ExtendWith(LeakCheck.class)
class CustomBucketsTsdbTest {

    private static final long RANGE = 10_000;
    private static final Labels NHCB = Labels.of("__name__", "rpc_seconds", "kind", "custom");
    private static final Labels EXP = Labels.of("__name__", "rpc_seconds", "kind", "exponential");
    private static final double[] BOUNDS_A = {0.1, 0.5, 2.5};
    private static final double[] BOUNDS_B = {1, 10};

    @TempDir
    Path dir;

    private static TsdbOptions options() {
        return new TsdbOptions(Duration.ZERO, 0, new HeadOptions(RANGE, 0, 120, 1000),
                TsdbOptions.defaults().wal().withSegmentSize(DataSize.ofKibibytes(4)));
    }

    /** Integer counts before 50 s, float counts after; the bounds change at 70 s (a new chunk). */
    private static FloatHistogram expected(long t) {
        long k = t / 1000;
        double[] bounds = t < 70_000 ? BOUNDS_A : BOUNDS_B;
        NativeHistogram nh;
        if (t < 50_000) {
            nh = NativeHistogram.ofIntegers(t, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 3 * k + 1, k * 0.75,
                    List.of(new NativeHistogram.BucketSpan(0, 2), new NativeHistogram.BucketSpan(1, 1)),
                    new long[] {k, 0, 1}, List.of(), new long[0], NativeHistogram.ResetHint.NO,
                    bounds);
        } else {
            nh = NativeHistogram.ofFloats(t, NativeHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 2 * k + 0.5, k * 0.75,
                    List.of(new NativeHistogram.BucketSpan(0, 2)), new double[] {k, k + 0.5}, List.of(),
                    new double[0], NativeHistogram.ResetHint.UNKNOWN, bounds);
        }
        return new FloatHistogram().setFrom(nh);
    }

    private static FloatHistogram exponential(long t) {
        return new FloatHistogram().setFrom(NativeHistogram.ofIntegers(t, 2, 0.001, 1, 4, 2.5,
                List.of(new NativeHistogram.BucketSpan(-1, 2)), new long[] {1, 1}, List.of(), new long[0],
                NativeHistogram.ResetHint.UNKNOWN));
    }

    private static void write(Tsdb tsdb, long from, long to) throws Exception {
        for (long t = from; t < to; t += 1000) {
            Appender app = tsdb.appender();
            app.appendHistogram(0, NHCB, t, expected(t));
            app.appendHistogram(0, EXP, t, exponential(t));
            app.commit();
        }
    }

    private static TreeMap<Long, FloatHistogram> read(Tsdb tsdb, Labels series) {
        TreeMap<Long, FloatHistogram> out = new TreeMap<>();
        try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, Matcher.equal("kind", series.get("kind")));
            ChunkIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                ValueType vt;
                while ((vt = it.next()) != ValueType.NONE) {
                    assertThat(vt).isNotEqualTo(ValueType.FLOAT);
                    FloatHistogram h = new FloatHistogram();
                    it.histogram(h);
                    out.put(it.timestamp(), h);
                }
            }
        }
        return out;
    }

    private static void assertComplete(Tsdb tsdb, long to, String why) {
        TreeMap<Long, FloatHistogram> got = read(tsdb, NHCB);
        assertThat(got).as(why).hasSize((int) (to / 1000));
        for (long t = 0; t < to; t += 1000) {
            FloatHistogram h = got.get(t);
            FloatHistogram want = expected(t);
            assertThat(h.schema()).as(why + " at %d", t).isEqualTo(NativeHistogram.CUSTOM_BUCKETS_SCHEMA);
            assertThat(bounds(h)).as(why + " bounds at %d", t).containsExactly(bounds(want));
            assertThat(h.count()).as(why + " at %d", t).isEqualTo(want.count());
            assertThat(h.sum()).as(why + " at %d", t).isEqualTo(want.sum());
            assertThat(cumulative(h)).as(why + " buckets at %d", t).isEqualTo(cumulative(want));
        }
        TreeMap<Long, FloatHistogram> exp = read(tsdb, EXP);
        assertThat(exp).as(why).hasSize((int) (to / 1000));
        assertThat(exp.values()).allSatisfy(h -> {
            assertThat(h.schema()).isEqualTo(2);
            assertThat(h.customBoundCount()).isZero();
        });
    }

    private static double[] bounds(FloatHistogram h) {
        double[] out = new double[h.customBoundCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = h.customBound(i);
        }
        return out;
    }

    /** Count per bucket index, leaving out empty buckets (chunks may add them to a layout). */
    private static TreeMap<Integer, Double> cumulative(FloatHistogram h) {
        TreeMap<Integer, Double> out = new TreeMap<>();
        int[] idx = h.positive().indexes(new int[0]);
        for (int i = 0; i < h.positive().bucketCount(); i++) {
            if (h.positive().count(i) != 0) {
                out.put(idx[i], h.positive().count(i));
            }
        }
        return out;
    }

    @Test
    void boundsSurviveARestartFromTheWalAlone() throws Exception {
        try (Tsdb tsdb = Tsdb.openManual(dir, options(), new MetricRegistry())) {
            write(tsdb, 0, 100_000);
            assertComplete(tsdb, 100_000, "in the head");
        }
        try (Tsdb tsdb = Tsdb.openManual(dir, options(), new MetricRegistry())) {
            assertThat(tsdb.blocks()).isEmpty();
            assertComplete(tsdb, 100_000, "after a restart, from the WAL alone");
        }
    }

    @Test
    void boundsSurviveBlocksCheckpointsCompactionAndARestart() throws Exception {
        try (Tsdb tsdb = Tsdb.openManual(dir, options(), new MetricRegistry())) {
            write(tsdb, 0, 100_000);
            tsdb.maintain();
            assertThat(tsdb.blocks()).as("head cut into blocks").isNotEmpty();
            assertThat(tsdb.checkpoints.sum()).isPositive();
            assertThat(tsdb.compactions.sum()).isPositive();
            assertComplete(tsdb, 100_000, "from blocks and the head");
            write(tsdb, 100_000, 110_000);
        }
        try (Tsdb tsdb = Tsdb.openManual(dir, options(), new MetricRegistry())) {
            assertComplete(tsdb, 110_000, "after a restart from blocks, checkpoint and WAL");
            tsdb.maintain();
            assertComplete(tsdb, 110_000, "after more maintenance");
        }
    }

    @Test
    void theWalWritesCustomBucketHistogramsAsTheirOwnRecords() {
        NativeHistogram nh = TsdbWal.toNative(5, expected(5_000));
        assertThat(nh.usesCustomBuckets()).isTrue();
        assertThat(nh.customValues()).containsExactly(BOUNDS_A);
        assertThat(nh.isFloatHistogram()).isFalse();
        assertThat(new FloatHistogram().setFrom(nh)).isEqualTo(expected(5_000));
        NativeHistogram f = TsdbWal.toNative(5, expected(80_000));
        assertThat(f.isFloatHistogram()).isTrue();
        assertThat(f.customValues()).containsExactly(BOUNDS_B);
        assertThat(TsdbWal.toNative(5, exponential(5)).customValues()).isEmpty();
    }
}
