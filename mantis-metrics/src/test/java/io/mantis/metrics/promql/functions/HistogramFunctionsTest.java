package io.mantis.metrics.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.FloatHistogram.CounterResetHint;
import io.mantis.metrics.model.HistogramMath;
import org.junit.jupiter.api.Test;

/** Native-histogram kernels against native_histograms.test / functions.test evals (file:line cited). */
class HistogramFunctionsTest {

    private static void assertApprox(FloatHistogram actual, String expected) {
        assertThat(Hist.approx(actual, Hist.of(expected))).as("%s ~ %s", actual, expected).isTrue();
    }

    private static final String SUB_A = "schema:0 count:41 sum:2345.6 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]";

    @Test
    void subtractionAcrossSchemas() {
        // native_histograms.test:1589-1597
        FloatHistogram a = Hist.of(SUB_A);
        HistogramMath.sub(a, Hist.of("schema:0 count:11 sum:1234.5 z_bucket:3 z_bucket_w:0.001 buckets:[0 2 1] n_buckets:[0 0 3 2]"));
        assertApprox(a, "schema:0 count:30 sum:1111.1 z_bucket:2 z_bucket_w:0.001 buckets:[1 1 0 2 1 1 1] n_buckets:[0 1 1 0 7 0 0 0 0 5 5 2]");

        FloatHistogram b = Hist.of(SUB_A);
        HistogramMath.sub(b, Hist.of("schema:1 count:11 sum:1234.5 z_bucket:3 z_bucket_w:0.001 buckets:[0 2 1] n_buckets:[0 0 3 2]"));
        assertApprox(b, "schema:0 count:30 sum:1111.1 z_bucket:2 z_bucket_w:0.001 buckets:[1 0 1 2 1 1 1] n_buckets:[0 -2 2 2 7 0 0 0 0 5 5 2]");

        FloatHistogram c = Hist.of("schema:1 count:11 sum:1234.5 z_bucket:3 z_bucket_w:0.001 buckets:[0 2 1] n_buckets:[0 0 3 2]");
        HistogramMath.sub(c, Hist.of(SUB_A));
        assertApprox(c, "schema:0 count:-30 sum:-1111.1 z_bucket:-2 z_bucket_w:0.001 buckets:[-1 0 -1 -2 -1 -1 -1] n_buckets:[0 2 -2 -2 -7 0 0 0 0 -5 -5 -2]");
    }

    private static final String[] SUM_INPUTS = {
        "schema:0 count:25 sum:3.1 z_bucket:4 z_bucket_w:0.001 buckets:[1 2 0 1 1] n_buckets:[2 4 0 0 1 9]",
        "schema:0 count:41 sum:1e100 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]",
        "schema:0 count:41 sum:-1e100 z_bucket:5 z_bucket_w:0.001 buckets:[1 3 1 2 1 1 1] n_buckets:[0 1 4 2 7 0 0 0 0 5 5 2]",
        "schema:1 count:0 sum:1.3 z_bucket:3 z_bucket_w:0.001 buckets:[2 4 2 3 2 2] n_buckets:[1 2 5 3 8 1 1 1 1 6 3]",
    };

    @Test
    void sumAndAvgAggregationAreCompensated() {
        // native_histograms.test:1414 sum(histogram_sum), 1432 avg(histogram_sum)
        HistogramAggregator sum = new HistogramAggregator();
        HistogramAggregator avg = new HistogramAggregator();
        for (String s : SUM_INPUTS) {
            sum.add(Hist.of(s), false);
            avg.add(Hist.of(s), true);
        }
        Notes notes = new Notes();
        FloatHistogram out = new FloatHistogram();
        assertThat(sum.sum(out, notes)).isTrue();
        assertApprox(out, "schema:0 count:107 sum:4.4 z_bucket:17 z_bucket_w:0.001 buckets:[5 14 7 7 3 2 2] n_buckets:[3 13 19 6 17 18 0 0 0 10 10 4]");
        assertThat(avg.average(out, notes)).isTrue();
        assertApprox(out, "schema:0 count:26.75 sum:1.1 z_bucket:4.25 z_bucket_w:0.001 buckets:[1.25 3.5 1.75 1.75 0.75 0.5 0.5] n_buckets:[0.75 3.25 4.75 1.5 4.25 4.5 0 0 0 2.5 2.5 1]");
        assertThat(notes.flags()).isZero();
    }

