package io.mantis.metrics.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregationKernelsTest {

    @Test
    void classicHistogramQuantileFixesMonotonicity() {
        // histograms.test:1016-1035 nonmonotonic_bucket at 50m
        double[] le = {0.1, 1, 10, 100, 1000, Double.POSITIVE_INFINITY};
        double[] counts = {20, 10, 50, 40, 90, 80};
        double[][] expected = {{0.01, 0.0045}, {0.5, 8.5}, {0.99, 979.75}};
        for (double[] e : expected) {
            Notes notes = new Notes();
            double[] b = le.clone();
            double[] c = counts.clone();
            assertThat(Quantiles.bucketQuantile(e[0], b, c, 6, notes)).isCloseTo(e[1], within(1e-9));
            assertThat(notes.has(Notes.FORCED_MONOTONICITY)).isTrue();
            assertThat(notes.maxDiff()).isEqualTo(10);
        }
        // Unsorted input, duplicate bounds (histograms.test "mixed" representations of 0.1), no +Inf.
        double[] b = {Double.POSITIVE_INFINITY, 0.2, 0.1, 0.1};
        double[] c = {4, 3, 1, 0};
        Notes notes = new Notes();
        assertThat(Quantiles.bucketQuantile(0.5, b, c, 4, notes)).isCloseTo(0.15, within(1e-12));
        assertThat(notes.flags()).isZero();
        assertThat(Quantiles.bucketQuantile(0.5, new double[] {1, 2}, new double[] {1, 2}, 2, null)).isNaN();
        assertThat(Quantiles.bucketQuantile(-1, new double[] {1}, new double[] {1}, 1, null)).isEqualTo(Double.NEGATIVE_INFINITY);
        // Rank in the +Inf bucket returns the highest finite bound.
        assertThat(Quantiles.bucketQuantile(0.99, new double[] {1, 2, Double.POSITIVE_INFINITY},
                new double[] {1, 2, 10}, 3, null)).isEqualTo(2);
    }

    @Test
    void classicHistogramFraction() {
        // histograms.test:115-136 testhistogram2_bucket at 50m: le 0,2,4,6,+Inf = 0,10,20,30,30
        double[][] cases = {{0, 4, 0.6666666666666666}, {0, 6, 1}, {0, 3.5, 0.5833333333333334}};
        for (double[] e : cases) {
            double[] le = {0, 2, 4, 6, Double.POSITIVE_INFINITY};
            double[] c = {0, 10, 20, 30, 30};
            assertThat(Quantiles.bucketFraction(e[0], e[1], le, c, 5)).isCloseTo(e[2], within(1e-12));
        }
        // histograms.test:183-195: negative first bound keeps its population at -Inf.
        double[] le = {-3, -2, -1, Double.POSITIVE_INFINITY};
        assertThat(Quantiles.bucketFraction(-4, -2, le.clone(), new double[] {10, 12, 15, 100}, 4)).isCloseTo(0.02, within(1e-12));
        assertThat(Quantiles.bucketFraction(0, 5, le.clone(), new double[] {0, 0, 0, 0}, 4)).isNaN();
    }

    @Test
    void floatQuantileOrdersNaNFirst() {
        double[] v = {3, Double.NaN, 1, 2};
        assertThat(Quantiles.quantile(0, v, 0, 4)).isNaN();
        assertThat(v[0]).isNaN();
        assertThat(Quantiles.quantile(1, v, 0, 4)).isEqualTo(3);
        assertThat(Quantiles.quantile(0.5, new double[] {1, 2, 3, 4}, 0, 4)).isEqualTo(2.5);
        assertThat(Quantiles.quantile(0.5, new double[0], 0, 0)).isNaN();
    }

    @Test
    void floatAggregations() {
        double[] in = {1, 2, 3, 4, Double.NaN};
        assertThat(agg(FloatAggregator.Op.SUM, 1, 2, 3, 4)).isEqualTo(10);
        assertThat(agg(FloatAggregator.Op.AVG, 1, 2, 3, 4)).isEqualTo(2.5);
        assertThat(agg(FloatAggregator.Op.MIN, in)).isEqualTo(1);
        assertThat(agg(FloatAggregator.Op.MAX, Double.NaN, 1, 5)).isEqualTo(5);
        assertThat(agg(FloatAggregator.Op.MAX, Double.NaN)).isNaN();
        assertThat(agg(FloatAggregator.Op.COUNT, in)).isEqualTo(5);
        assertThat(agg(FloatAggregator.Op.GROUP, in)).isEqualTo(1);
        assertThat(agg(FloatAggregator.Op.STDVAR, 2, 4, 4, 4, 5, 5, 7, 9)).isEqualTo(4);
        assertThat(agg(FloatAggregator.Op.STDDEV, 2, 4, 4, 4, 5, 5, 7, 9)).isEqualTo(2);
        assertThat(agg(FloatAggregator.Op.STDDEV, Double.POSITIVE_INFINITY, 1)).isNaN();
        // Kahan: small values survive next to huge ones (aggregators.test float precision cases).
        assertThat(agg(FloatAggregator.Op.SUM, 1e100, 1, -1e100, 1)).isEqualTo(2);
        assertThat(agg(FloatAggregator.Op.AVG, 1e100, 1, -1e100, 1)).isEqualTo(0.5);
        // avg overflowing the sum switches to the incremental mean; Inf and -Inf give NaN.
        double max = Double.MAX_VALUE;
        assertThat(agg(FloatAggregator.Op.AVG, max, max, max)).isCloseTo(max, within(max * 1e-12));
        assertThat(agg(FloatAggregator.Op.AVG, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)).isNaN();
        assertThat(agg(FloatAggregator.Op.AVG, Double.POSITIVE_INFINITY, 1)).isEqualTo(Double.POSITIVE_INFINITY);
        FloatAggregator q = new FloatAggregator(FloatAggregator.Op.QUANTILE);
        for (double d : new double[] {4, 1, 3, 2}) {
            q.add(d);
        }
        assertThat(q.result(0.25)).isEqualTo(1.75);
    }

    private static double agg(FloatAggregator.Op op, double... values) {
        FloatAggregator a = new FloatAggregator(op);
        a.reset();
        for (double v : values) {
            a.add(v);
        }
        return a.result();
    }

    @Test
    void kahanSumMatchesExactArithmetic() {
        // Property: on sums with heavy cancellation, the compensated sum is within one ulp of the
        // exactly rounded sum, where naive summation is not.
        Random r = new Random(42);
        int naiveWorse = 0;
        for (int round = 0; round < 200; round++) {
            int n = 50 + r.nextInt(50);
            double[] v = new double[n];
            BigDecimal exact = BigDecimal.ZERO;
            double naive = 0;
            for (int i = 0; i < n; i++) {
                double magnitude = Math.pow(10, r.nextInt(30) - 15);
                v[i] = (r.nextDouble() - 0.5) * magnitude;
                exact = exact.add(new BigDecimal(v[i]));
                naive += v[i];
            }
            double expected = exact.round(MathContext.DECIMAL128).doubleValue();
            double kahan = KahanSum.sum(v, 0, n);
            assertThat(Math.abs(kahan - expected)).isLessThanOrEqualTo(Math.ulp(expected));
            if (Math.abs(naive - expected) > Math.ulp(expected)) {
                naiveWorse++;
            }
        }
        assertThat(naiveWorse).as("the property must be able to fail").isPositive();
    }

    @Test
    void topkAndBottomkOrder() {
        double[] values = {5, Double.NaN, 3, 9, 9, 1};
        TopKHeap heap = new TopKHeap();
        heap.reset(3, false);
        for (int i = 0; i < values.length; i++) {
            heap.offer(i, values[i]);
        }
        heap.finish();
        assertThat(heap.size()).isEqualTo(3);
        assertThat(new double[] {heap.value(0), heap.value(1), heap.value(2)}).containsExactly(9, 9, 5);
        heap.reset(2, true);
        for (int i = 0; i < values.length; i++) {
            heap.offer(i, values[i]);
        }
        heap.finish();
        assertThat(new int[] {heap.id(0), heap.id(1)}).containsExactly(5, 2);
        // NaN only makes it in when there is nothing better, and then sorts last.
        heap.reset(3, false);
        heap.offer(0, Double.NaN);
        heap.offer(1, 2);
        heap.finish();
        assertThat(heap.value(0)).isEqualTo(2);
        assertThat(heap.value(1)).isNaN();
        heap.reset(0, false);
        heap.offer(0, 1);
        assertThat(heap.size()).isZero();
    }

    @Test
    void limitRatioHashIsXxh64OfTheLabels() {
        // Published XXH64 (seed 0) test vectors.
        assertThat(LimitRatio.xxh64("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(LimitRatio.xxh64("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(LimitRatio.xxh64("abc")).isEqualTo(0x44BC2CF5AD770999L);
        String longer = "Nobody inspects the spammish repetition";
        assertThat(LimitRatio.xxh64(longer)).isEqualTo(0xFBCEA83C8A378BF1L);
        LimitRatio lr = new LimitRatio();
        // The separator is the raw byte 0xFF (not a character encoded as UTF-8).
        byte[] raw = {'a', (byte) 0xff, 'b', (byte) 0xff};
        assertThat(lr.reset().add("a", "b").hash()).isEqualTo(LimitRatio.xxh64(raw, 0, raw.length));
        // Complementary ratios split the series exactly.
        for (long hash : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0x1234567890abcdefL}) {
            assertThat(LimitRatio.keep(0.3, hash)).isNotEqualTo(LimitRatio.keep(-0.7, hash));
            assertThat(LimitRatio.keep(1, hash) || LimitRatio.offset(hash) == 1.0).isTrue();
            assertThat(LimitRatio.keep(-1, hash)).isTrue();
            assertThat(LimitRatio.keep(0, hash)).isFalse();
        }
        assertThat(LimitRatio.offset(-1)).isEqualTo(1.0);
        assertThat(LimitRatio.cap(1.1)).isEqualTo(1);
    }
}
