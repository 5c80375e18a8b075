package io.mantis.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.promql.value.Annotations;
import io.mantis.metrics.promql.value.ErrorType;
import io.mantis.metrics.promql.value.Matrix;
import io.mantis.metrics.promql.value.QueryResult;
import io.mantis.metrics.promql.value.Sample;
import io.mantis.metrics.promql.value.Scalar;
import io.mantis.metrics.promql.value.Series;
import io.mantis.metrics.promql.value.StringValue;
import io.mantis.metrics.promql.value.Vector;
import io.mantis.otlp.prometheus.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected documents are Prometheus' own (its JSON codec tests and API docs) where they exist. */
class QueryResultJsonTest {

    private static final Labels FOO = Labels.of("__name__", "foo");

    private static String json(QueryResult r) {
        return new String(QueryResultJson.encode(r), StandardCharsets.UTF_8);
    }

    private static String scalarData(long t, double v) {
        String doc = json(QueryResult.of(new Scalar(t, v)));
        String prefix = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":";
        assertThat(doc).startsWith(prefix).endsWith("}}");
        return doc.substring(prefix.length(), doc.length() - 2);
    }

    @Test
    void scalarPointsWriteSecondsWithThreeDecimalsAndValuesAsGoStrings() {
        assertThat(scalarData(0, 0)).isEqualTo("[0,\"0\"]");
        assertThat(scalarData(1, 20)).isEqualTo("[0.001,\"20\"]");
        assertThat(scalarData(10, 20)).isEqualTo("[0.010,\"20\"]");
        assertThat(scalarData(100, 20)).isEqualTo("[0.100,\"20\"]");
        assertThat(scalarData(1001, 20)).isEqualTo("[1.001,\"20\"]");
        assertThat(scalarData(1010, 20)).isEqualTo("[1.010,\"20\"]");
        assertThat(scalarData(1100, 20)).isEqualTo("[1.100,\"20\"]");
        assertThat(scalarData(12345678123456555L, 20)).isEqualTo("[12345678123456.555,\"20\"]");
        assertThat(scalarData(-1, 20)).isEqualTo("[-0.001,\"20\"]");
        assertThat(scalarData(0, Double.NaN)).isEqualTo("[0,\"NaN\"]");
        assertThat(scalarData(0, Double.POSITIVE_INFINITY)).isEqualTo("[0,\"+Inf\"]");
        assertThat(scalarData(0, Double.NEGATIVE_INFINITY)).isEqualTo("[0,\"-Inf\"]");
        assertThat(scalarData(0, 1.2345678e6)).isEqualTo("[0,\"1234567.8\"]");
        assertThat(scalarData(0, 1.2345678e-6)).isEqualTo("[0,\"0.0000012345678\"]");
        assertThat(scalarData(0, 1.2345678e-67)).isEqualTo("[0,\"1.2345678e-67\"]");
    }

    @Test
    void matrixOfFloats() {
        Matrix m = Matrix.of(Series.ofFloats(FOO, new long[] {1000}, new double[] {1}));
        assertThat(json(QueryResult.of(m))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                        + "[{\"metric\":{\"__name__\":\"foo\"},\"values\":[[1,\"1\"]]}]}}");
    }

    @Test
    void matrixOfHistogramsListsBucketsFromLowestToHighestWithBoundaryRules() {
        // Prometheus' JSON codec test: schema 2, zero bucket 12 wide 0.001, two negative and five
        // positive buckets in two spans.
        FloatHistogram h = new FloatHistogram().schema(2).zeroThreshold(0.001).zeroCount(12).count(10).sum(20);
        h.positive().addSpan(3, 2).addSpan(1, 3);
        for (double c : new double[] {1, 2, 2, 1, 1}) {
            h.positive().addCount(c);
        }
        h.negative().addSpan(2, 2).addCount(2).addCount(1);
        Matrix m = Matrix.of(Series.ofHistograms(FOO, new long[] {1000}, new FloatHistogram[] {h}));
        assertThat(json(QueryResult.of(m))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"foo\"},"
                        + "\"histograms\":[[1,{\"count\":\"10\",\"sum\":\"20\",\"buckets\":["
                        + "[1,\"-1.6817928305074288\",\"-1.414213562373095\",\"1\"],"
                        + "[1,\"-1.414213562373095\",\"-1.189207115002721\",\"2\"],"
                        + "[3,\"-0.001\",\"0.001\",\"12\"],"
                        + "[0,\"1.414213562373095\",\"1.6817928305074288\",\"1\"],"
                        + "[0,\"1.6817928305074288\",\"2\",\"2\"],"
                        + "[0,\"2.378414230005442\",\"2.82842712474619\",\"2\"],"
                        + "[0,\"2.82842712474619\",\"3.3635856610148576\",\"1\"],"
                        + "[0,\"3.3635856610148576\",\"4\",\"1\"]]}]]}]}}");
    }