    @Test
    void sumAndAvgOverTime() {
        // native_histograms.test:1525-1529 (histogram_sum_over_time_3)
        FloatHistogram[] h = {Hist.of("schema:0 count:1 sum:1"), Hist.of("schema:0 count:2 sum:1e100"),
            Hist.of("schema:0 count:3 sum:1"), Hist.of("schema:0 count:4 sum:-1e100")};
        FloatHistogram out = new FloatHistogram();
        Notes notes = new Notes();
        assertThat(HistogramFunctions.sumOverTime(h, 0, 4, out, notes)).isTrue();
        assertApprox(out, "schema:0 count:10 sum:2");
        assertThat(HistogramFunctions.avgOverTime(h, 0, 4, out, notes)).isTrue();
        assertApprox(out, "schema:0 count:2.5 sum:0.5");
        // native_histograms.test:1557 (histogram_sum_over_time_incremental_6): the count overflows.
        FloatHistogram[] inc = {Hist.of("schema:0 count:1.7976931348623157e+308 sum:1"),
            Hist.of("schema:0 count:1e308 sum:1e100"), Hist.of("schema:0 count:1e-6 sum:1"),
            Hist.of("schema:0 count:1e-6 sum:-1e100")};
        assertThat(HistogramFunctions.sumOverTime(inc, 0, 4, out, notes)).isTrue();
        assertThat(out.count()).isInfinite();
        assertThat(out.sum()).isEqualTo(2);
        // A single sample averages to itself (native_histograms.test:1571).
        assertThat(HistogramFunctions.avgOverTime(new FloatHistogram[] {Hist.of("schema:3 sum:5 count:4 buckets:[1 2 1]")},
                0, 1, out, notes)).isTrue();
        assertApprox(out, "schema:3 sum:5 count:4 buckets:[1 2 1]");
        assertThat(notes.flags()).isZero();
    }

