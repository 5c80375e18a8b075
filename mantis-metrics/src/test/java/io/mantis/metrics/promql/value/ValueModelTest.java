package io.mantis.metrics.promql.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueModelTest {

    @Test
    void exponentialBoundsAreThoseOfPrometheusTable() {
        assertThat(BucketBounds.exponential(0, 0)).isEqualTo(1.0);
        assertThat(BucketBounds.exponential(-1, 0)).isEqualTo(0.5);
        assertThat(BucketBounds.exponential(3, 2)).isEqualTo(1.6817928305074288);
        assertThat(BucketBounds.exponential(-1, 2)).isEqualTo(0.8408964152537144);
        assertThat(BucketBounds.exponential(1, 1)).isEqualTo(1.414213562373095);
        assertThat(BucketBounds.exponential(2, -2)).isEqualTo(256.0);
        // An entry of Prometheus' table that is three units in the last place below 2^(-1/256):
        // the API prints Prometheus' digits, so these must be the table's, not Math.pow's.
        assertThat(BucketBounds.exponential(-1, 8)).isEqualTo(0.9972960560854698);
        assertThat(Math.pow(2, -1.0 / 256)).isNotEqualTo(0.9972960560854698);
        // The last finite bucket ends at MAX_VALUE; the one above it holds infinities.
        assertThat(BucketBounds.exponential(1024, 0)).isEqualTo(Double.MAX_VALUE);
        assertThat(BucketBounds.exponential(512, -1)).isEqualTo(Double.MAX_VALUE);
        assertThat(BucketBounds.exponential(1024 * 256, 8)).isEqualTo(Double.MAX_VALUE);
        assertThat(BucketBounds.exponential(1025, 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> BucketBounds.exponential(0, 9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void customBoundsRunFromMinusToPlusInfinity() {
        FloatHistogram h = new FloatHistogram().schema(FloatHistogram.CUSTOM_BUCKETS_SCHEMA).setCustomBounds(1, 5);
        assertThat(BucketBounds.upper(h, -1)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(BucketBounds.upper(h, 0)).isEqualTo(1);
        assertThat(BucketBounds.upper(h, 1)).isEqualTo(5);
        assertThat(BucketBounds.upper(h, 2)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> BucketBounds.upper(h, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seriesChecksItsArraysAndTakesOnlyTheCountedPoints() {
        Labels l = Labels.of("a", "1");
        Series s = new Series(l, new long[] {1, 2, 99}, new double[] {1, 2, 99}, 2, null, null, 0);
        assertThat(s.floatCount()).isEqualTo(2);
        assertThat(s.floatValue(1)).isEqualTo(2);
        assertThatThrownBy(() -> s.floatValue(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(s).isEqualTo(Series.ofFloats(l, new long[] {1, 2}, new double[] {1, 2}));
        assertThatThrownBy(() -> Series.ofFloats(l, new long[] {2, 1}, new double[] {1, 2}))
                .hasMessageContaining("must increase");
        assertThatThrownBy(() -> new Series(l, new long[] {1}, new double[0], 1, null, null, 0))
                .hasMessageContaining("does not fit");
    }

    @Test
    void resultIsEitherValueOrError() {
        assertThatThrownBy(() -> new QueryResult(null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryResult(Vector.EMPTY, new QueryError(ErrorType.INTERNAL, "x"), null))
                .isInstanceOf(IllegalArgumentException.class);
        QueryResult ok = QueryResult.of(new Scalar(1, 2));
        assertThat(ok.failed()).isFalse();
        assertThat(ok.annotations()).isSameAs(Annotations.EMPTY);
        assertThat(QueryResult.failure(ErrorType.TIMEOUT, "query timed out").error().type().wire()).isEqualTo("timeout");
    }

    @Test
    void annotationsAreASetInReportOrder() {
        Annotations a = Annotations.builder().warning("b").warning("a").warning("b").info("i").build();
        assertThat(a.warnings()).containsExactly("b", "a");
        assertThat(a.merge(Annotations.ofWarnings("a", "c")).warnings()).containsExactly("b", "a", "c");
        assertThat(new Annotations(new ArrayList<>(List.of("x", "x")), List.of()).warnings()).containsExactly("x");
        assertThat(Annotations.builder().build()).isSameAs(Annotations.EMPTY);
    }

    @Test
    void vectorsAndMatricesAreImmutable() {
        List<Sample> samples = new ArrayList<>(List.of(Sample.ofFloat(Labels.empty(), 0, 1)));
        Vector v = new Vector(samples);
        samples.clear();
        assertThat(v.size()).isEqualTo(1);
        assertThatThrownBy(() -> v.samples().add(Sample.ofFloat(Labels.empty(), 0, 2)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(v.type().wire()).isEqualTo("vector");
        assertThat(Matrix.EMPTY.type().wire()).isEqualTo("matrix");
    }

    @Test
    void seriesBuilderGrowsAndHandsOverItsArrays() {
        Series.Builder b = Series.builder(Labels.of("a", "1"));
        assertThat(b.isEmpty()).isTrue();
        for (int i = 0; i < 20; i++) {
            b.addFloat(i * 1000L, i);
        }
        b.addHistogram(30_000, new FloatHistogram().count(1));
        Series s = b.build();
        assertThat(s.floatCount()).isEqualTo(20);
        assertThat(s.floatValue(19)).isEqualTo(19);
        assertThat(s.histogramCount()).isEqualTo(1);
        assertThat(s.histogram(0).count()).isEqualTo(1);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Series.builder(Labels.empty()).addFloat(2, 1).addFloat(1, 1).build())
                .hasMessageContaining("must increase");
    }

    @Test
    void labelOrderIsPrometheusByteOrderPairByPair() {
        Labels a = Labels.of("__name__", "m", "x", "1");
        Labels b = Labels.of("__name__", "m", "x", "2");
        Labels shorter = Labels.of("__name__", "m");
        Labels astral = Labels.of("__name__", "m", "x", "\uD83D\uDE00");
        Labels bmpHigh = Labels.of("__name__", "m", "x", "\uFF01");
        assertThat(LabelOrder.INSTANCE.compare(a, b)).isNegative();
        assertThat(LabelOrder.INSTANCE.compare(shorter, a)).isNegative();
        // UTF-16 order would put the emoji (a surrogate pair) before U+FF01; UTF-8 order after
        assertThat(LabelOrder.INSTANCE.compare(bmpHigh, astral)).isNegative();
        Matrix m = Matrix.of(Series.ofFloats(b, new long[0], new double[0]), Series.ofFloats(a, new long[0], new double[0]));
        assertThat(m.sortedByLabels().series()).extracting(Series::metric).containsExactly(a, b);
        Matrix sorted = m.sortedByLabels();
        assertThat(sorted.sortedByLabels()).isSameAs(sorted);
    }
}
