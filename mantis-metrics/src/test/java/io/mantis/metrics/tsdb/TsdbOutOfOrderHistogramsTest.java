package io.mantis.metrics.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.common.config.DataSize;
import io.mantis.common.metrics.MetricRegistry;
import io.mantis.common.wal.FsyncPolicy;
import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.metrics.tsdb.block.ChunkList;
import io.mantis.metrics.tsdb.block.ChunkSeriesSet;
import io.mantis.metrics.tsdb.block.ChunkSeriesSets;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.CounterResetHeader;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.testkit.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms written late, within the out-of-order window, against the same histograms
 * written in order: the store (head, WAL replay after a crash, blocks cut from the head) and PromQL
 * over it must not tell the two apart.
 */
@ExtendWith(LeakCheck.class)
class TsdbOutOfOrderHistogramsTest {

    private static final long RANGE = 600_000;
    private static final long WINDOW = 300_000;
    private static final long STEP = 15_000;
    private static final int SAMPLES = 120;
    private static final Labels IN_ORDER = Labels.of("__name__", "lat", "job", "inorder");
    private static final Labels LATE = Labels.of("__name__", "lat", "job", "late");

    @TempDir
    Path dir;

    private static TsdbOptions options() {
        return new TsdbOptions(Duration.ofDays(30), 0, new HeadOptions(RANGE, WINDOW, 120, 0),
                TsdbOptions.defaults().wal().withSegmentSize(DataSize.ofKibibytes(4)).withFsync(FsyncPolicy.ALWAYS));
    }

    /**
     * The i-th histogram of the counter: growing, reset at sample 59 (which is written late),
     * with fractional counts (a float histogram chunk) every eleventh.
     */
    private static FloatHistogram hist(int i) {
        double c = i < 59 ? 4 * (i + 1) : 4 * (i - 58);
        if (i % 11 == 5) {
            c += 0.5;
        }
        FloatHistogram h = new FloatHistogram().schema(1).zeroThreshold(0.001).zeroCount(c / 4).count(c).sum(c * 1.5);
        h.positive().addSpan(0, 2).addCount(c / 4).addCount(c / 2);
        return h;
    }

    private static boolean late(int i) {
        return i % 7 == 3;
    }

    /** Sample i in order for one series; for the other, every late(i) sample after sample i + 4. */
    private static void write(Tsdb tsdb) throws Exception {
        for (int i = 0; i < SAMPLES; i++) {
            Appender app = tsdb.appender();
            app.appendHistogram(0, IN_ORDER, i * STEP, hist(i));
            if (!late(i)) {
                app.appendHistogram(0, LATE, i * STEP, hist(i));
            }
            if (i >= 4 && late(i - 4)) {
                app.appendHistogram(0, LATE, (i - 4) * STEP, hist(i - 4));
            }
            app.commit();
        }
        Appender app = tsdb.appender();
        for (int i = SAMPLES - 4; i < SAMPLES; i++) {
            if (late(i)) {
                app.appendHistogram(0, LATE, i * STEP, hist(i));
            }
        }
        app.commit();
    }

