package io.mantis.metrics.tsdb.block;

import static io.mantis.metrics.tsdb.block.BlockTesting.read;
import static io.mantis.metrics.tsdb.block.BlockTesting.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.Series;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.block.BlockTesting.Reference;
import io.mantis.metrics.tsdb.block.BlockTesting.Sample;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.head.Head;
import io.mantis.metrics.tsdb.head.HeadLog;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeakedFiles.class)
class MergeQuerierTest {

    @TempDir
    Path dir;

    private Block block(Reference ref, long mint, long maxt) throws Exception {
        BlockMeta m = new BlockWriter(dir).write(mint, maxt, source(ref, mint, maxt));
        return Block.open(dir.resolve(m.ulid().toString()));
    }

    private static Head head(Reference ref) throws Exception {
        Head head = new Head(new HeadOptions(HeadOptions.DEFAULT_CHUNK_RANGE, 0, 120, 0), HeadLog.NONE);
        Appender app = head.appender();
        for (var e : ref.series.entrySet()) {
            for (Sample s : e.getValue().values()) {
                if (s.h() == null) {
                    app.append(0, e.getKey(), s.t(), s.v());
                } else {
                    app.appendHistogram(0, e.getKey(), s.t(), s.h());
                }
            }
        }
        app.commit();
        return head;
    }

    @Test
    void mergesHeadAndTwoBlocksFirstQuerierWinningDuplicates() throws Exception {
        Labels s1 = Labels.of("__name__", "s", "i", "1");
        Labels s2 = Labels.of("__name__", "s", "i", "2");
        Labels s3 = Labels.of("__name__", "s", "i", "3", "only", "a");
        Labels s4 = Labels.of("__name__", "s", "i", "4", "only", "b");
        Labels s5 = Labels.of("__name__", "t", "only", "head");
        Reference a = new Reference();
        Reference b = new Reference();
        Reference h = new Reference();
        for (long t = 0; t < 1000; t += 10) {
            a.add(s1, Sample.f(t, 1));
            a.add(s3, Sample.f(t, 1));
        }
        for (long t = 0; t <= 500; t += 10) {
            a.add(s2, Sample.f(t, 2));
        }
        for (long t = 500; t < 1500; t += 10) {
            b.add(s1, Sample.f(t, 3));
            b.add(s4, Sample.f(t, 3));
        }
        FloatHistogram hist = new FloatHistogram().schema(0).count(3).sum(1).zeroCount(3);
        for (long t = 1000; t <= 2000; t += 10) {
            h.add(s1, Sample.f(t, 5));
            h.add(s5, Sample.h(t, hist));
        }
        b.add(s5, Sample.f(2000, 7)); // a float in a block under a head histogram: the head's wins

        Reference want = new Reference();
        want.addAll(h);
        want.addAll(b);
        want.addAll(a);
        Head head = head(h);
        try (Block older = block(a, 0, 1000); Block newer = block(b, 500, 2001)) {
            assertThat(newer.ulid()).isGreaterThan(older.ulid());
            for (long[] range : new long[][] {{Long.MIN_VALUE, Long.MAX_VALUE}, {400, 1200}, {995, 1005}, {1500, 1500}}) {
                try (Querier q = new MergeQuerier(List.of(head.querier(range[0], range[1]),
                        newer.querier(range[0], range[1]), older.querier(range[0], range[1])))) {
                    assertThat(read(q)).as("range %d..%d", range[0], range[1]).isEqualTo(want.query(range[0], range[1]));
                    assertThat(read(q, Matcher.equal("i", "1"))).isEqualTo(want.query(range[0], range[1], Matcher.equal("i", "1")));
                }
            }
            try (Querier q = new MergeQuerier(List.of(head.querier(0, 3000), newer.querier(0, 3000), older.querier(0, 3000)))) {
                assertThat(q.labelNames()).containsExactly("__name__", "i", "only");
                assertThat(q.labelNames(Matcher.equal("i", "4"))).containsExactly("__name__", "i", "only");
                assertThat(q.labelNames(Matcher.equal("i", "2"))).containsExactly("__name__", "i");
                assertThat(q.labelValues("only")).containsExactly("a", "b", "head");
                assertThat(q.labelValues("i", Matcher.regex("only", "a|head"))).containsExactly("3");
                assertThat(q.labelValues("__name__")).containsExactly("s", "t");
            }
        }
    }

