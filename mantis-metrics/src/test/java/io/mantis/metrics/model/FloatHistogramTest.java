package io.mantis.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.otlp.prometheus.NativeHistogram;
import io.mantis.otlp.prometheus.NativeHistogram.BucketSpan;
import io.mantis.otlp.prometheus.NativeHistogram.ResetHint;
import io.mantis.otlp.prometheus.SeriesSink;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloatHistogramTest {

    @Test
    void integerRemoteWriteHistogramBecomesAbsoluteCounts() {
        NativeHistogram nh = NativeHistogram.ofIntegers(1000, 3, 0x1p-128, 2, 12, 7.5,
                List.of(new BucketSpan(-2, 2), new BucketSpan(1, 1)), new long[] {3, 1, -2},
                List.of(new BucketSpan(0, 1)), new long[] {4}, ResetHint.NO);
        FloatHistogram h = new FloatHistogram().setFrom(nh);
        assertThat(h.schema()).isEqualTo(3);
        assertThat(h.count()).isEqualTo(12);
        assertThat(h.zeroCount()).isEqualTo(2);
        assertThat(h.sum()).isEqualTo(7.5);
        assertThat(h.counterResetHint()).isEqualTo(FloatHistogram.CounterResetHint.NOT_RESET);
        assertThat(h.positive().spanCount()).isEqualTo(2);
        assertThat(h.positive().spanOffset(1)).isEqualTo(1);
        assertThat(new double[] {h.positive().count(0), h.positive().count(1), h.positive().count(2)})
                .containsExactly(3, 4, 2);
        assertThat(h.negative().count(0)).isEqualTo(4);
        assertThat(h.positive().indexes(new int[0])).containsExactly(-2, -1, 1);
        assertThat(h.hasIntegerCounts()).isTrue();
        h.validate();
    }

    @Test
    void floatRemoteWriteHistogramKeepsCounts() {
        NativeHistogram nh = NativeHistogram.ofFloats(1000, 0, 0, 0.5, 3.25, 1,
                List.of(new BucketSpan(0, 2)), new double[] {1.25, 1.5}, List.of(), new double[0], ResetHint.GAUGE);
        FloatHistogram h = new FloatHistogram().setFrom(nh);
        assertThat(h.count()).isEqualTo(3.25);
        assertThat(h.zeroCount()).isEqualTo(0.5);
        assertThat(h.counterResetHint()).isEqualTo(FloatHistogram.CounterResetHint.GAUGE);
        assertThat(h.positive().count(1)).isEqualTo(1.5);
        assertThat(h.hasIntegerCounts()).isFalse();
    }

    @Test
    void copiesAndEqualityAreStrictAndReuseArrays() {
        FloatHistogram a = new FloatHistogram().schema(-53).count(3).sum(SeriesSink.STALE_NAN)
                .setCustomBounds(1, 2, 5);
        a.positive().addSpan(0, 2).addCount(1).addCount(2);
        FloatHistogram b = new FloatHistogram();
        b.copyFrom(a);
        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(b.isStale()).isTrue();
        b.positive().setCount(1, 3);
        assertThat(b).isNotEqualTo(a);
        b.copyFrom(a);
        b.setCustomBounds(1, 2, 6);
        assertThat(b).isNotEqualTo(a);
        // Same buckets, different span representation: not equal (strict data holder).
        FloatHistogram c = a.copy();
        c.positive().clear().addSpan(0, 1).addSpan(0, 1).addCount(1).addCount(2);
        assertThat(c).isNotEqualTo(a);
        assertThat(c.positive().indexes(new int[0])).containsExactly(0, 1);
        // Other NaNs in the sum are not the staleness marker.
        assertThat(new FloatHistogram().sum(Double.NaN).isStale()).isFalse();
        assertThat(new FloatHistogram().setStale()).isEqualTo(new FloatHistogram().sum(SeriesSink.STALE_NAN));
    }

    @Test
    void validationNamesTheProblem() {
        FloatHistogram h = new FloatHistogram();
        h.positive().addSpan(0, 2).addCount(1);
        assertThatThrownBy(h::validate).hasMessageContaining("positive spans cover 2 buckets but 1");
        FloatHistogram neg = new FloatHistogram();
        neg.negative().addSpan(0, 1).addSpan(-3, 1).addCount(1).addCount(1);
        assertThatThrownBy(neg::validate).hasMessageContaining("negative offset");
        assertThatThrownBy(() -> new FloatHistogram().schema(-5).validate()).hasMessageContaining("schema");
        new FloatHistogram().schema(8).validate();
        new FloatHistogram().schema(-4).validate();
    }

    @Test
    void setFromKeepsCustomBoundsAndAReusedInstanceForgetsThem() {
        NativeHistogram nhcb = NativeHistogram.ofIntegers(1, FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 3, 2,
                List.of(new BucketSpan(0, 2)), new long[] {1, 1}, List.of(), new long[0], ResetHint.UNKNOWN,
                new double[] {0.5, 1});
        FloatHistogram h = new FloatHistogram().setFrom(nhcb);
        assertThat(h.customBoundCount()).isEqualTo(2);
        assertThat(h.customBound(0)).isEqualTo(0.5);
        assertThat(h.customBound(1)).isEqualTo(1.0);
        h.validate();
        h.setFrom(NativeHistogram.ofIntegers(1, 0, 0, 0, 1, 2, List.of(new BucketSpan(0, 1)), new long[] {1},
                List.of(), new long[0], ResetHint.UNKNOWN));
        assertThat(h.customBoundCount()).isZero();
    }
}
