package io.mantis.metrics.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.promql.promqltest.Script.Load;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.SeriesSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads scripts into a real store and reads back what it holds through a querier. */
class LoaderTest {

    @TempDir
    Path dir;

    private TestStorage storage;

    @BeforeEach
    void open() {
        storage = new TestStorage(dir);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private void run(String script) {
        for (Script.Command c : ScriptParser.parse("t.test", script).commands()) {
            switch (c) {
                case Load l -> Loader.load(storage.tsdb(), l);
                case Script.Clear cl -> storage.clear();
                case Script.Eval e -> throw new AssertionError("no evals here");
            }
        }
    }

    /** Every sample of every series whose name matches, as "t:value" (histograms in script notation). */
    private static Map<Labels, List<String>> read(Tsdb tsdb, String nameRegex) {
        Map<Labels, List<String>> out = new LinkedHashMap<>();
        try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, Matcher.of(Matcher.Type.REGEX, "__name__", nameRegex));
            ChunkIterator it = null;
            FloatHistogram h = new FloatHistogram();
            while (set.next()) {
                List<String> samples = new ArrayList<>();
                it = set.at().iterator(it);
                ValueType vt;
                while ((vt = it.next()) != ValueType.NONE) {
                    if (vt == ValueType.FLOAT) {
                        samples.add(it.timestamp() + ":" + (SeriesSink.isStaleMarker(it.value()) ? "stale"
                                : Histograms.number(it.value())));
                    } else {
                        it.histogram(h);
                        samples.add(it.timestamp() + ":" + (h.isStale() ? "stale" : Histograms.testExpression(h)));
                    }
                }
                out.put(set.at().labels(), samples);
            }
        }
        return out;
    }

    @Test
    void floatsGapsAndStalenessMarkersLandAtTheirSlots() {
        run("""
                load 1m
                  a{x="1"} 1 _ 3 stale 5
                  a{x="2"} _x2 0+0.5x2
                """);
        Map<Labels, List<String>> got = read(storage.tsdb(), "a");
        assertThat(got).containsExactly(
                Map.entry(Labels.of("__name__", "a", "x", "1"), List.of("0:1", "120000:3", "180000:stale", "240000:5")),
                Map.entry(Labels.of("__name__", "a", "x", "2"), List.of("120000:0", "180000:0.5", "240000:1")));
    }

    @Test
    void histogramsAndSeriesThatSwitchKind() {
        run("""
                load 5m
                  h {{schema:1 sum:3 count:2 z_bucket:1 z_bucket_w:0.001 buckets:[1] n_buckets:[0 1] n_offset:-2}}x1 stale
                  m 1 {{count:2 sum:2}} 3 {{count:4 sum:4 counter_reset_hint:gauge}}
                """);
        Map<Labels, List<String>> got = read(storage.tsdb(), "h|m");
        assertThat(got.get(Labels.of("__name__", "h"))).containsExactly(
                "0:{{schema:1 count:2 sum:3 z_bucket:1 z_bucket_w:0.001 buckets:[1] n_offset:-1 n_buckets:[1]}}",
                // as in Prometheus, a chunk's later histograms read back as "not a reset"
                "300000:{{schema:1 count:2 sum:3 z_bucket:1 z_bucket_w:0.001 counter_reset_hint:not_reset buckets:[1] "
                        + "n_offset:-1 n_buckets:[1]}}",
                "600000:stale");
        assertThat(got.get(Labels.of("__name__", "m"))).containsExactly(
                "0:1", "300000:{{count:2 sum:2}}", "600000:3", "900000:{{count:4 sum:4 counter_reset_hint:gauge}}");
    }

    @Test
    void everyLoadCountsFromZeroAgainAndClearEmptiesTheStore() {
        run("""
                load 1h
                  late 0+1x100

                load 1m
                  early 7
                """);
        assertThat(read(storage.tsdb(), "late").values().iterator().next()).hasSize(101).endsWith("360000000:100");
        assertThat(read(storage.tsdb(), "early")).containsValue(List.of("0:7"));
        run("clear\n");
        assertThat(read(storage.tsdb(), ".+")).isEmpty();
    }

    @Test
    void classicHistogramsAreAlsoLoadedAsNativeOnesWithCustomBuckets() {
        run("""
                load_with_nhcb 1m
                  t_bucket{job="a", le="1"} 1 2 _
                  t_bucket{job="a", le="+Inf"} 3 4.5 _
                  t_bucket{job="a", le="0.5"} 0 0 _
                  t_bucket{job="a", le="NaN"} 9 9 9
                  t_count{job="a"} 3 4.5 1
                  t_sum{job="a"} 10 20 1
                  other 1
                """);
        Map<Labels, List<String>> got = read(storage.tsdb(), "t.*|other");
        assertThat(got.get(Labels.of("__name__", "t", "job", "a"))).containsExactly(
                // integer counts keep up to two empty buckets inside the span
                "0:{{schema:-53 count:3 sum:10 custom_values:[0.5 1] offset:1 buckets:[1 2]}}",
                "60000:{{schema:-53 count:4.5 sum:20 custom_values:[0.5 1] offset:1 buckets:[2 2.5]}}",
                // only a count: everything in the overflow bucket
                "120000:{{schema:-53 count:1 sum:1 custom_values:[] buckets:[1]}}");
        // the float series stay
        assertThat(got).containsKey(Labels.of("__name__", "t_bucket", "job", "a", "le", "1"));
        assertThat(got).containsKey(Labels.of("__name__", "other"));
    }

    @Test
    void brokenClassicHistogramsAndRefusedSamplesNameTheirLine() {
        assertThatThrownBy(() -> run("""
                load_with_nhcb 1m
                  u_bucket{le="1"} 5
                  u_bucket{le="2"} 4
                """)).isInstanceOf(ScriptException.class).hasMessageContaining("not cumulative");
        storage.clear();
        assertThatThrownBy(() -> run("""
                load 1m
                  d 1

                load 1m
                  d 2
                """)).isInstanceOf(ScriptException.class).hasMessageContaining("line 5").hasMessageContaining("refused");
    }

    @Test
    void everyLoadOfTheConformanceScriptsIsStoredCompletely() {
        Path scripts = Testdata.find();
        assumeTrue(scripts != null, Testdata.missingMessage());
        int loads = 0;
        for (Path file : Testdata.scripts(scripts)) {
            Map<Labels, Integer> expected = new TreeMap<>();
            for (Script.Command c : Testdata.parse(file).commands()) {
                if (c instanceof Script.Clear) {
                    storage.clear();
                    expected.clear();
                } else if (c instanceof Load l) {
                    Loader.load(storage.tsdb(), l);
                    loads++;
                    for (Script.LoadSeries s : l.series()) {
                        expected.merge(s.labels(), (int) s.values().stream().filter(v -> !v.isGap()).count(), Integer::sum);
                    }
                    if (l.withNhcb()) {
                        Loader.nativeFromClassic(l).forEach((labels, points) -> expected.merge(labels, points.size(),
                                Integer::sum));
                    }
                    Map<Labels, Integer> stored = new TreeMap<>();
                    read(storage.tsdb(), ".*").forEach((labels, samples) -> stored.put(labels, samples.size()));
                    // a series without any sample is not a series of the store
                    expected.values().removeIf(n -> n == 0);
                    assertThat(stored).as(file.getFileName() + ":" + l.line()).isEqualTo(expected);
                }
            }
            storage.clear();
        }
        assertThat(loads).isEqualTo(310);
    }
}
