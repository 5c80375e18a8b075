package io.mantis.metrics.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.SeriesSink;
import io.mantis.testkit.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class HeadTest {

    private static final Labels UP_A = Labels.of("__name__", "up", "job", "a", "instance", "h1");
    private static final Labels UP_B = Labels.of("__name__", "up", "job", "b", "instance", "h2");
    private static final Labels REQS = Labels.of("__name__", "http_requests_total", "job", "a", "code", "200");

    private static Head head(long oooWindow) {
        return new Head(new HeadOptions(HeadOptions.DEFAULT_CHUNK_RANGE, oooWindow, 120, 1000), HeadLog.NONE);
    }

    record Sample(long t, double v) {
    }

    static List<Sample> read(Head head, long mint, long maxt, Labels labels) {
        try (Querier q = head.querier(mint, maxt)) {
            List<Matcher> ms = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                ms.add(Matcher.of(Matcher.Type.EQUAL, labels.name(i), labels.value(i)));
            }
            SeriesSet set = q.select(true, ms.toArray(Matcher[]::new));
            List<Sample> out = new ArrayList<>();
            ChunkIterator it = null;
            while (set.next()) {
                assertThat(set.at().labels()).isEqualTo(labels);
                it = set.at().iterator(it);
                ValueType vt;
                while ((vt = it.next()) != ValueType.NONE) {
                    assertThat(vt).isEqualTo(ValueType.FLOAT);
                    out.add(new Sample(it.timestamp(), it.value()));
                }
            }
            return out;
        }
    }

    @Test
    void appendedSamplesAreReadBackAcrossChunks() throws Exception {
        Head head = head(0);
        List<Sample> want = new ArrayList<>();
        Random r = new Random(7);
        long t = 1_700_000_000_000L;
        Appender app = head.appender();
        long ref = 0;
        for (int i = 0; i < 1000; i++) {
            t += 10_000 + r.nextInt(50);
            double v = r.nextInt(4) == 0 ? r.nextGaussian() : i;
            ref = app.append(ref, UP_A, t, v);
            want.add(new Sample(t, v));
        }
        app.commit();
        assertThat(read(head, Long.MIN_VALUE, Long.MAX_VALUE, UP_A)).containsExactlyElementsOf(want);
        assertThat(head.numSeries()).isEqualTo(1);
        // a middle window
        long from = want.get(300).t();
        long to = want.get(450).t();
        assertThat(read(head, from, to, UP_A)).containsExactlyElementsOf(want.subList(300, 451));
        // chunks: 1000 samples at 120 per chunk (plus cuts at the 2 h block boundaries)
        int[] chunks = {0};
        head.forEachSeries(s -> chunks[0] += s.chunkCount());
        assertThat(chunks[0]).isBetween(9, 14);
    }

    @Test
    void fullChunksMoveToMappedFilesAndReadBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Head head = new Head(new HeadOptions(HeadOptions.DEFAULT_CHUNK_RANGE, 0, 120, 10), HeadLog.NONE,
                dir.resolve("chunks_head"), 16 * 1024);
        try {
            List<Sample> want = new ArrayList<>();
            Random r = new Random(11);
            long t = 0;
            for (int batch = 0; batch < 40; batch++) {
                Appender app = head.appender();
                for (int i = 0; i < 100; i++) {
                    t += 15_000;
                    double v = r.nextDouble();
                    app.append(0, UP_A, t, v);
                    app.append(0, UP_B, t, -v);
                    want.add(new Sample(t, v));
                }
                app.commit();
            }
            // 4000 samples per series at 120 per chunk: many chunks, all but the open one on disk,
            // across several 16 KiB segments
            assertThat(head.chunkFiles().segmentCount()).as("bytes %d", head.chunkFiles().bytesWritten()).isGreaterThan(1);
            assertThat(read(head, Long.MIN_VALUE, Long.MAX_VALUE, UP_A)).containsExactlyElementsOf(want);
            long cut = want.get(2000).t();
            head.truncateBefore(cut);
            List<Sample> kept = read(head, Long.MIN_VALUE, Long.MAX_VALUE, UP_A);
            assertThat(kept).isNotEmpty();
            assertThat(kept.get(0).t()).isLessThanOrEqualTo(cut);
            assertThat(want).containsAll(kept);
            assertThat(kept.get(kept.size() - 1)).isEqualTo(want.get(want.size() - 1));
        } finally {
            head.close();
        }
    }

    @Test
    void deletedRangesAreSkippedAndFullyDeletedSeriesAreNotListed() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        for (long t = 1000; t <= 10_000; t += 1000) {
            app.append(0, UP_A, t, t);
            app.append(0, UP_B, t, t);
        }
        app.commit();
        assertThat(head.delete(3000, 5000, Matcher.equal("job", "a"))).isEqualTo(1);
        assertThat(head.delete(4500, 8000, Matcher.equal("job", "a"))).isEqualTo(1);
        assertThat(read(head, 0, 20_000, UP_A)).extracting(Sample::t)
                .containsExactly(1000L, 2000L, 9000L, 10_000L);
        assertThat(read(head, 0, 20_000, UP_B)).hasSize(10);
        // seek lands after a deleted range too
        try (Querier q = head.querier(0, 20_000)) {
            SeriesSet set = q.select(false, Matcher.equal("job", "a"));
            assertThat(set.next()).isTrue();
            ChunkIterator it = set.at().iterator(null);
            assertThat(it.seek(3500)).isEqualTo(ValueType.FLOAT);
            assertThat(it.timestamp()).isEqualTo(9000);
        }
        head.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("job", "b"));
        try (Querier q = head.querier(0, 20_000)) {
            SeriesSet set = q.select(true, Matcher.equal("__name__", "up"));
            assertThat(set.next()).isTrue();
            assertThat(set.at().labels()).isEqualTo(UP_A);
            assertThat(set.next()).as("a fully deleted series is not listed").isFalse();
        }
    }

    @Test
    void intervalsMergeOverlappingAndAdjacentRanges() {
        long[] set = Intervals.add(null, 10, 20);
        set = Intervals.add(set, 30, 40);
        set = Intervals.add(set, 21, 25);
        assertThat(set).containsExactly(10, 25, 30, 40);
        set = Intervals.add(set, 0, 5);
        set = Intervals.add(set, 24, 31);
        assertThat(set).containsExactly(0, 5, 10, 40);
        set = Intervals.add(set, 6, Long.MAX_VALUE);
        assertThat(set).containsExactly(0, Long.MAX_VALUE);
        assertThat(Intervals.contains(set, Long.MAX_VALUE)).isTrue();
        assertThat(Intervals.contains(Intervals.add(null, 5, 6), 7)).isFalse();
    }

    @Test
    void nothingIsVisibleBeforeCommitAndRollbackDropsAll() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        app.append(0, UP_A, 1000, 1);
        assertThat(read(head, 0, 5000, UP_A)).isEmpty();
        app.rollback();
        assertThat(read(head, 0, 5000, UP_A)).isEmpty();
        Appender app2 = head.appender();
        app2.append(0, UP_A, 1000, 1);
        app2.commit();
        assertThat(read(head, 0, 5000, UP_A)).containsExactly(new Sample(1000, 1));
    }

    @Test
    void outOfOrderAndDuplicatesAreRefusedAsPrometheusDoes() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        app.append(0, UP_A, 10_000, 1);
        app.commit();
        Appender app2 = head.appender();
        assertThatThrownBy(() -> app2.append(0, UP_A, 9_000, 2))
                .isInstanceOf(AppendException.class).hasMessage("out of order sample");
        assertThatThrownBy(() -> app2.append(0, UP_A, 10_000, 2))
                .isInstanceOf(AppendException.class).hasMessage("duplicate sample for timestamp");
        // the same value at the same time is accepted silently and stored once
        app2.append(0, UP_A, 10_000, 1);
        app2.append(0, UP_A, 11_000, 3);
        app2.commit();
        assertThat(read(head, 0, 20_000, UP_A)).containsExactly(new Sample(10_000, 1), new Sample(11_000, 3));
        assertThat(head.rejected[AppendException.Kind.OUT_OF_ORDER.ordinal()].sum()).isEqualTo(1);
        assertThat(head.rejected[AppendException.Kind.DUPLICATE.ordinal()].sum()).isEqualTo(1);
    }

    @Test
    void samplesFarBehindTheHeadAreOutOfBounds() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        long now = 10 * HeadOptions.DEFAULT_CHUNK_RANGE;
        app.append(0, UP_A, now, 1);
        app.commit();
        Appender app2 = head.appender();
        // a new series, but more than half a block range behind the head's newest sample
        assertThatThrownBy(() -> app2.append(0, UP_B, now - HeadOptions.DEFAULT_CHUNK_RANGE, 1))
                .isInstanceOf(AppendException.class).hasMessage("out of bounds");
        app2.append(0, UP_B, now - 1000, 1);
        app2.commit();
        assertThat(read(head, 0, now, UP_B)).containsExactly(new Sample(now - 1000, 1));
    }

    @Test
    void theOutOfOrderWindowAcceptsLateSamplesAndQueriesMergeThem() throws Exception {
        Head head = head(60_000);
        Appender app = head.appender();
        for (long t = 0; t <= 100_000; t += 20_000) {
            app.append(0, UP_A, t, t);
        }
        app.commit();
        Appender late = head.appender();
        late.append(0, UP_A, 50_000, -1);
        late.append(0, UP_A, 70_000, -2);
        assertThatThrownBy(() -> late.append(0, UP_A, 30_000, -3))
                .isInstanceOf(AppendException.class).hasMessage("too old sample");
        late.commit();
        assertThat(read(head, 0, 200_000, UP_A)).containsExactly(
                new Sample(0, 0), new Sample(20_000, 20_000), new Sample(40_000, 40_000), new Sample(50_000, -1),
                new Sample(60_000, 60_000), new Sample(70_000, -2), new Sample(80_000, 80_000),
                new Sample(100_000, 100_000));
        assertThat(read(head, 45_000, 65_000, UP_A)).containsExactly(new Sample(50_000, -1), new Sample(60_000, 60_000));
    }

    /** Reads as the query engine loads: float runs in bulk into arrays that start small. */
    static List<Sample> readBulk(Head head, long mint, long maxt, Labels labels, int firstCapacity) {
        try (Querier q = head.querier(mint, maxt)) {
            SeriesSet set = q.select(true, Matcher.equal("job", labels.get("job")));
            List<Sample> out = new ArrayList<>();
            ChunkIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                long[] ts = new long[firstCapacity];
                double[] vs = new double[firstCapacity];
                int n = 0;
                ValueType vt = it.seek(mint);
                while (vt == ValueType.FLOAT && it.timestamp() <= maxt) {
                    if (n == ts.length) {
                        ts = java.util.Arrays.copyOf(ts, n * 2);
                        vs = java.util.Arrays.copyOf(vs, n * 2);
                    }
                    n = it.readFloats(maxt, ts, vs, n);
                    vt = it.seek(Long.MIN_VALUE);
                }
                assertThat(vt == ValueType.NONE || it.timestamp() > maxt).as("stopped at the end or after maxt").isTrue();
                for (int i = 0; i < n; i++) {
                    out.add(new Sample(ts[i], vs[i]));
                }
            }
            return out;
        }
    }

    @Test
    void bulkReadsGiveWhatSampleBySampleReadsGive() throws Exception {
        Head head = head(600_000);
        Appender app = head.appender();
        Random r = new Random(11);
        for (long t = 0; t < 2_000_000; t += 10_000) {
            app.append(0, UP_A, t, r.nextInt(3) == 0 ? r.nextGaussian() : t);
            if (t % 50_000 != 0) {
                app.append(0, UP_B, t, t / 7.0);
            }
        }
        app.commit();
        // Late samples for one series (merged with its chunks) and a deleted range for it.
        Appender late = head.appender();
        for (long t = 1_500_005; t < 1_990_000; t += 50_000) {
            late.append(0, UP_A, t, -t);
        }
        late.commit();
        for (int cap : new int[] {1, 3, 256}) {
            for (long[] range : new long[][] {{0, 2_000_000}, {123_456, 987_654}, {1_400_000, 1_700_000},
                {1_999_999, 5_000_000}}) {
                assertThat(readBulk(head, range[0], range[1], UP_A, cap)).as("%d %s", cap, range[0])
                        .containsExactlyElementsOf(read(head, range[0], range[1], UP_A));
                assertThat(readBulk(head, range[0], range[1], UP_B, cap))
                        .containsExactlyElementsOf(read(head, range[0], range[1], UP_B));
            }
        }
        head.delete(300_000, 400_000, Matcher.equal("job", "b"));
        assertThat(readBulk(head, 0, 2_000_000, UP_B, 2)).containsExactlyElementsOf(read(head, 0, 2_000_000, UP_B))
                .noneMatch(s -> s.t() >= 300_000 && s.t() <= 400_000);
    }

    @Test
    void stalenessMarkersKeepTheirBits() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        app.append(0, UP_A, 1000, 1);
        app.append(0, UP_A, 2000, SeriesSink.STALE_NAN);
        app.append(0, UP_A, 3000, Double.NaN);
        app.commit();
        List<Sample> got = read(head, 0, 5000, UP_A);
        assertThat(got).hasSize(3);
        assertThat(SeriesSink.isStaleMarker(got.get(1).v())).isTrue();
        assertThat(Double.isNaN(got.get(2).v())).isTrue();
        assertThat(SeriesSink.isStaleMarker(got.get(2).v())).isFalse();
    }

    @Test
    void histogramsAreStoredAndReadBack() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        FloatHistogram h = new FloatHistogram();
        io.mantis.otlp.prometheus.NativeHistogram nh = io.mantis.otlp.prometheus.NativeHistogram.ofIntegers(
                1000, 0, 0.001, 2, 10, 12.5,
                List.of(new io.mantis.otlp.prometheus.NativeHistogram.BucketSpan(0, 2)), new long[] {3, 2},
                List.of(), new long[0], io.mantis.otlp.prometheus.NativeHistogram.ResetHint.UNKNOWN);
        h.setFrom(nh);
        app.appendHistogram(0, REQS, 1000, h);
        app.commit();
        try (Querier q = head.querier(0, 5000)) {
            SeriesSet set = q.select(true, Matcher.of(Matcher.Type.EQUAL, "__name__", "http_requests_total"));
            assertThat(set.next()).isTrue();
            ChunkIterator it = set.at().iterator(null);
            assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
            FloatHistogram got = new FloatHistogram();
            it.histogram(got);
            assertThat(it.timestamp()).isEqualTo(1000);
            assertThat(got.count()).isEqualTo(10);
            assertThat(got.sum()).isEqualTo(12.5);
            assertThat(it.next()).isEqualTo(ValueType.NONE);
        }
    }

    @Test
    void matchersSelectSeriesAndLabelQueriesAnswer() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        app.append(0, UP_A, 1000, 1);
        app.append(0, UP_B, 1000, 0);
        app.append(0, REQS, 1000, 5);
        app.commit();
        try (Querier q = head.querier(0, 2000)) {
            assertThat(q.labelNames()).containsExactly("__name__", "code", "instance", "job");
            assertThat(q.labelValues("job")).containsExactly("a", "b");
            assertThat(q.labelValues("job", Matcher.of(Matcher.Type.EQUAL, "__name__", "http_requests_total")))
                    .containsExactly("a");
            assertThat(q.labelNames(Matcher.of(Matcher.Type.EQUAL, "__name__", "up")))
                    .containsExactly("__name__", "instance", "job");
            SeriesSet set = q.select(true, Matcher.of(Matcher.Type.REGEX, "job", "a|b"),
                    Matcher.of(Matcher.Type.NOT_EQUAL, "__name__", "up"));
            assertThat(set.next()).isTrue();
            assertThat(set.at().labels()).isEqualTo(REQS);
            assertThat(set.next()).isFalse();
        }
        // outside the time range nothing is selected
        try (Querier q = head.querier(5000, 9000)) {
            assertThat(q.select(false, Matcher.of(Matcher.Type.EQUAL, "__name__", "up")).next()).isFalse();
        }
    }

    @Test
    void truncationDropsOldChunksAndEmptySeries() throws Exception {
        Head head = head(0);
        long range = HeadOptions.DEFAULT_CHUNK_RANGE;
        Appender app = head.appender();
        for (long t = 0; t < 3 * range; t += 60_000) {
            app.append(0, UP_A, t, 1);
            if (t < range) {
                app.append(0, UP_B, t, 2);
            }
        }
        app.commit();
        assertThat(head.numSeries()).isEqualTo(2);
        int removed = head.truncateBefore(range);
        assertThat(removed).isEqualTo(1);
        assertThat(head.numSeries()).isEqualTo(1);
        assertThat(read(head, 0, range - 1, UP_A)).isEmpty();
        assertThat(read(head, range, 3 * range, UP_A)).hasSize((int) (2 * range / 60_000));
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertThat(q.labelValues("job")).containsExactly("a");
        }
        assertThatThrownBy(() -> {
            Appender a = head.appender();
            a.append(0, UP_B, range - 1, 1);
        }).isInstanceOf(AppendException.class).hasMessage("out of bounds");
    }

    @Test
    void concurrentAppendersLoseNothing() throws Exception {
        Head head = head(0);
        int threads = 4;
        int seriesPerThread = 200;
        int samples = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                fs.add(pool.submit(() -> {
                    for (int t = 0; t < samples; t++) {
                        Appender app = head.appender();
                        for (int s = 0; s < seriesPerThread; s++) {
                            // half the series are shared by all workers: they race on the same
                            // series, and a worker that falls behind is refused as out of order
                            String inst = s % 2 == 0 ? "shared" + s : "w" + worker + "-" + s;
                            try {
                                app.append(0, Labels.of("__name__", "m", "instance", inst), t * 1000L, t);
                            } catch (AppendException e) {
                                assertThat(inst).startsWith("shared");
                            }
                        }
                        app.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int expectedSeries = seriesPerThread / 2 + threads * seriesPerThread / 2;
        assertThat(head.numSeries()).isEqualTo(expectedSeries);
        try (Querier q = head.querier(0, Long.MAX_VALUE)) {
            SeriesSet set = q.select(false, Matcher.of(Matcher.Type.EQUAL, "__name__", "m"));
            int n = 0;
            ChunkIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                int count = 0;
                long last = -1;
                while (it.next() != ValueType.NONE) {
                    assertThat(it.value()).isEqualTo(it.timestamp() / 1000.0);
                    assertThat(it.timestamp()).isGreaterThan(last);
                    last = it.timestamp();
                    count++;
                }
                String inst = set.at().labels().get("instance");
                if (inst.startsWith("shared")) {
                    // the newest sample always wins the race
                    assertThat(last).as(inst).isEqualTo((samples - 1) * 1000L);
                } else {
                    assertThat(count).as(inst).isEqualTo(samples);
                }
                n++;
            }
            assertThat(n).isEqualTo(expectedSeries);
        }
    }

    @Test
    void exemplarsAreKeptPerSeriesAndTimeRange() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        app.append(0, REQS, 1000, 1);
        app.appendExemplar(0, REQS, Labels.of("trace_id", "abc"), 0.5, 1000);
        app.appendExemplar(0, UP_A, Labels.of("trace_id", "def"), 1, 2000);
        app.commit();
        List<Head.SeriesExemplars> got = head.exemplars(0, 1500, Matcher.of(Matcher.Type.EQUAL, "job", "a"));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).seriesLabels()).isEqualTo(REQS);
        assertThat(got.get(0).exemplars()).containsExactly(
                new Head.SeriesExemplars.Exemplar(Labels.of("trace_id", "abc"), 0.5, 1000));
        Appender app2 = head.appender();
        String longValue = "x".repeat(130);
        assertThatThrownBy(() -> app2.appendExemplar(0, REQS, Labels.of("trace_id", longValue), 1, 3000))
                .isInstanceOf(AppendException.class)
                .hasMessage("label length for exemplar exceeds maximum of 128 UTF-8 characters");
    }

    @Test
    void exemplarsOfASeriesAreKeptInTimeOrderAndAResentOneIsANoOp() throws Exception {
        Head head = head(0);
        Appender app = head.appender();
        app.appendExemplar(0, REQS, Labels.of("trace_id", "a"), 1, 1000);
        app.appendExemplar(0, REQS, Labels.of("trace_id", "b"), 2, 2000);
        app.appendExemplar(0, REQS, Labels.of("trace_id", "c"), 3, 1500); // behind b in the same write
        app.commit();
        Appender again = head.appender();
        again.appendExemplar(0, REQS, Labels.of("trace_id", "b"), 2, 2000); // resent: silently kept once
        assertThatThrownBy(() -> again.appendExemplar(0, REQS, Labels.of("trace_id", "d"), 4, 1999))
                .isInstanceOf(AppendException.class).hasMessage("out of order exemplar");
        again.appendExemplar(0, REQS, Labels.of("trace_id", "e"), 5, 2000); // same time, larger value
        again.commit();
        assertThat(head.exemplars(0, 5000, Matcher.of(Matcher.Type.EQUAL, "job", "a")).get(0).exemplars())
                .extracting(e -> e.labels().get("trace_id")).containsExactly("a", "b", "e");
    }

    // ---------------------------------------------------------------- out-of-order histograms

    /** A counter histogram of {@code c} observations (c whole: integer counts) in two buckets and the zero bucket. */
    static FloatHistogram hist(double c) {
        FloatHistogram h = new FloatHistogram().schema(0).zeroThreshold(0.001).zeroCount(c / 4).count(c).sum(c * 1.5);
        h.positive().addSpan(0, 2).addCount(c / 4).addCount(c / 2);
        return h;
    }

    record Read(long t, ValueType type, double value, FloatHistogram.CounterResetHint hint) {
    }

    /** Every sample of the series, any type; a histogram's value is its count. */
    static List<Read> readAll(Head head, long mint, long maxt, Labels labels) {
        try (Querier q = head.querier(mint, maxt)) {
            SeriesSet set = q.select(true, Matcher.equal("__name__", labels.metricName()), Matcher.equal("job", labels.get("job")));
            List<Read> out = new ArrayList<>();
            FloatHistogram h = new FloatHistogram();
            while (set.next()) {
                ChunkIterator it = set.at().iterator(null);
                ValueType vt;
                while ((vt = it.next()) != ValueType.NONE) {
                    if (vt == ValueType.FLOAT) {
                        out.add(new Read(it.timestamp(), vt, it.value(), null));
                    } else {
                        it.histogram(h);
                        out.add(new Read(it.timestamp(), vt, h.count(), h.counterResetHint()));
                    }
                }
            }
            return out;
        }
    }

    @Test
    void lateHistogramsAreTakenWithinTheWindowAndMergedInTimeOrder() throws Exception {
        Head head = head(50_000);
        Appender app = head.appender();
        for (long t = 0; t <= 100_000; t += 20_000) {
            app.appendHistogram(0, REQS, t, hist(t / 1000));
        }
        app.commit();
        Appender late = head.appender();
        late.appendHistogram(0, REQS, 50_000, hist(52)); // exactly at the window's edge
        late.appendHistogram(0, REQS, 70_000, hist(70.5)); // fractional counts
        late.append(0, REQS, 90_000, 7); // a late float among histograms
        assertThatThrownBy(() -> late.appendHistogram(0, REQS, 49_999, hist(49)))
                .isInstanceOf(AppendException.class).hasMessage("too old sample");
        late.commit();
        assertThat(head.outOfOrderAccepted.sum()).isEqualTo(3);
        assertThat(head.rejected[AppendException.Kind.TOO_OLD.ordinal()].sum()).isEqualTo(1);
        assertThat(head.histogramsAppended.sum()).isEqualTo(6 + 2);

        var unknown = FloatHistogram.CounterResetHint.UNKNOWN;
        var notReset = FloatHistogram.CounterResetHint.NOT_RESET;
        assertThat(readAll(head, 0, 200_000, REQS)).containsExactly(
                new Read(0, ValueType.HISTOGRAM, 0, unknown),
                new Read(20_000, ValueType.HISTOGRAM, 20, notReset),
                new Read(40_000, ValueType.HISTOGRAM, 40, notReset),
                // a late histogram, and the in-order one after it, have an unknown hint
                new Read(50_000, ValueType.HISTOGRAM, 52, unknown),
                new Read(60_000, ValueType.HISTOGRAM, 60, unknown),
                new Read(70_000, ValueType.FLOAT_HISTOGRAM, 70.5, unknown),
                new Read(80_000, ValueType.HISTOGRAM, 80, unknown),
                new Read(90_000, ValueType.FLOAT, 7, null),
                new Read(100_000, ValueType.HISTOGRAM, 100, unknown));
        // windows that start or end at late samples, and seeks over them
        assertThat(readAll(head, 50_000, 70_000, REQS)).extracting(Read::t).containsExactly(50_000L, 60_000L, 70_000L);
        assertThat(readAll(head, 51_000, 89_000, REQS)).extracting(Read::t).containsExactly(60_000L, 70_000L, 80_000L);
        try (Querier q = head.querier(0, 200_000)) {
            SeriesSet set = q.select(true, Matcher.equal("__name__", REQS.metricName()));
            assertThat(set.next()).isTrue();
            ChunkIterator it = set.at().iterator(null);
            assertThat(it.seek(45_000)).isEqualTo(ValueType.HISTOGRAM);
            assertThat(it.timestamp()).isEqualTo(50_000);
            assertThat(it.seek(65_000)).isEqualTo(ValueType.FLOAT_HISTOGRAM);
            assertThat(it.seek(85_000)).isEqualTo(ValueType.FLOAT);
            assertThat(it.value()).isEqualTo(7);
            assertThatThrownBy(() -> it.histogram(new FloatHistogram())).isInstanceOf(UnsupportedOperationException.class);
            assertThat(it.seek(90_001)).isEqualTo(ValueType.HISTOGRAM);
            assertThatThrownBy(it::value).isInstanceOf(UnsupportedOperationException.class);
            assertThat(it.next()).isEqualTo(ValueType.NONE);
        }
        // truncation drops late histograms before it (the in-order chunk reaches past it and stays)
        head.truncateBefore(60_000);
        assertThat(readAll(head, 0, 200_000, REQS)).extracting(Read::t)
                .containsExactly(0L, 20_000L, 40_000L, 60_000L, 70_000L, 80_000L, 90_000L, 100_000L);
        head.truncateBefore(100_001);
        assertThat(readAll(head, 0, 200_000, REQS)).isEmpty();
        assertThat(head.numSeries()).isZero();
    }

    @Test
    void lateHistogramDuplicatesAreRefusedAsPrometheusDoes() throws Exception {
        Head head = head(3_600_000);
        Appender app = head.appender();
        app.appendHistogram(0, REQS, 10_000, hist(4));
        // a wider layout: the chunk re-lays the first sample out with a zero bucket more
        FloatHistogram wider = new FloatHistogram().schema(0).zeroThreshold(0.001).zeroCount(1).count(8).sum(9);
        wider.positive().addSpan(0, 3).addCount(2).addCount(4).addCount(1);
        app.appendHistogram(0, REQS, 20_000, wider);
        app.append(0, REQS, 30_000, 5);
        app.commit();
        Appender late = head.appender();
        late.appendHistogram(0, REQS, 15_000, hist(6));
        late.append(0, REQS, 16_000, 1);
        late.commit();

        Appender again = head.appender();
        // identical to what is stored (late, or in order as appended): accepted silently
        again.appendHistogram(0, REQS, 15_000, hist(6));
        again.appendHistogram(0, REQS, 10_000, hist(4));
        again.appendHistogram(0, REQS, 20_000, wider);
        again.append(0, REQS, 16_000, 1);
        // different: refused
        for (long t : new long[] {10_000, 15_000, 16_000, 20_000, 30_000}) {
            assertThatThrownBy(() -> again.appendHistogram(0, REQS, t, hist(99)))
                    .as("histogram at %d", t).isInstanceOf(AppendException.class)
                    .hasMessage("duplicate sample for timestamp");
        }
        for (long t : new long[] {10_000, 15_000}) {
            assertThatThrownBy(() -> again.append(0, REQS, t, 4))
                    .as("float at %d", t).isInstanceOf(AppendException.class)
                    .hasMessage("duplicate sample for timestamp");
        }
        again.commit();
        assertThat(head.rejected[AppendException.Kind.DUPLICATE.ordinal()].sum()).isEqualTo(7);
        assertThat(readAll(head, 0, 100_000, REQS)).extracting(Read::t, Read::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(10_000L, 4.0), org.assertj.core.groups.Tuple.tuple(15_000L, 6.0),
                org.assertj.core.groups.Tuple.tuple(16_000L, 1.0), org.assertj.core.groups.Tuple.tuple(20_000L, 8.0),
                org.assertj.core.groups.Tuple.tuple(30_000L, 5.0));

        // without a window a late histogram is out of order, as before
        Head strict = head(0);
        Appender a = strict.appender();
        a.appendHistogram(0, REQS, 10_000, hist(4));
        a.commit();
        assertThatThrownBy(() -> strict.appender().appendHistogram(0, REQS, 9_000, hist(3)))
                .isInstanceOf(AppendException.class).hasMessage("out of order sample");
    }

    @Test
    void onlySeriesWithLateHistogramsPayForThem() throws Exception {
        Head head = head(60_000);
        Appender app = head.appender();
        app.appendHistogram(0, REQS, 10_000, hist(4));
        app.append(0, UP_A, 10_000, 1);
        app.commit();
        Appender late = head.appender();
        late.append(0, UP_A, 5_000, 1);
        late.commit();
        HeadSeries floats = head.series(head.appender().append(0, UP_A, 20_000, 2));
        HeadSeries.Snapshot snap = floats.snapshot(0, 100_000, null);
        assertThat(snap.oooN()).isEqualTo(1);
        assertThat(snap.oooHT()).isNull();
        assertThat(snap.oooH()).isNull();
    }

    /** Reads every sample, floats in bulk, histograms one by one: what a query engine's loader does. */
    static List<Read> readAllBulk(Head head, long mint, long maxt, Labels labels, int cap) {
        try (Querier q = head.querier(mint, maxt)) {
            SeriesSet set = q.select(true, Matcher.equal("__name__", labels.metricName()), Matcher.equal("job", labels.get("job")));
            List<Read> out = new ArrayList<>();
            FloatHistogram h = new FloatHistogram();
            long[] ts = new long[cap];
            double[] vs = new double[cap];
            while (set.next()) {
                ChunkIterator it = set.at().iterator(null);
                ValueType vt = it.seek(mint);
                while (vt != ValueType.NONE && it.timestamp() <= maxt) {
                    if (vt == ValueType.FLOAT) {
                        int n = it.readFloats(maxt, ts, vs, 0);
                        assertThat(n).isPositive();
                        for (int i = 0; i < n; i++) {
                            out.add(new Read(ts[i], ValueType.FLOAT, vs[i], null));
                        }
                        vt = it.seek(Long.MIN_VALUE);
                    } else {
                        it.histogram(h);
                        out.add(new Read(it.timestamp(), vt, h.count(), h.counterResetHint()));
                        vt = it.next();
                    }
                }
            }
            return out;
        }
    }

    @Test
    void bulkReadsGiveWhatSampleBySampleReadsGiveWithLateHistograms() throws Exception {
        Head head = head(600_000);
        for (long t = 0; t < 2_000_000; t += 10_000) {
            // one commit each: a commit applies its floats before its histograms
            Appender app = head.appender();
            if (t >= 1_000_000 && t < 1_300_000) {
                app.appendHistogram(0, REQS, t, hist(t / 1000)); // a histogram stretch in a float series
            } else {
                app.append(0, REQS, t, t);
            }
            app.commit();
        }
        Appender late = head.appender();
        for (long t = 1_400_005; t < 1_990_000; t += 70_000) {
            late.appendHistogram(0, REQS, t, hist(t / 1000));
        }
        for (long t = 1_400_007; t < 1_990_000; t += 110_000) {
            late.append(0, REQS, t, -t);
        }
        late.commit();
        List<Read> all = readAll(head, 0, 2_000_000, REQS);
        assertThat(all).hasSize(200 + 9 + 6);
        assertThat(all).extracting(Read::t).isSorted();
        for (int cap : new int[] {1, 3, 256}) {
            for (long[] range : new long[][] {{0, 2_000_000}, {123_456, 1_100_000}, {1_400_000, 1_700_000},
                {1_400_005, 1_400_007}, {1_999_999, 5_000_000}}) {
                assertThat(readAllBulk(head, range[0], range[1], REQS, cap)).as("%d %s", cap, range[0])
                        .containsExactlyElementsOf(readAll(head, range[0], range[1], REQS));
            }
        }
        head.delete(1_500_000, 1_600_000, Matcher.equal("job", "a"));
        assertThat(readAllBulk(head, 0, 2_000_000, REQS, 2)).containsExactlyElementsOf(readAll(head, 0, 2_000_000, REQS))
                .noneMatch(r -> r.t() >= 1_500_000 && r.t() <= 1_600_000);
    }
}