    @Test
    void increaseIsExtrapolatedLikeTheFloatCounter() {
        // native_histograms.test:1664-1668: increase(metric[90m]) at 55m
        long[] t = new long[56];
        FloatHistogram[] h = new FloatHistogram[56];
        double[] f = new double[56];
        for (int i = 0; i < 56; i++) {
            t[i] = i * 60_000L;
            h[i] = Hist.of(i == 0 ? "schema:0 count:15 sum:25 buckets:[5 10]" : "schema:0 count:2490 sum:75 buckets:[15 2475]");
            f[i] = i == 0 ? 15 : 2490;
        }
        long at = 55 * 60_000L;
        long start = at - 90 * 60_000L;
        FloatHistogram out = new FloatHistogram();
        Notes notes = new Notes();
        assertThat(HistogramFunctions.extrapolatedRate(t, h, 0, 56, null, start, at, true, false, out, notes)).isTrue();
        assertApprox(out, "count:2490 sum:50.303030303030305 buckets:[10.06060606060606 2479.939393939394]");
        assertThat(out.counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
        assertThat(RangeFunctions.increase(t, f, 0, 56, null, start, at)).isCloseTo(2490, within(1e-9));
        // native_histograms.test:1681-1684: increase(metric[55m15s]) at 55m
        long start2 = at - (55 * 60_000L + 15_000);
        int from = RangeFunctions.firstAfter(t, 0, 56, start2);
        assertThat(HistogramFunctions.extrapolatedRate(t, h, from, 56, null, start2, at, true, false, out, notes)).isTrue();
        assertApprox(out, "count:2486.25 sum:50.227272727272734 buckets:[10.045454545454547 2476.2045454545455]");
        assertThat(notes.flags()).isZero();
    }

    @Test
    void deltaOfGaugeAndCounterHistograms() {
        // functions.test:290-297
        long[] t = {0, 300_000, 600_000, 900_000, 1_200_000};
        FloatHistogram[] gauge = new FloatHistogram[5];
        FloatHistogram[] counter = new FloatHistogram[5];
        for (int i = 0; i < 5; i++) {
            gauge[i] = Hist.of("schema:0 sum:" + i + " count:" + 2 * i + " buckets:[" + i + " " + i + " " + i
                    + "] counter_reset_hint:gauge");
            counter[i] = Hist.of("schema:0 sum:" + i + " count:" + 2 * i + " buckets:[" + i + " " + i + " " + i + "]");
        }
        FloatHistogram out = new FloatHistogram();
        Notes notes = new Notes();
        assertThat(HistogramFunctions.extrapolatedRate(t, gauge, 0, 5, null, 0, 1_200_000, false, false, out, notes)).isTrue();
        assertApprox(out, "schema:0 sum:4 count:8 buckets:[4 4 4]");
        assertThat(notes.flags()).isZero();
        assertThat(HistogramFunctions.extrapolatedRate(t, counter, 0, 5, null, 0, 1_200_000, false, false, out, notes)).isTrue();
        assertApprox(out, "schema:0 sum:4 count:8 buckets:[4 4 4]");
        assertThat(notes.has(Notes.NOT_GAUGE)).isTrue();
    }

    @Test
    void irateAcrossBucketKinds() {
        long[] t = {600_000, 900_000};
        FloatHistogram out = new FloatHistogram();
        Notes notes = new Notes();
        // functions.test:267 (/f): exponential then custom buckets is a reset; the rate is the new value.
        FloatHistogram[] f = {Hist.of("sum:1 count:1"), Hist.of("schema:-53 sum:3 count:3 custom_values:[5 10] buckets:[3]")};
        assertThat(HistogramFunctions.instantValue(t, f, 0, 2, null, true, out, notes)).isTrue();
        assertApprox(out, "schema:-53 sum:0.01 count:0.01 custom_values:[5 10] buckets:[0.01]");
        // functions.test:271 (/g): different custom bounds are reconciled to the common ones (none).
        FloatHistogram[] g = {Hist.of("schema:-53 sum:3 count:3 custom_values:[1] buckets:[3]"),
            Hist.of("schema:-53 sum:3 count:3 custom_values:[5 10] buckets:[3]")};
        assertThat(HistogramFunctions.instantValue(t, g, 0, 2, null, true, out, notes)).isTrue();
        assertApprox(out, "schema:-53");
        assertThat(notes.has(Notes.CUSTOM_BUCKETS_RECONCILED_SUB)).isTrue();
        assertThat(Notes.isWarning(Notes.CUSTOM_BUCKETS_RECONCILED_SUB)).isFalse();
    }

    @Test
    void quantileAndFractionWithNaNObservations() {
        // native_histograms.test:1611-1656
        FloatHistogram all = Hist.of("schema:0 count:3 sum:NaN");
        FloatHistogram some = Hist.of("schema:0 count:15 sum:NaN buckets:[12]");
        Notes notes = new Notes();
        assertThat(HistogramFunctions.quantile(1, some, notes)).isNaN();
        assertThat(notes.has(Notes.QUANTILE_NAN_RESULT)).isTrue();
        notes.clear();
        assertThat(HistogramFunctions.quantile(0.8, some, notes)).isEqualTo(1);
        assertThat(notes.flags()).isEqualTo(Notes.QUANTILE_NAN_SKEW);
        assertThat(HistogramFunctions.quantile(0.4, some, notes.clear())).isCloseTo(0.7071067811865475, within(1e-15));
        assertThat(HistogramFunctions.quantile(0.4, all, notes.clear())).isNaN();
        assertThat(notes.flags()).isEqualTo(Notes.QUANTILE_NAN_RESULT);
        assertThat(HistogramFunctions.fraction(Double.NEGATIVE_INFINITY, 0.7071067811865475, some, notes.clear()))
                .isCloseTo(0.4, within(1e-12));
        assertThat(notes.flags()).isEqualTo(Notes.FRACTION_NANS);
        assertThat(HistogramFunctions.fraction(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, some, notes))
                .isCloseTo(0.8, within(1e-12));
        assertThat(HistogramFunctions.fraction(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, all, notes)).isZero();
    }

    @Test
    void customBucketQuantileAndFraction() {
        // histograms.test:160-176 (positive_buckets_lower_falls_in_the_first_bucket as NHCB)
        FloatHistogram h = Hist.of("schema:-53 count:100 sum:0 custom_values:[1 2 3] buckets:[1 2 3 94]");
        assertThat(HistogramMath.fraction(0, 1.5, h)).isCloseTo(0.02, within(1e-12));
        assertThat(HistogramMath.fraction(400, Double.POSITIVE_INFINITY, h)).isCloseTo(0.94, within(1e-12));
        assertThat(HistogramMath.fraction(2, 5, h)).isCloseTo(0.03, within(1e-12));
        // histograms.test:183-195: negative bounds, the first bucket keeps its population at -Inf.
        FloatHistogram neg = Hist.of("schema:-53 count:100 sum:0 custom_values:[-3 -2 -1] buckets:[10 2 3 85]");
        assertThat(HistogramMath.fraction(-4, -2, neg)).isCloseTo(0.02, within(1e-12));
        assertThat(HistogramMath.fraction(Double.NEGATIVE_INFINITY, -1.5, neg)).isCloseTo(0.135, within(1e-12));
        // Quantile in the +Inf bucket returns the highest finite bound; in the first bucket interpolates from 0.
        assertThat(HistogramMath.quantile(0.99, h)).isEqualTo(3);
        assertThat(HistogramMath.quantile(0.005, h)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void statistics() {
        // Hand: schema 0 buckets (1,2] and (2,4] with one observation each: geometric means sqrt2, sqrt8.
        FloatHistogram h = Hist.of("schema:0 count:2 sum:6 buckets:[1 1] offset:1");
        double mean = 3;
        double expected = (Math.pow(Math.sqrt(2) - mean, 2) + Math.pow(Math.sqrt(8) - mean, 2)) / 2;
        assertThat(HistogramFunctions.stdvar(h)).isCloseTo(expected, within(1e-12));
        assertThat(HistogramFunctions.stddev(h)).isCloseTo(Math.sqrt(expected), within(1e-12));
        assertThat(HistogramFunctions.avg(h)).isEqualTo(3);
        // Exponential interpolation: the middle of (1,2] is sqrt(2).
        assertThat(HistogramMath.quantile(0.25, h)).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(HistogramMath.fraction(0, Math.sqrt(2), h)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void counterResetDetection() {
        FloatHistogram prev = Hist.of("schema:1 count:4 sum:4 buckets:[1 3] offset:1");
        assertThat(HistogramMath.detectReset(Hist.of("schema:1 count:5 sum:5 buckets:[2 3] offset:1"), prev)).isFalse();
        assertThat(HistogramMath.detectReset(Hist.of("schema:1 count:5 sum:5 buckets:[2 2 1] offset:1"), prev)).isTrue();
        // Going to a lower resolution merges (1,sqrt2] and (sqrt2,2] into (1,2]: no reset if it grew.
        assertThat(HistogramMath.detectReset(Hist.of("schema:0 count:5 sum:5 buckets:[5] offset:1"), prev)).isFalse();
        assertThat(HistogramMath.detectReset(Hist.of("schema:0 count:5 sum:5 buckets:[3] offset:1"), prev)).isTrue();
        // Going to a higher resolution is always a reset.
        assertThat(HistogramMath.detectReset(Hist.of("schema:2 count:5 sum:5 buckets:[5]"), prev)).isTrue();
        assertThat(HistogramMath.detectReset(Hist.of("schema:1 count:1 sum:1 counter_reset_hint:not_reset"), prev)).isFalse();
        // Widening the zero bucket swallows (0.5,1]; fine only if the zero count covers what it held.
        FloatHistogram z = Hist.of("schema:0 count:4 sum:4 z_bucket:1 z_bucket_w:0.5 buckets:[3]");
        assertThat(HistogramMath.detectReset(Hist.of("schema:0 count:7 sum:4 z_bucket:4 z_bucket_w:1 buckets:[3] offset:1"), z))
                .isFalse();
        assertThat(HistogramMath.detectReset(Hist.of("schema:0 count:7 sum:4 z_bucket:1 z_bucket_w:1 buckets:[6] offset:1"), z))
                .isTrue();
        // Narrowing the zero bucket is a reset.
        assertThat(HistogramMath.detectReset(Hist.of("schema:0 count:7 sum:4 z_bucket:1 z_bucket_w:0.25 buckets:[6]"), z))
                .isTrue();
    }

    @Test
    void additionWidensTheNarrowerZeroBucket() {
        // Hand: b's zero bucket (width 1) swallows a's bucket (0.5,1] (index 0 at schema 0).
        FloatHistogram a = Hist.of("schema:0 count:3 sum:3 z_bucket:1 z_bucket_w:0.5 buckets:[2]");
        FloatHistogram b = Hist.of("schema:0 count:1 sum:1 z_bucket:1 z_bucket_w:1");
        HistogramMath.add(a, b);
        assertApprox(a, "schema:0 count:4 sum:4 z_bucket:4 z_bucket_w:1");
        // Mixing custom and exponential buckets changes nothing and says so.
        FloatHistogram c = Hist.of("schema:-53 count:1 sum:1 custom_values:[1] buckets:[1]");
        assertThat(HistogramMath.add(c, b)).isEqualTo(HistogramMath.RESULT_INCOMPATIBLE_SCHEMA);
        // Counter-reset hints that contradict each other collide.
        FloatHistogram r = Hist.of("schema:0 count:1 sum:1 counter_reset_hint:reset");
        assertThat(HistogramMath.add(r, Hist.of("schema:0 count:1 sum:1 counter_reset_hint:not_reset")))
                .isEqualTo(HistogramMath.RESULT_COUNTER_RESET_COLLISION);
        assertThat(r.counterResetHint()).isEqualTo(CounterResetHint.UNKNOWN);
    }

    @Test
    void changesAndResetsAcrossFloatsAndHistograms() {
        // functions.test:8, 52-55 and 97-100 (/biz): 0 1 0 2 0 3 0 then three histograms.
        long[] ft = {0, 300_000, 600_000, 900_000, 1_200_000, 1_500_000, 1_800_000};
        double[] fv = {0, 1, 0, 2, 0, 3, 0};
        long[] ht = {2_100_000, 2_400_000, 2_700_000};
        FloatHistogram[] h = {Hist.of("schema:0 sum:1 count:1 z_bucket_w:0.001 z_bucket:2"),
            Hist.of("schema:0 sum:2 count:2 z_bucket_w:0.001 z_bucket:1"),
            Hist.of("schema:0 sum:1 count:1 z_bucket_w:0.001 z_bucket:2")};
        assertThat(RangeFunctions.resets(ft, fv, 0, 7, ht, h, 0, 3)).isEqualTo(6);
        assertThat(RangeFunctions.changes(ft, fv, 0, 7, ht, h, 0, 3)).isEqualTo(9);
    }
}