    @Test
    void seriesWithFloatsAndHistogramsWritesBothArrays() {
        FloatHistogram h = new FloatHistogram().count(0).sum(0);
        Series s = new Series(FOO, new long[] {1000, 2000, 0}, new double[] {1, 2, 0}, 2,
                new long[] {3000}, new FloatHistogram[] {h}, 1);
        assertThat(json(QueryResult.of(Matrix.of(s)))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"foo\"},"
                        + "\"values\":[[1,\"1\"],[2,\"2\"]],\"histograms\":[[3,{\"count\":\"0\",\"sum\":\"0\"}]]}]}}");
    }

    @Test
    void labelsAndValuesAreWrittenAsTheGeneratorWritesThem() throws Exception {
        // Encoding to bytes writes plain ASCII label strings and whole numbers itself; everything
        // must come out exactly as the generator (which a character stream gets) writes it.
        String[] tricky = {"plain", "q\"uote", "back\\slash", "new\nline", "tab\t", "\u0001ctl", "\b\f",
            "<&>", "caf\u00e9", "emoji \uD83D\uDE00", "sep\u2028\u2029", "del\u007f", ""};
        List<Sample> samples = new java.util.ArrayList<>();
        List<Series> series = new java.util.ArrayList<>();
        for (int i = 0; i < tricky.length; i++) {
            Labels l = Labels.of("__name__", "m", "k" + i, tricky[i], tricky[i].isEmpty() ? "x" : tricky[i], "v");
            double[] values = {-0.0, 0, -7, 999_999_999_999_999.0, 1e15, -1e15 + 1, 42, i + 0.25, 1e-9, Double.NaN};
            long[] times = {1000L * i, -1500, 1435781451781L, 7, -3, 9_000_000_000_000_000_001L, 100_000_000_000L, 60_010};
            samples.add(Sample.ofFloat(l, times[i % times.length], values[i % values.length]));
            long t0 = times[i % times.length];
            series.add(new Series(l, new long[] {t0, t0 + 1 + i * 7},
                    new double[] {values[i % values.length], values[(i + 3) % values.length]},
                    2, new long[0], new FloatHistogram[0], 0));
        }
        for (QueryResult r : List.of(QueryResult.of(Vector.of(samples.toArray(Sample[]::new))),
                QueryResult.of(Matrix.of(series.toArray(Series[]::new))))) {
            java.io.StringWriter chars = new java.io.StringWriter();
            try (com.fasterxml.jackson.core.JsonGenerator g = PromJson.FACTORY.createGenerator(chars)) {
                QueryResultJson.writeDocument(g, r);
            }
            String bytes = new String(QueryResultJson.encode(r), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(bytes).isEqualTo(chars.toString()).contains("q\\\"uote", "\\u003c\\u0026\\u003e", "\\u2028");
        }
    }

    @Test
    void vectorOfFloatAndCustomBucketHistogramSamples() {
        // Custom buckets: the first bucket runs from -Inf and includes both ends, the overflow
        // bucket ends at +Inf; empty buckets are not written.
        FloatHistogram h = new FloatHistogram().schema(FloatHistogram.CUSTOM_BUCKETS_SCHEMA).count(6).sum(21.5)
                .setCustomBounds(5, 10, 20);
        h.positive().addSpan(0, 4).addCount(1).addCount(2).addCount(0).addCount(3);
        Vector v = Vector.of(Sample.ofFloat(Labels.of("__name__", "up", "job", "a<b>&c"), 1435781451781L, 1),
                Sample.ofHistogram(FOO, 1435781451781L, h));
        assertThat(json(QueryResult.of(v))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\\u003cb\\u003e\\u0026c\"},\"value\":[1435781451.781,\"1\"]},"
                        + "{\"metric\":{\"__name__\":\"foo\"},\"histogram\":[1435781451.781,{\"count\":\"6\",\"sum\":\"21.5\","
                        + "\"buckets\":[[3,\"-Inf\",\"5\",\"1\"],[0,\"5\",\"10\",\"2\"],[0,\"20\",\"+Inf\",\"3\"]]}]}]}}");
    }

    @Test
    void bucketsTouchingTheZeroBucketAreCutAtItsThreshold() {
        // Schema 0: bucket 1 is (1, 2] and bucket 0 is (0.5, 1]; a zero threshold of 0.7 cuts the
        // positive bucket 0 to (0.7, 1] and the negative one to [-1, -0.7).
        FloatHistogram h = new FloatHistogram().schema(0).zeroThreshold(0.7).zeroCount(0).count(4).sum(1);
        h.positive().addSpan(0, 2).addCount(1).addCount(1);
        h.negative().addSpan(0, 1).addCount(2);
        Vector v = Vector.of(Sample.ofHistogram(Labels.empty(), 0, h));
        assertThat(json(QueryResult.of(v))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"histogram\":[0,"
                        + "{\"count\":\"4\",\"sum\":\"1\",\"buckets\":[[1,\"-1\",\"-0.7\",\"2\"],"
                        + "[0,\"0.7\",\"1\",\"1\"],[0,\"1\",\"2\",\"1\"]]}]}]}}");
    }

    @Test
    void histogramWithoutPopulatedBucketsHasNoBucketsField() {
        FloatHistogram h = new FloatHistogram().count(Double.NaN).sum(-0.0);
        h.positive().addSpan(-2, 2).addCount(0).addCount(0);
        assertThat(json(QueryResult.of(Vector.of(Sample.ofHistogram(FOO, 5, h))))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"foo\"},\"histogram\":[0.005,{\"count\":\"NaN\",\"sum\":\"-0\"}]}]}}");
    }

    @Test
    void stringAndEmptyResults() {
        assertThat(json(QueryResult.of(new StringValue(90_000, "a\"b")))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[90,\"a\\\"b\"]}}");
        assertThat(json(QueryResult.of(Vector.EMPTY))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(json(QueryResult.of(Matrix.EMPTY))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
    }

    @Test
    void warningsAndInfosFollowTheDataAndAreCappedAtTenEach() {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            warnings.add("w" + i);
        }
        Annotations a = new Annotations(warnings, List.of("PromQL info: metric might not be a counter (1:6)"));
        String doc = json(QueryResult.of(new Scalar(0, 1), a));
        assertThat(doc).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0,\"1\"]},"
                + "\"warnings\":[\"w0\",\"w1\",\"w2\",\"w3\",\"w4\",\"w5\",\"w6\",\"w7\",\"w8\",\"w9\","
                + "\"2 more warning annotations omitted\"],"
                + "\"infos\":[\"PromQL info: metric might not be a counter (1:6)\"]}");
        assertThat(json(QueryResult.of(new Scalar(0, 1), Annotations.ofInfos("i")))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0,\"1\"]},\"infos\":[\"i\"]}");
    }

    @Test
    void failuresAreTheErrorDocumentWithTheTypesStatus() {
        QueryResult r = QueryResult.failure(ErrorType.BAD_DATA, "1:5: parse error: unexpected <EOF>",
                Annotations.ofWarnings("not sent"));
        assertThat(json(r)).isEqualTo(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected \\u003cEOF\\u003e\"}");
        assertThat(QueryResultJson.httpStatus(r)).isEqualTo(400);
        assertThat(QueryResultJson.httpStatus(QueryResult.failure(ErrorType.EXECUTION, "x"))).isEqualTo(422);
        assertThat(QueryResultJson.httpStatus(QueryResult.failure(ErrorType.TIMEOUT, "x"))).isEqualTo(503);
        assertThat(QueryResultJson.httpStatus(QueryResult.failure(ErrorType.CANCELED, "x"))).isEqualTo(499);
        assertThat(QueryResultJson.httpStatus(QueryResult.of(Vector.EMPTY))).isEqualTo(200);
    }

    @org.junit.jupiter.api.Test
    void rangePointsCoverEveryValueAndTimeForm() {
        long[] t = {-1500, 0, 1, 1000, 1_700_000_000_123L, 1_700_000_000_123L + 30_000};
        double[] v = {-0.0, 0, 123456789012345.0, Double.NaN, Double.NEGATIVE_INFINITY, 1.5e-7};
        Series a = Series.ofFloats(FOO, t, v);
        Series b = Series.ofFloats(io.mantis.otlp.prometheus.Labels.of("__name__", "foo", "x", "1"),
                new long[] {1_700_000_000_123L}, new double[] {-2.5e21});
        assertThat(json(QueryResult.of(Matrix.of(a, b)))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"foo\"},\"values\":[[-1.500,\"-0\"],[0,\"0\"],[0.001,\"123456789012345\"],"
                        + "[1,\"NaN\"],[1700000000.123,\"-Inf\"],[1700000030.123,\"1.5e-07\"]]},"
                        + "{\"metric\":{\"__name__\":\"foo\",\"x\":\"1\"},\"values\":[[1700000000.123,\"-2.5e+21\"]]}]}}");
    }
}
