package io.mantis.metrics.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.mantis.metrics.promql.QueryEngine;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Tsdb;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.metrics.tsdb.head.HeadOptions;
import io.mantis.otlp.prometheus.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepwiseEngineTest {

    private static final double STALE = Double.longBitsToDouble(Evaluator.STALE_NAN_BITS);

    @TempDir
    Path dir;

    private Tsdb tsdb;

    @BeforeEach
    void open() throws Exception {
        TsdbOptions options = TsdbOptions.defaults()
                .withHead(new HeadOptions(1L << 50, 0, HeadOptions.defaults().maxSamplesPerChunk(), 0));
        tsdb = Tsdb.openManual(dir.resolve("tsdb"), options, null);
        Appender app = tsdb.appender();
        for (int i = 0; i <= 10; i++) {
            long t = i * 60_000L;
            app.append(0, Labels.of("__name__", "req_total", "job", "a"), t, i * 10);
            app.append(0, Labels.of("__name__", "req_total", "job", "b"), t, i * 20);
        }
        app.append(0, Labels.of("__name__", "gone", "job", "a"), 0, 1);
        app.append(0, Labels.of("__name__", "gone", "job", "a"), 60_000, STALE);
        app.commit();
    }

    @AfterEach
    void close() throws Exception {
        tsdb.close();
    }

    private QueryEngine engine(QueryEngine.Options options) {
        return new StepwiseEngineFactory().create(tsdb, options);
    }

    @Test
    void isFoundAsAService() {
        assertThat(ServiceLoader.load(QueryEngine.Factory.class).stream().map(ServiceLoader.Provider::type))
                .contains(StepwiseEngineFactory.class);
    }

    @Test
    void instantSelectorLooksBackAndStopsAtStaleness() {
        QueryEngine e = engine(QueryEngine.Options.DEFAULTS);
        Vector v = (Vector) e.instant("req_total{job=\"a\"}", 150_000).value();
        assertThat(v.samples()).singleElement().satisfies(s -> {
            assertThat(s.v()).isEqualTo(20);
            assertThat(s.t()).isEqualTo(150_000);
        });
        assertThat(((Vector) e.instant("gone", 30_000).value()).samples()).hasSize(1);
        assertThat(((Vector) e.instant("gone", 90_000).value()).samples()).isEmpty();
    }

    @Test
    void aggregatesRatesAndMatchesVectors() {
        QueryEngine e = engine(QueryEngine.Options.DEFAULTS);
        Vector sum = (Vector) e.instant("sum by (job) (rate(req_total[5m]))", 600_000).value();
        assertThat(sum.samples()).extracting(s -> s.metric().get("job") + "=" + s.v())
                .containsExactlyInAnyOrder("a=" + (10 / 60.0), "b=" + (20 / 60.0));
        Vector ratio = (Vector) e.instant("req_total{job=\"b\"} / ignoring(job) req_total{job=\"a\"}", 600_000)
                .value();
        assertThat(ratio.samples()).singleElement().satisfies(s -> {
            assertThat(s.v()).isEqualTo(2);
            assertThat(s.metric().metricName()).isNull();
        });
    }

    @Test
    void rangeQueryGivesOneSeriesPerLabelSet() {
        QueryResult r = engine(QueryEngine.Options.DEFAULTS).range("req_total * 2", 0, 120_000, 60_000);
        Matrix m = (Matrix) r.value();
        assertThat(m.series()).hasSize(2);
        assertThat(m.get(0).metric()).isEqualTo(Labels.of("job", "a"));
        assertThat(m.get(0).floatCount()).isEqualTo(3);
        assertThat(m.get(0).floatValue(2)).isEqualTo(40);
        Matrix time = (Matrix) engine(QueryEngine.Options.DEFAULTS).range("time()", 0, 120_000, 60_000).value();
        assertThat(time.get(0).metric().isEmpty()).isTrue();
        assertThat(time.get(0).floatValue(1)).isEqualTo(60);
    }

    @Test
    void subqueryStepsAreAlignedToTheStep() {
        QueryResult r = engine(QueryEngine.Options.DEFAULTS).instant("count_over_time(req_total{job=\"a\"}[5m:2m])",
                600_000);
        // Steps at 6m, 8m and 10m lie in (5m, 10m].
        assertThat(((Vector) r.value()).samples()).singleElement().satisfies(s -> assertThat(s.v()).isEqualTo(3));
    }

    @Test
    void tooManySamplesIsAnExecutionError() {
        QueryResult r = engine(QueryEngine.Options.DEFAULTS.withMaxSamples(5)).instant("req_total[10m]", 600_000);
        assertThat(r.failed()).isTrue();
        assertThat(r.error().type()).isEqualTo(ErrorType.EXECUTION);
        assertThat(r.error().message())
                .isEqualTo("query processing would load too many samples into memory in query execution");
    }

    @Test
    void timeoutIsReported() {
        QueryResult r = engine(QueryEngine.Options.DEFAULTS.withTimeout(Duration.ofNanos(1)))
                .instant("sum(req_total)", 600_000);
        assertThat(r.failed()).isTrue();
        assertThat(r.error().type()).isEqualTo(ErrorType.TIMEOUT);
    }

    @Test
    void badQueriesAreBadData() {
        QueryEngine e = engine(QueryEngine.Options.DEFAULTS);
        assertThat(e.instant("sum(", 0).error().type()).isEqualTo(ErrorType.BAD_DATA);
        QueryResult r = e.range("req_total[5m]", 0, 60_000, 60_000);
        assertThat(r.error().type()).isEqualTo(ErrorType.BAD_DATA);
        assertThat(r.error().message()).contains("range vector");
    }

    @Test
    void duplicateMatchIsAManyToManyError() {
        QueryResult r = engine(QueryEngine.Options.DEFAULTS).instant("vector(1) + on() req_total", 600_000);
        assertThat(r.error().message()).startsWith("found duplicate series for the match group {} on the right");
    }

    @Test
    void manyToManyErrorNamesThePairInLabelOrder() {
        // sort_desc meets job="b" before job="a"; the message names them in label order all the same.
        for (String rhs : new String[] {"req_total", "sort_desc(req_total)"}) {
            QueryResult r = engine(QueryEngine.Options.DEFAULTS).instant("vector(1) + on() " + rhs, 600_000);
            assertThat(r.error().message()).as(rhs).isEqualTo("found duplicate series for the match group {} on the"
                    + " right hand-side of the operation: [{__name__=\"req_total\", job=\"a\"}, {__name__=\"req_total\","
                    + " job=\"b\"}];many-to-many matching not allowed: matching labels must be unique on one side");
        }
    }

    @Test
    void predictLinearOverAPinnedWindowExtrapolatesFromEachStep() {
        // req_total{job="a"} grows by 10 a minute: the line through the window pinned at 5m
        // predicts 10 more per minute of step time, plus the 60 s asked for.
        QueryResult r = engine(QueryEngine.Options.DEFAULTS)
                .range("predict_linear(req_total{job=\"a\"}[5m] @ 300, 60)", 300_000, 420_000, 60_000);
        Matrix m = (Matrix) r.value();
        assertThat(m.series()).hasSize(1);
        Series s = m.series().get(0);
        assertThat(s.floatCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(s.floatValue(i)).isCloseTo(60.0 + 10 * i, offset(1e-9));
        }
    }

    @Test
    void labelReplaceTakesGoNamedGroups() {
        QueryResult r = engine(QueryEngine.Options.DEFAULTS).instant(
                "label_replace(req_total{job=\"a\"}, \"x\", \"${j}-$1\", \"job\", \"(?P<j>[a-z])\")", 600_000);
        assertThat(r.failed()).as("%s", r).isFalse();
        assertThat(((Vector) r.value()).samples().get(0).metric().get("x")).isEqualTo("a-a");
    }

    @Test
    void labelReplaceTakesPosixClasses() {
        QueryResult r = engine(QueryEngine.Options.DEFAULTS).instant(
                "label_replace(req_total, \"x\", \"$1\", \"job\", \"([[:alpha:]])\")", 600_000);
        assertThat(((Vector) r.value()).samples()).extracting(s -> s.metric().get("x")).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void labelReplaceCapturesAsGoDoes() {
        // A lazy group, an RE2-only refusal and a name Java's own group syntax would not take.
        QueryResult r = engine(QueryEngine.Options.DEFAULTS).instant(
                "label_replace(req_total{job=\"a\"}, \"x\", \"${first_part}|$2\", \"__name__\", \"(?P<first_part>.*?)(_.*)\")",
                600_000);
        assertThat(((Vector) r.value()).samples().get(0).metric().get("x")).isEqualTo("req|_total");
        QueryResult bad = engine(QueryEngine.Options.DEFAULTS).instant(
                "label_replace(req_total, \"x\", \"$1\", \"job\", \"(a)\\\\1\")", 600_000);
        assertThat(bad.error().type()).isEqualTo(ErrorType.EXECUTION);
        assertThat(bad.error().message()).startsWith("invalid regular expression in label_replace()");
    }

    @Test
    void scalarResults() {
        assertThat(engine(QueryEngine.Options.DEFAULTS).instant("2 ^ 3 % 5", 1000).value())
                .isEqualTo(new Scalar(1000, 3));
    }
}
