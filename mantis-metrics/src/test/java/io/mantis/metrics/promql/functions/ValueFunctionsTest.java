package io.mantis.metrics.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ValueFunctionsTest {

    @Test
    void formatsFloatsAsGo() {
        assertThat(GoFloatFormat.formatF(6)).isEqualTo("6");
        assertThat(GoFloatFormat.formatF(0.1)).isEqualTo("0.1");
        assertThat(GoFloatFormat.formatF(1e21)).isEqualTo("1000000000000000000000");
        assertThat(GoFloatFormat.formatF(1e-7)).isEqualTo("0.0000001");
        assertThat(GoFloatFormat.formatF(-2.5)).isEqualTo("-2.5");
        assertThat(GoFloatFormat.formatF(-0.0)).isEqualTo("-0");
        assertThat(GoFloatFormat.formatF(Double.NaN)).isEqualTo("NaN");
        assertThat(GoFloatFormat.formatF(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(GoFloatFormat.formatG(1e6)).isEqualTo("1e+06");
        assertThat(GoFloatFormat.formatG(123456)).isEqualTo("123456");
        assertThat(GoFloatFormat.formatG(0.00001)).isEqualTo("1e-05");
        assertThat(GoFloatFormat.formatG(0.0001)).isEqualTo("0.0001");
        assertThat(GoFloatFormat.formatG(-1.5e300)).isEqualTo("-1.5e+300");
        // histograms.test histogram_quantiles labels
        assertThat(GoFloatFormat.formatOpenMetrics(0.5)).isEqualTo("0.5");
        assertThat(GoFloatFormat.formatOpenMetrics(1)).isEqualTo("1.0");
        assertThat(GoFloatFormat.formatOpenMetrics(1e6)).isEqualTo("1e+06");
    }

    @Test
    void formatsHistogramsAsPrometheus() {
        // aggregators.test:451 count_values over a native histogram
        String h = GoFloatFormat.formatHistogram(Hist.of(
                "schema:0 count:20 sum:10 z_bucket:2 z_bucket_w:0.001 buckets:[1 2] n_buckets:[1 2]"));
        assertThat(h).isEqualTo("{count:20, sum:10, [-2,-1):2, [-1,-0.5):1, [-0.001,0.001]:2, (0.5,1]:1, (1,2]:2}");
    }

    @Test
    void mathAsGo() {
        assertThat(MathFunctions.log2(8)).isEqualTo(3);
        assertThat(MathFunctions.log2(0x1p-1070)).isEqualTo(-1070);
        assertThat(MathFunctions.log2(10)).isCloseTo(3.321928094887362, within(1e-15));
        assertThat(MathFunctions.pow(1, Double.NaN)).isEqualTo(1);
        assertThat(MathFunctions.pow(-1, Double.POSITIVE_INFINITY)).isEqualTo(1);
        assertThat(MathFunctions.pow(2, 10)).isEqualTo(1024);
        assertThat(MathFunctions.sgn(-0.0)).isEqualTo(-0.0);
        assertThat(MathFunctions.sgn(-3)).isEqualTo(-1);
        assertThat(MathFunctions.round(2.5)).isEqualTo(3);
        assertThat(MathFunctions.round(-2.5)).isEqualTo(-2);
        assertThat(MathFunctions.round(0.125, 0.25)).isEqualTo(0.25);
        assertThat(MathFunctions.clamp(5, 0, 3)).isEqualTo(3);
        assertThat(MathFunctions.clampMin(Double.NaN, 0)).isNaN();
        assertThat(MathFunctions.deg(Math.PI)).isEqualTo(180);
        // trig_functions.test values (checked by hand against Go's math package)
        assertThat(MathFunctions.asinh(1)).isCloseTo(0.881373587019543, within(1e-15));
        assertThat(MathFunctions.acosh(2)).isCloseTo(1.3169578969248166, within(1e-15));
        assertThat(MathFunctions.atanh(0.5)).isCloseTo(0.5493061443340549, within(1e-15));
        assertThat(MathFunctions.atanh(1)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void datesInUtc() {
        // functions.test:1453-1532
        double t = 1136239445; // 2006-01-02T22:04:05Z
        assertThat(MathFunctions.year(t)).isEqualTo(2006);
        assertThat(MathFunctions.month(t)).isEqualTo(1);
        assertThat(MathFunctions.dayOfMonth(t)).isEqualTo(2);
        assertThat(MathFunctions.dayOfYear(t)).isEqualTo(2);
        assertThat(MathFunctions.dayOfWeek(t)).isEqualTo(1);
        assertThat(MathFunctions.hour(t)).isEqualTo(22);
        assertThat(MathFunctions.minute(t)).isEqualTo(4);
        assertThat(MathFunctions.dayOfWeek(0)).isEqualTo(4);
        assertThat(MathFunctions.year(1230767999)).isEqualTo(2008);
        assertThat(MathFunctions.year(1230768000)).isEqualTo(2009);
        assertThat(MathFunctions.month(1456790399) + MathFunctions.dayOfMonth(1456790399) / 100).isEqualTo(2.29);
        assertThat(MathFunctions.month(1456790400) + MathFunctions.dayOfMonth(1456790400) / 100).isEqualTo(3.01);
        assertThat(MathFunctions.dayOfYear(1483191420)).isEqualTo(366);
        assertThat(MathFunctions.dayOfYear(1672493820)).isEqualTo(365);
        assertThat(MathFunctions.daysInMonth(1454284800)).isEqualTo(29);
        assertThat(MathFunctions.daysInMonth(1485907200)).isEqualTo(28);
        // Before the epoch: 1969-12-31T23:59:59Z
        assertThat(MathFunctions.year(-1)).isEqualTo(1969);
        assertThat(MathFunctions.hour(-1)).isEqualTo(23);
        assertThat(MathFunctions.dayOfWeek(-1)).isEqualTo(3);
    }
}