    /** (t, type, count, sum) of every sample of the series. */
    private static List<String> samples(Queryable store, Labels labels) {
        List<String> out = new ArrayList<>();
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, Matcher.equal("job", labels.get("job")));
            FloatHistogram h = new FloatHistogram();
            while (set.next()) {
                ChunkIterator it = set.at().iterator(null);
                ValueType vt;
                while ((vt = it.next()) != ValueType.NONE) {
                    it.histogram(h);
                    out.add(it.timestamp() + " " + vt + " " + h.count() + " " + h.sum());
                }
            }
        }
        return out;
    }

    /** PromQL over both series, per evaluation time: results for the late series equal the in-order ones. */
    private static List<String> promql(Tsdb tsdb) {
        QueryEngine engine = ServiceLoader.load(QueryEngine.Factory.class).findFirst().orElseThrow()
                .create(tsdb, QueryEngine.Options.DEFAULTS);
        List<String> results = new ArrayList<>();
        for (String expr : new String[] {"histogram_count(rate(lat{job=\"%s\"}[1m]))",
            "histogram_sum(increase(lat{job=\"%s\"}[2m]))", "histogram_count(lat{job=\"%s\"})"}) {
            for (long t = 60_000; t <= SAMPLES * STEP; t += STEP) {
                QueryResult a = engine.instant(expr.formatted("inorder"), t);
                QueryResult b = engine.instant(expr.formatted("late"), t);
                assertThat(a.failed()).as(expr).isFalse();
                assertThat(b.failed()).as(expr).isFalse();
                List<Sample> sa = ((Vector) a.value()).samples();
                List<Sample> sb = ((Vector) b.value()).samples();
                assertThat(sa).as("%s at %d", expr, t).hasSize(1);
                assertThat(sb).as("%s at %d", expr, t).hasSize(1);
                assertThat(sb.get(0).v()).as("%s at %d", expr, t).isEqualTo(sa.get(0).v());
                if (!expr.startsWith("histogram_count(lat")) {
                    assertThat(sa.get(0).v()).as("%s at %d: a reset is no decrease", expr, t).isNotNegative();
                }
                results.add(expr + " " + t + " " + sa.get(0).v());
            }
        }
        return results;
    }

    /** The chunks a block cut would write for the series, as (encoding, header, minT, maxT, bytes). */
    private static List<String> blockChunks(Tsdb tsdb, Labels labels) {
        List<String> out = new ArrayList<>();
        try (Querier q = tsdb.head().querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            ChunkSeriesSet set = ChunkSeriesSets.encode(q.select(true, Matcher.equal("job", labels.get("job"))), 120);
            while (set.next()) {
                ChunkList chunks = set.chunks();
                for (int i = 0; i < chunks.size(); i++) {
                    Chunk c = chunks.chunk(i);
                    java.nio.ByteBuffer b = c.bytes();
                    byte[] bytes = new byte[b.remaining()];
                    b.duplicate().get(bytes);
                    out.add(c.encoding() + " " + c.counterResetHeader() + " " + chunks.minTime(i) + " "
                            + chunks.maxTime(i) + " " + java.util.HexFormat.of().formatHex(bytes));
                }
            }
        }
        return out;
    }

    @Test
    void lateHistogramsReadQueryReplayAndCutAsIfWrittenInOrder() throws Exception {
        Path store = dir.resolve("store");
        Path crashed = dir.resolve("crashed");
        List<String> want;
        List<String> rates;
        try (Tsdb tsdb = Tsdb.openManual(store, options(), new MetricRegistry())) {
            write(tsdb);
            want = samples(tsdb, IN_ORDER);
            assertThat(want).hasSize(SAMPLES);
            assertThat(samples(tsdb, LATE)).containsExactlyElementsOf(want);
            assertThat(want).anyMatch(s -> s.contains("FLOAT_HISTOGRAM")).anyMatch(s -> s.contains(" HISTOGRAM"));
            rates = promql(tsdb);

            // A block cut re-encodes the late series into the very chunks of the in-order one,
            // headers included: the reset sample (late) starts a chunk marked as a reset.
            List<String> chunks = blockChunks(tsdb, IN_ORDER);
            assertThat(blockChunks(tsdb, LATE)).containsExactlyElementsOf(chunks);
            assertThat(chunks).anyMatch(c -> c.startsWith("HISTOGRAM " + CounterResetHeader.RESET + " " + 59 * STEP + " "));

            // What a crash leaves: every acknowledged write is in the (synced) WAL.
            copy(store, crashed);

            tsdb.maintain();
            assertThat(tsdb.blocks()).as("the head was cut into blocks").isNotEmpty();
            assertThat(tsdb.blocks().get(0).minTime()).isZero();
            assertThat(samples(tsdb, IN_ORDER)).containsExactlyElementsOf(want);
            assertThat(samples(tsdb, LATE)).containsExactlyElementsOf(want);
            assertThat(samples(tsdb.blocks().get(0), LATE)).isNotEmpty()
                    .containsExactlyElementsOf(samples(tsdb.blocks().get(0), IN_ORDER));
            assertThat(promql(tsdb)).containsExactlyElementsOf(rates);
        }
        try (Tsdb tsdb = Tsdb.openManual(crashed, options(), new MetricRegistry())) {
            assertThat(tsdb.blocks()).isEmpty();
            assertThat(samples(tsdb, IN_ORDER)).containsExactlyElementsOf(want);
            assertThat(samples(tsdb, LATE)).containsExactlyElementsOf(want);
            assertThat(promql(tsdb)).containsExactlyElementsOf(rates);
        }
        try (Tsdb tsdb = Tsdb.openManual(store, options(), new MetricRegistry())) {
            assertThat(samples(tsdb, LATE)).containsExactlyElementsOf(want);
        }
    }

    /**
     * A late histogram with more counts than the in-order one after it: read back in order, that
     * one is a counter reset, though its chunk, which never saw the late one, says it is not.
     */
    @Test
    void aLateSampleMakesTheNextInOrderOneAResetForPromql() throws Exception {
        try (Tsdb tsdb = Tsdb.openManual(dir.resolve("reset"), options(), new MetricRegistry())) {
            int[] counts = {40, 80, 400, 120, 160, 200};
            for (int i = 0; i < counts.length; i++) {
                Appender app = tsdb.appender();
                app.appendHistogram(0, IN_ORDER, i * STEP, counter(counts[i]));
                if (i != 2) {
                    app.appendHistogram(0, LATE, i * STEP, counter(counts[i]));
                }
                app.commit();
            }
            Appender app = tsdb.appender();
            app.appendHistogram(0, LATE, 2 * STEP, counter(400));
            app.commit();
            assertThat(samples(tsdb, LATE)).containsExactlyElementsOf(samples(tsdb, IN_ORDER));
            QueryEngine engine = ServiceLoader.load(QueryEngine.Factory.class).findFirst().orElseThrow()
                    .create(tsdb, QueryEngine.Options.DEFAULTS);
            String expr = "histogram_count(increase(lat{job=\"%s\"}[2m]))";
            double inOrder = ((Vector) engine.instant(expr.formatted("inorder"), 5 * STEP).value()).samples().get(0).v();
            double late = ((Vector) engine.instant(expr.formatted("late"), 5 * STEP).value()).samples().get(0).v();
            assertThat(late).isEqualTo(inOrder);
            // 40 -> 80 -> 400, reset, 120 -> 160 -> 200: 360 + 200 over 75 s, extrapolated to 2 m
            assertThat(inOrder).isGreaterThan(560);
        }
    }

    private static FloatHistogram counter(double c) {
        FloatHistogram h = new FloatHistogram().schema(0).zeroThreshold(0.001).zeroCount(c / 4).count(c).sum(c);
        h.positive().addSpan(0, 2).addCount(c / 4).addCount(c / 2);
        return h;
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
