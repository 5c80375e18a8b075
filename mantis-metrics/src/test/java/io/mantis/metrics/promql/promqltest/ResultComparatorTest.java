package io.mantis.metrics.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import io.mantis.metrics.promql.promqltest.Script.Eval;
import io.mantis.metrics.promql.value.Annotations;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryError;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.StringValue;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.SeriesSink;
import org.junit.jupiter.api.Test;

/** Hand-made expectations against hand-made results, including the failures that must be caught. */
class ResultComparatorTest {

    private static final Labels A = Labels.of("__name__", "m", "x", "a");
    private static final Labels B = Labels.of("__name__", "m", "x", "b");

    private static Eval eval(String text) {
        return (Eval) ScriptParser.parse("t.test", text).commands().get(0);
    }

    private static FloatHistogram hist(String literal) {
        return SeriesDescription.parseValues(literal).get(0).histogram();
    }

    // ------------------------------------------------------------------ numbers

    @Test
    void floatsAreEqualWithinARelativeMillionth() {
        assertThat(ResultComparator.floatEquals(1, 1)).isTrue();
        assertThat(ResultComparator.floatEquals(1_000_000, 1_000_000.9)).isTrue();
        assertThat(ResultComparator.floatEquals(1_000_000, 1_000_003)).isFalse();
        assertThat(ResultComparator.floatEquals(1e-300, 1.0000001e-300)).isTrue();
        assertThat(ResultComparator.floatEquals(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isTrue();
        assertThat(ResultComparator.floatEquals(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)).isFalse();
        assertThat(ResultComparator.floatEquals(Double.POSITIVE_INFINITY, Double.MAX_VALUE)).isFalse();
        // zero needs an exact zero (or a difference far below any normal number)
        assertThat(ResultComparator.floatEquals(0, 1e-300)).isFalse();
        assertThat(ResultComparator.floatEquals(0, -0.0)).isTrue();
        assertThat(ResultComparator.floatEquals(0, Double.MIN_VALUE)).isTrue();
        // NaN equals NaN, but the staleness marker only itself
        assertThat(ResultComparator.floatEquals(Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L))).isTrue();
        assertThat(ResultComparator.floatEquals(Double.NaN, SeriesSink.STALE_NAN)).isFalse();
        assertThat(ResultComparator.floatEquals(SeriesSink.STALE_NAN, Double.NaN)).isFalse();
        assertThat(ResultComparator.floatEquals(SeriesSink.STALE_NAN, SeriesSink.STALE_NAN)).isTrue();
        assertThat(ResultComparator.floatEquals(1, Double.NaN)).isFalse();
    }

    @Test
    void histogramsAreComparedAfterCompactionWithTheHintOnlyWhenWritten() {
        FloatHistogram e = hist("{{schema:1 count:3 sum:2 buckets:[1 2]}}");
        FloatHistogram spread = hist("{{schema:1 count:3 sum:2 buckets:[0 1 2 0] offset:-1}}");
        assertThat(ResultComparator.histogramEquals(e, spread, false)).isTrue();
        assertThat(ResultComparator.histogramEquals(e, hist("{{schema:1 count:3.0000001 sum:2 buckets:[1 2]}}"), false))
                .isTrue();
        assertThat(ResultComparator.histogramEquals(e, hist("{{schema:1 count:3 sum:2 buckets:[1 2.1]}}"), false)).isFalse();
        assertThat(ResultComparator.histogramEquals(e, hist("{{schema:1 count:3 sum:2 buckets:[1 2] offset:1}}"), false))
                .isFalse();
        assertThat(ResultComparator.histogramEquals(e, hist("{{schema:0 count:3 sum:2 buckets:[1 2]}}"), false)).isFalse();
        assertThat(ResultComparator.histogramEquals(e, hist("{{schema:1 count:3 sum:2 buckets:[1 2] n_buckets:[1]}}"), false))
                .isFalse();
        assertThat(ResultComparator.histogramEquals(e, hist("{{schema:1 count:3 sum:2 z_bucket_w:0.1 buckets:[1 2]}}"), false))
                .isFalse();
        FloatHistogram gauge = e.copy().counterResetHint(CounterResetHint.GAUGE);
        assertThat(ResultComparator.histogramEquals(e, gauge, false)).isTrue();
        assertThat(ResultComparator.histogramEquals(e, gauge, true)).isFalse();
        assertThat(ResultComparator.histogramEquals(hist("{{schema:-53 custom_values:[1 2] buckets:[1]}}"),
                hist("{{schema:-53 custom_values:[1 3] buckets:[1]}}"), false)).isFalse();
    }

    // ------------------------------------------------------------------ vectors

    @Test
    void instantVectorsMatchInAnyOrderUnlessOrdered() {
        Eval unordered = eval("eval instant at 1m m\n  m{x=\"a\"} 1\n  m{x=\"b\"} 2");
        Vector ba = Vector.of(Sample.ofFloat(B, 60_000, 2), Sample.ofFloat(A, 60_000, 1));
        assertThat(ResultComparator.compare(unordered, ba)).isNull();
        Eval ordered = eval("eval instant at 1m sort(m)\n  expect ordered\n  m{x=\"a\"} 1\n  m{x=\"b\"} 2");
        assertThat(ResultComparator.compare(ordered, ba)).contains("at position 2 but was at 1");
        assertThat(ResultComparator.compare(ordered, Vector.of(Sample.ofFloat(A, 0, 1), Sample.ofFloat(B, 0, 2))))
                .isNull();
    }

    @Test
    void vectorMismatchesAreReported() {
        Eval ev = eval("eval instant at 1m m\n  m{x=\"a\"} 1");
        assertThat(ResultComparator.compare(ev, Vector.of(Sample.ofFloat(A, 0, 1.1)))).contains("expected 1 for");
        assertThat(ResultComparator.compare(ev, Vector.EMPTY)).contains("not found");
        assertThat(ResultComparator.compare(ev, Vector.of(Sample.ofFloat(A, 0, 1), Sample.ofFloat(B, 0, 1))))
                .contains("unexpected metric");
        // the name is part of the label set
        assertThat(ResultComparator.compare(ev, Vector.of(Sample.ofFloat(Labels.of("x", "a"), 0, 1))))
                .contains("unexpected metric");
        assertThat(ResultComparator.compare(ev, Vector.of(Sample.ofHistogram(A, 0, new FloatHistogram()))))
                .contains("but got histogram");
        Eval h = eval("eval instant at 1m m\n  m{x=\"a\"} {{count:1}}");
        assertThat(ResultComparator.compare(h, Vector.of(Sample.ofFloat(A, 0, 0)))).contains("but got float");
        assertThat(ResultComparator.compare(h, Vector.of(Sample.ofHistogram(A, 0, hist("{{count:1}}"))))).isNull();
        assertThat(ResultComparator.compare(h, Vector.of(Sample.ofHistogram(A, 0, hist("{{count:2}}")))))
                .contains("expected {{count:1}}");
        assertThat(ResultComparator.compare(ev, Vector.of(Sample.ofFloat(A, 0, 1), Sample.ofFloat(A, 0, 1))))
                .contains("twice");
    }

    @Test
    void emptyExpectationMeansEmptyResult() {
        Eval ev = eval("eval instant at 1m m");
        assertThat(ResultComparator.compare(ev, Vector.EMPTY)).isNull();
        assertThat(ResultComparator.compare(ev, Matrix.EMPTY)).isNull();
        assertThat(ResultComparator.compare(ev, Vector.of(Sample.ofFloat(A, 0, 1)))).contains("unexpected metric");
    }

    // ------------------------------------------------------------------ matrices

    @Test
    void rangeResultsArePointsAtEachStepWithGapsAndNothingAfterTheLastValue() {
        Eval ev = eval("eval range from 0 to 4m step 1m m\n  m{x=\"a\"} 1 _ 3\n  m{x=\"b\"} {{count:1}} 2");
        Series a = Series.ofFloats(A, new long[] {0, 120_000}, new double[] {1, 3});
        Series b = new Series(B, new long[] {60_000}, new double[] {2}, 1, new long[] {0},
                new FloatHistogram[] {hist("{{count:1}}")}, 1);
        assertThat(ResultComparator.compare(ev, Matrix.of(a, b))).isNull();
        // one point too many (the step after the last listed value must be empty)
        Series a3 = Series.ofFloats(A, new long[] {0, 120_000, 180_000}, new double[] {1, 3, 3});
        assertThat(ResultComparator.compare(ev, Matrix.of(a3, b))).contains("expected 2 float points and 0 histogram points");
        // right count, wrong time
        Series shifted = Series.ofFloats(A, new long[] {0, 60_000}, new double[] {1, 3});
        assertThat(ResultComparator.compare(ev, Matrix.of(shifted, b))).contains("to have timestamp 120000");
        Series wrong = Series.ofFloats(A, new long[] {0, 120_000}, new double[] {1, 4});
        assertThat(ResultComparator.compare(ev, Matrix.of(wrong, b))).contains("to be 3, but got 4");
        // not sorted by labels
        assertThat(ResultComparator.compare(ev, Matrix.of(b, a))).contains("not sorted");
        assertThat(ResultComparator.compare(ev, Matrix.of(a))).contains("expected metric").contains("not found");
    }

    @Test
    void tooManyExpectedValuesForTheRangeIsAnError() {
        Eval ev = eval("eval range from 0 to 1m step 1m m\n  m{x=\"a\"} 1 2 3");
        assertThat(ResultComparator.compare(ev, Matrix.of(Series.ofFloats(A, new long[] {0, 60_000}, new double[] {1, 2}))))
                .contains("cannot return this many points");
    }

    @Test
    void instantQueriesReturningMatricesNeedAnExpectedRangeVector() {
        Series s = Series.ofFloats(A, new long[] {30_000, 60_000}, new double[] {1, 2});
        Eval plain = eval("eval instant at 1m m[1m]\n  m{x=\"a\"} 2");
        assertThat(ResultComparator.compare(plain, Matrix.of(s))).contains("cannot return this many points");
        Eval withRange = eval("eval instant at 1m m[1m]\n  expect range vector from 0 to 1m step 30s\n  m{x=\"a\"} _ 1 2");
        assertThat(ResultComparator.compare(withRange, Matrix.of(s))).isNull();
        assertThat(ResultComparator.compare(withRange, Vector.of(Sample.ofFloat(A, 60_000, 2))))
                .contains("expected no value");
        Eval ordered = eval("eval instant at 1m m[1m]\n  expect ordered");
        assertThat(ResultComparator.compare(ordered, Matrix.EMPTY)).contains("ordered");
    }

    // ------------------------------------------------------------------ scalars and strings

    @Test
    void scalarsAndStringsMustHaveTheirType() {
        Eval scalar = eval("eval instant at 0 1 + 1\n  2");
        assertThat(ResultComparator.compare(scalar, new Scalar(0, 2))).isNull();
        assertThat(ResultComparator.compare(scalar, new Scalar(0, 2.5))).contains("expected scalar 2 but got 2.5");
        assertThat(ResultComparator.compare(scalar, Vector.of(Sample.ofFloat(Labels.empty(), 0, 2))))
                .contains("expected scalar result");
        assertThat(ResultComparator.compare(eval("eval instant at 0 vector(1)\n  {} 1"), new Scalar(0, 1)))
                .contains("expected vector or matrix result, but got scalar");
        Eval string = eval("eval instant at 0 \"x\"\n  expect string \"x\"");
        assertThat(ResultComparator.compare(string, new StringValue(0, "x"))).isNull();
        assertThat(ResultComparator.compare(string, new StringValue(0, "y"))).contains("expected string \"x\"");
        assertThat(ResultComparator.compare(string, Vector.EMPTY)).contains("expected string result");
        assertThat(ResultComparator.compare(eval("eval instant at 0 x"), new StringValue(0, ""))).contains("got string");
    }

    // ------------------------------------------------------------------ annotations and failures

    @Test
    void annotationsAreCheckedOnlyWhenTheEvalSaysSomethingAboutThem() {
        Annotations w = Annotations.ofWarnings("PromQL warning: boom (1:1)");
        assertThat(ResultComparator.checkAnnotations(eval("eval instant at 0 x"), w, true)).isNull();
        assertThat(ResultComparator.checkAnnotations(eval("eval instant at 0 x\n expect no_warn"), w, true))
                .contains("unexpected warning");
        assertThat(ResultComparator.checkAnnotations(eval("eval instant at 0 x\n expect no_info"), w, true)).isNull();
        assertThat(ResultComparator.checkAnnotations(eval("eval_warn instant at 0 x"), Annotations.EMPTY, true))
                .contains("expected warnings");
        assertThat(ResultComparator.checkAnnotations(eval("eval_info instant at 0 x"), w, true))
                .contains("expected info");
        Eval msg = eval("eval instant at 0 x\n expect warn msg: PromQL warning: boom (1:1)");
        assertThat(ResultComparator.checkAnnotations(msg, w, true)).isNull();
        assertThat(ResultComparator.checkAnnotations(msg, Annotations.ofWarnings("PromQL warning: boom (1:2)"), true))
                .contains("no matching annotation");
        assertThat(ResultComparator.checkAnnotations(msg, Annotations.ofWarnings("PromQL warning: boom (1:2)"), false))
                .isNull();
        // every actual warning must be expected by some line
        assertThat(ResultComparator.checkAnnotations(msg, Annotations.ofWarnings("PromQL warning: boom (1:1)", "other"),
                true)).contains("unexpected warn annotation \"other\"");
        assertThat(ResultComparator.checkAnnotations(eval("eval instant at 0 x\n expect info"), Annotations.EMPTY, true))
                .contains("expected info annotations but none");
        Eval regex = eval("eval instant at 0 x\n expect info regex: ^PromQL info: .*\\(\\d+:\\d+\\)$");
        assertThat(ResultComparator.checkAnnotations(regex, Annotations.ofInfos("PromQL info: i (1:5)"), true)).isNull();
        assertThat(ResultComparator.checkAnnotations(regex, Annotations.ofInfos("PromQL info: i"), true))
                .contains("no matching");
    }

    @Test
    void expectedFailuresMatchTheirTextButNeverAParseError() {
        Eval msg = eval("eval instant at 0 x\n expect fail msg: vector cannot contain metrics with the same labelset");
        QueryError same = new QueryError(ErrorType.EXECUTION, "vector cannot contain metrics with the same labelset");
        assertThat(ResultComparator.checkExpectedFailure(msg, same, true)).isNull();
        QueryError other = new QueryError(ErrorType.EXECUTION, "something else");
        assertThat(ResultComparator.checkExpectedFailure(msg, other, true)).contains("expected error matching message");
        assertThat(ResultComparator.checkExpectedFailure(msg, other, false)).isNull();
        Eval any = eval("eval instant at 0 x\n expect fail");
        assertThat(ResultComparator.checkExpectedFailure(any, other, true)).isNull();
        assertThat(ResultComparator.checkExpectedFailure(any,
                new QueryError(ErrorType.BAD_DATA, "1:3: parse error: unexpected end of input"), true))
                .contains("unparsable");
        // other bad_data (e.g. a duration expression that comes out negative) is a legitimate failure
        assertThat(ResultComparator.checkExpectedFailure(any, new QueryError(ErrorType.BAD_DATA, "negative range"), true))
                .isNull();
        Eval regex = eval("eval instant at 0 x\n expect fail regex: same labelset$");
        assertThat(ResultComparator.checkExpectedFailure(regex, same, true)).isNull();
    }
}