    @Test
    void randomPartsMergeLikeTheReferenceIncludingSeeks() throws Exception {
        for (int seed = 1; seed <= 3; seed++) {
            Random rnd = new Random(seed * 31L);
            Reference a = BlockTesting.randomSeries(rnd, 60, 0, 10_000, 150);
            Reference b = BlockTesting.randomSeries(rnd, 60, 5_000, 15_000, 150);
            Reference h = BlockTesting.randomSeries(rnd, 60, 9_000, 20_000, 150);
            Reference want = new Reference();
            want.addAll(h);
            want.addAll(b);
            want.addAll(a);
            Head head = head(h);
            try (Block ba = block(a, 0, 10_000); Block bb = block(b, 5_000, 15_000)) {
                for (int k = 0; k < 15; k++) {
                    long mint = rnd.nextLong(-100, 20_000);
                    long maxt = mint + rnd.nextLong(0, 12_000);
                    Matcher[] ms = BlockTest.randomMatchers(rnd);
                    try (Querier q = new MergeQuerier(List.of(head.querier(mint, maxt), bb.querier(mint, maxt),
                            ba.querier(mint, maxt)))) {
                        assertThat(read(q, ms)).as("seed %d [%d, %d] %s", seed, mint, maxt, List.of(ms))
                                .isEqualTo(want.query(mint, maxt, ms));
                        checkSeeks(q, want, rnd, mint, maxt);
                    }
                }
            }
        }
    }

    private static void checkSeeks(Querier q, Reference want, Random rnd, long mint, long maxt) {
        SeriesSet set = q.select(false, Matcher.regex("__name__", ".+"));
        ChunkIterator it = null;
        while (set.next()) {
            Series s = set.at();
            TreeMap<Long, Sample> samples = want.series.get(s.labels());
            it = s.iterator(it);
            long t = mint - 5;
            while (true) {
                t += rnd.nextInt(2000);
                Map.Entry<Long, Sample> e = samples.ceilingEntry(Math.max(t, mint));
                ValueType vt = it.seek(t);
                if (e == null || e.getKey() > maxt) {
                    assertThat(vt).isEqualTo(ValueType.NONE);
                    break;
                }
                assertThat(vt).isNotEqualTo(ValueType.NONE);
                assertThat(it.timestamp()).isEqualTo(e.getKey());
                if (e.getValue().h() == null) {
                    assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(Double.doubleToRawLongBits(e.getValue().v()));
                }
            }
        }
    }

    @Test
    void warningsOfEveryPartArePassedOn() throws Exception {
        Reference a = new Reference();
        a.add(Labels.of("__name__", "x"), Sample.f(1, 1));
        Reference b = new Reference();
        b.add(Labels.of("__name__", "x"), Sample.f(2, 2));
        try (Block ba = block(a, 0, 10); Block bb = block(b, 0, 10);
                Querier q = new MergeQuerier(List.of(new Warning(bb.querier(0, 10), "part b is partial"),
                        new Warning(ba.querier(0, 10), "part a is partial")))) {
            SeriesSet set = q.select(true, Matcher.equal("__name__", "x"));
            assertThat(set.next()).isTrue();
            assertThat(set.next()).isFalse();
            assertThat(set.warnings()).containsExactly("part b is partial", "part a is partial");
        }
    }

    @Test
    void oneOrNoQuerier() throws Exception {
        Reference a = new Reference();
        a.add(Labels.of("__name__", "x"), Sample.f(1, 1));
        try (Block ba = block(a, 0, 10)) {
            Querier single = ba.querier(0, 10);
            assertThat(MergeQuerier.of(List.of(single))).isSameAs(single);
            single.close();
            try (Querier none = MergeQuerier.of(List.of())) {
                assertThat(none.select(true).next()).isFalse();
                assertThat(none.labelNames()).isEmpty();
            }
            assertThat(ba.pins()).isZero();
        }
    }

    @Test
    void closingTheMergeClosesEveryPart() throws Exception {
        Reference a = new Reference();
        a.add(Labels.of("__name__", "x"), Sample.f(1, 1));
        try (Block ba = block(a, 0, 10); Block bb = block(a, 0, 10)) {
            Querier q = new MergeQuerier(List.of(ba.querier(0, 10), bb.querier(0, 10)));
            assertThat(ba.pins() + bb.pins()).isEqualTo(2);
            q.close();
            assertThat(ba.pins() + bb.pins()).isZero();
        }
    }

    /** A real querier whose series sets carry a warning, as a partial part's would. */
    private record Warning(Querier q, String warning) implements Querier {
        @Override
        public SeriesSet select(boolean sorted, Matcher... matchers) {
            SeriesSet s = q.select(sorted, matchers);
            return new SeriesSet() {
                @Override
                public boolean next() {
                    return s.next();
                }

                @Override
                public Series at() {
                    return s.at();
                }

                @Override
                public List<String> warnings() {
                    List<String> w = new ArrayList<>(s.warnings());
                    w.add(warning);
                    return w;
                }
            };
        }

        @Override
        public List<String> labelNames(Matcher... matchers) {
            return q.labelNames(matchers);
        }

        @Override
        public List<String> labelValues(String name, Matcher... matchers) {
            return new ArrayList<>(new TreeSet<>(q.labelValues(name, matchers)));
        }

        @Override
        public void close() {
            q.close();
        }
    }
}
