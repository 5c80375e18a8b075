package io.mantis.metrics.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.parser.Parser;
import io.mantis.metrics.promql.parser.ParserOptions;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series-at-a-time path ({@link Columns}) against the step-by-step one on the same data:
 * every range query must give the same series, the same values to the bit, the same annotations
 * and the same errors, whichever path evaluated it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ColumnsTest {

    private static final double STALE = Double.longBitsToDouble(Evaluator.STALE_NAN_BITS);
    private static final long MIN = 60_000;

    private Tsdb tsdb;

    @BeforeAll
    void load(@TempDir Path dir) throws Exception {
        TsdbOptions options = TsdbOptions.defaults()
                .withHead(new HeadOptions(1L << 50, 0, HeadOptions.defaults().maxSamplesPerChunk(), 0));
        tsdb = Tsdb.openManual(dir.resolve("tsdb"), options, null);
        Appender app = tsdb.appender();
        SplittableRandom rnd = new SplittableRandom(42);
        for (int inst = 0; inst < 6; inst++) {
            String job = inst % 2 == 0 ? "api" : "db";
            Labels req = Labels.of("__name__", "req_total", "instance", "i" + inst, "job", job);
            Labels errs = Labels.of("__name__", "err_total", "instance", "i" + inst, "job", job);
            Labels temp = Labels.of("__name__", "temp_celsius", "instance", "i" + inst, "job", job);
            double c = 1000 * inst;
            for (int i = 0; i < 240; i++) {
                // 15 s scrapes, 7 ms off the grid, with a few missed ones.
                long t = i * 15_000L + 7 + inst;
                if (rnd.nextInt(20) == 0) {
                    continue;
                }
                c = i == 100 + inst * 7 ? rnd.nextInt(5) : c + rnd.nextInt(50) + 0.25;
                app.append(0, req, t, c);
                if (i < 120 || inst % 3 != 0) {
                    app.append(0, errs, t, Math.floor(c / 97));
                }
                double g = 20 + 5 * Math.sin(i / 9.0 + inst) + (rnd.nextInt(100) == 0 ? Double.NaN : 0);
                app.append(0, temp, t, i == 77 ? Double.POSITIVE_INFINITY : g);
            }
        }
        // A series that goes stale for a while, one with a gap longer than the lookback, and
        // two that differ only by name, one after the other.
        Labels flaky = Labels.of("__name__", "flaky_total", "instance", "i0", "job", "api");
        for (int i = 0; i < 240; i++) {
            long t = i * 15_000L + 3;
            if (i >= 80 && i < 100) {
                if (i == 80) {
                    app.append(0, flaky, t, STALE);
                }
                continue;
            }
            if (i >= 150 && i < 180) {
                continue;
            }
            app.append(0, flaky, t, i * 3.0);
        }
        for (int i = 0; i < 240; i++) {
            long t = i * 15_000L + 11;
            String name = i < 120 ? "old_name_total" : "new_name_total";
            if (i == 120) {
                app.append(0, Labels.of("__name__", "old_name_total", "job", "x"), t - 1, STALE);
            }
            app.append(0, Labels.of("__name__", name, "job", "x"), t, i);
        }
        Labels up = Labels.of("__name__", "up", "instance", "i0", "job", "api");
        for (int i = 0; i < 240; i++) {
            app.append(0, up, i * 15_000L + 5, i % 17 == 0 ? 0 : 1);
        }
        Labels hist = Labels.of("__name__", "lat_seconds", "job", "api");
        for (int i = 0; i < 240; i++) {
            FloatHistogram h = new FloatHistogram();
            h.count(i * 2.0).sum(i * 0.5).zeroCount(i).schema(0).zeroThreshold(1e-128);
            app.appendHistogram(0, hist, i * 15_000L + 9, h);
        }
        app.commit();
    }

    @AfterAll
    void close() throws Exception {
        tsdb.close();
    }

    static final List<String> QUERIES = List.of(
            "rate(req_total[5m])",
            "rate(req_total[1m])",
            "temp_celsius",
            "flaky_total offset 1m",
            "{__name__=~\".+_name_total\"}",
            "timestamp(temp_celsius)",
            "increase(req_total[5m] offset 3m)",
            "delta(temp_celsius[10m])",
            "irate(req_total[2m])",
            "idelta(temp_celsius[2m])",
            "deriv(temp_celsius[5m])",
            "rate(up[5m])",
            "rate({__name__=~\"req_total|err_total\"}[5m])",
            "rate({__name__=~\".+_name_total\"}[5m])",
            "rate({__name__=~\".+_name_total\"}[1m])",
            "rate(flaky_total[2m])",
            "sum_over_time(temp_celsius[5m])",
            "avg_over_time(temp_celsius[5m])",
            "count_over_time(flaky_total[5m])",
            "present_over_time(err_total[3m])",
            "last_over_time(flaky_total[1m])",
            "max_over_time(temp_celsius[7m])",
            "min_over_time(temp_celsius[7m])",
            "stddev_over_time(temp_celsius[5m])",
            "stdvar_over_time(req_total[5m])",
            "resets(req_total[20m])",
            "changes(up[10m])",
            "sum(rate(req_total[5m]))",
            "sum by (job) (rate(req_total[5m]))",
            "sum without (instance) (rate(req_total[5m]))",
            "avg by (job) (temp_celsius)",
            "min by (job) (temp_celsius)",
            "max without (instance) (temp_celsius offset 2m)",
            "count by (job) (err_total)",
            "group by (job) (rate(err_total[5m]))",
            "stddev(rate(req_total[5m]))",
            "stdvar by (job) (temp_celsius)",
            "count(flaky_total)",
            "sum(sum by (job, instance) (rate(req_total[5m])))",
            "1 - avg by (instance) (rate(req_total[5m]))",
            "rate(req_total[5m]) * 60",
            "2 ^ rate(req_total[5m])",
            "temp_celsius % 3",
            "atan2(temp_celsius, 10)",
            "temp_celsius > 22",
            "22 < temp_celsius",
            "temp_celsius > bool 22",
            "rate(req_total[5m]) >= 0.5",
            "(sum by (job) (rate(req_total[5m]))) / 2",
            "topk(2, rate(req_total[5m]))",
            "histogram_quantile(0.9, sum by (le) (rate(req_total[5m])))",
            "rate(req_total[5m]) / on (instance) group_left rate(err_total[5m])",
            "timestamp(rate(req_total[5m]))",
            "sum(rate(lat_seconds[5m]))",
            "rate(lat_seconds[5m]) + rate(req_total[5m])",
            "sum(rate(req_total[5m])) + sum(rate(lat_seconds[5m]))",
            "max_over_time(rate(req_total[5m])[10m:1m])",
            "avg_over_time(temp_celsius[15m:2m] offset 1m)",
            "rate(req_total[10m:30s])",
            "rate(up[10m:30s])",
            "sum(max_over_time(rate(req_total[1m])[5m:]))",
            "min_over_time(sum by (job) (rate(req_total[5m]))[20m:45s])",
            "max_over_time(max_over_time(temp_celsius[2m:15s])[10m:1m])",
            "count_over_time(rate({__name__=~\".+_name_total\"}[1m])[10m:1m])",
            "last_over_time((temp_celsius > 22)[5m:1m])",
            "quantile_over_time(0.5, rate(req_total[5m])[10m:1m])",
            "max_over_time(rate(lat_seconds[5m])[10m:1m])",
            "label_replace(rate(req_total[5m]), \"x\", \"$1\", \"instance\", \"i(.*)\")",
            "sum(rate(req_total[5m])) by (job) > 1");

    @TestFactory
    Stream<DynamicTest> seriesAtATimeAgreesWithStepByStep() {
        QueryEngine columns = new StepwiseEngine(tsdb, QueryEngine.Options.DEFAULTS, true);
        QueryEngine stepwise = new StepwiseEngine(tsdb, QueryEngine.Options.DEFAULTS, false);
        long[][] ranges = {{0, 60 * MIN, 30_000}, {5 * MIN + 1, 50 * MIN, 45_000}, {30 * MIN, 31 * MIN, 60_000},
            {-10 * MIN, 70 * MIN, 17_000}};
        return QUERIES.stream().flatMap(q -> Stream.of(ranges).map(r -> DynamicTest.dynamicTest(
                q + " @ " + r[0] + ".." + r[1] + "/" + r[2], () -> {
                    QueryResult want = stepwise.range(q, r[0], r[1], r[2]);
                    QueryResult got = columns.range(q, r[0], r[1], r[2]);
                    assertSame(q, got, want);
                })));
    }

    private static void assertSame(String q, QueryResult got, QueryResult want) {
        assertThat(got.failed()).as("%s failed: %s", q, got.error()).isEqualTo(want.failed());
        if (want.failed()) {
            assertThat(got.error()).isEqualTo(want.error());
            return;
        }
        assertThat(got.annotations()).isEqualTo(want.annotations());
        List<Series> g = ((Matrix) got.value()).series();
        List<Series> w = ((Matrix) want.value()).series();
        assertThat(g).extracting(Series::metric).containsExactlyElementsOf(w.stream().map(Series::metric).toList());
        for (int i = 0; i < w.size(); i++) {
            Series a = g.get(i);
            Series b = w.get(i);
            assertThat(a.floatCount()).as("%s points", b.metric()).isEqualTo(b.floatCount());
            assertThat(a.histogramCount()).isEqualTo(b.histogramCount());
            for (int k = 0; k < b.floatCount(); k++) {
                assertThat(a.floatTimestamp(k)).isEqualTo(b.floatTimestamp(k));
                assertThat(Double.doubleToLongBits(a.floatValue(k))).as("%s at %d: %s vs %s", b.metric(),
                        b.floatTimestamp(k), a.floatValue(k), b.floatValue(k))
                        .isEqualTo(Double.doubleToLongBits(b.floatValue(k)));
            }
        }
    }

    @Test
    void takesTheSeriesPathForFloatSubtreesOnly() throws Exception {
        assertThat(roots("sum by (job) (rate(req_total[5m]))")).containsExactly("sum by (job) (rate(req_total[5m]))");
        assertThat(roots("histogram_quantile(0.9, sum by (le) (rate(req_total[5m])))"))
                .containsExactly("sum by (le) (rate(req_total[5m]))");
        assertThat(roots("rate(req_total[5m]) / on (instance) group_left rate(err_total[5m])"))
                .containsExactlyInAnyOrder("rate(req_total[5m])", "rate(err_total[5m])");
        // A bare selector is the answer itself, below other nodes it gains nothing; native
        // histograms, subqueries and @ stay step by step.
        assertThat(roots("temp_celsius")).containsExactly("temp_celsius");
        assertThat(roots("timestamp(temp_celsius)")).isEmpty();
        assertThat(roots("sum(rate(lat_seconds[5m]))")).isEmpty();
        assertThat(roots("max_over_time(rate(req_total[5m])[10m:1m])"))
                .containsExactly("max_over_time(rate(req_total[5m])[10m:1m])");
        assertThat(roots("quantile_over_time(0.5, rate(req_total[5m])[10m:1m]) + sum(rate(req_total[5m]))")).isEmpty();
        assertThat(roots("rate(req_total[5m] @ 600)")).isEmpty();
    }

    private List<String> roots(String q) throws Exception {
        Evaluator ev = new Evaluator(tsdb, QueryEngine.Options.DEFAULTS, q, 10 * MIN, 20 * MIN, 60_000);
        ev.run(Parser.parse(q, ParserOptions.DEFAULT), true);
        Columns c = ev.columns();
        return c == null ? List.of() : c.roots().stream().map(Object::toString).toList();
    }
}
