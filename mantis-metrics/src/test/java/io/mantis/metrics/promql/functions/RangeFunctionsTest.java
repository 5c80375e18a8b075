package io.mantis.metrics.promql.functions;

import static io.mantis.metrics.promql.functions.Series.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Expected values come from the promqltest scripts (file:line of the eval) or are worked by hand. */
class RangeFunctionsTest {

    private static double close(double expected) {
        return Math.abs(expected) * 1e-9;
    }

    enum Fn {
        RATE, INCREASE, DELTA, IRATE, IDELTA, RESETS, CHANGES, DERIV, AVG, SUM, MIN, MAX, STDDEV, STDVAR
    }

    static double apply(Fn fn, Series s, long at, long range) {
        int from = s.from(at, range);
        int to = s.to(at);
        long start = at - range;
        return switch (fn) {
            case RATE -> RangeFunctions.rate(s.t, s.v, from, to, null, start, at);
            case INCREASE -> RangeFunctions.increase(s.t, s.v, from, to, null, start, at);
            case DELTA -> RangeFunctions.delta(s.t, s.v, from, to, start, at);
            case IRATE -> RangeFunctions.instantValue(s.t, s.v, from, to, null, true);
            case IDELTA -> RangeFunctions.instantValue(s.t, s.v, from, to, null, false);
            case RESETS -> RangeFunctions.resets(s.t, s.v, from, to, null, null, 0, 0);
            case CHANGES -> RangeFunctions.changes(s.t, s.v, from, to, null, null, 0, 0);
            case DERIV -> RangeFunctions.deriv(s.t, s.v, from, to);
            case AVG -> RangeFunctions.avgOverTime(s.v, from, to);
            case SUM -> RangeFunctions.sumOverTime(s.v, from, to);
            case MIN -> RangeFunctions.minOverTime(s.v, from, to);
            case MAX -> RangeFunctions.maxOverTime(s.v, from, to);
            case STDDEV -> RangeFunctions.stddevOverTime(s.v, from, to);
            case STDVAR -> RangeFunctions.stdvarOverTime(s.v, from, to);
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // functions.test:23-41 resets(http_requests[...]) for /foo and /bar
                Arguments.of("functions.test:24", Fn.RESETS, "1 2 3 0 1 0 0 1 2 0", 5, 50, 20, 1.0),
                Arguments.of("functions.test:34", Fn.RESETS, "1 2 3 0 1 0 0 1 2 0", 5, 50, 32, 2.0),
                Arguments.of("functions.test:35", Fn.RESETS, "1 2 3 4 5 1 2 3 4 5", 5, 50, 32, 1.0),
                Arguments.of("functions.test:39", Fn.RESETS, "1 2 3 0 1 0 0 1 2 0", 5, 50, 50, 3.0),
                // functions.test:76-78 changes(http_requests[50m])
                Arguments.of("functions.test:76", Fn.CHANGES, "1 2 3 0 1 0 0 1 2 0", 5, 50, 50, 7.0),
                Arguments.of("functions.test:77", Fn.CHANGES, "1 2 3 4 5 1 2 3 4 5", 5, 50, 50, 8.0),
                Arguments.of("functions.test:110", Fn.CHANGES, "0 NaN 0", 5, 15, 20, 2.0),
                Arguments.of("functions.test:109", Fn.CHANGES, "NaN NaN NaN", 5, 15, 20, 0.0),
                // functions.test:122-139 increase()
                Arguments.of("functions.test:123", Fn.INCREASE, "0+10x10", 5, 50, 50, 100.0),
                Arguments.of("functions.test:124", Fn.INCREASE, "0+18x5 0+18x5", 5, 50, 50, 160.0),
                Arguments.of("functions.test:137", Fn.INCREASE, "0+18x5 0+18x5", 5, 50, 100, 162.0),
                Arguments.of("functions.test:138", Fn.INCREASE, "10+10x10", 5, 50, 100, 105.0),
                Arguments.of("functions.test:139", Fn.INCREASE, "1+10x10", 5, 50, 100, 101.0),
                Arguments.of("functions.test:151", Fn.INCREASE, "0 1 2 3 2 3 4", 5, 30, 30, 7.0),
                // functions.test:161 rate with a reset in the middle
                Arguments.of("functions.test:162", Fn.RATE, "0+27x4 0+27x5", 5, 50, 50, 0.08),
                Arguments.of("functions.test:168", Fn.RATE, "0+10x9 0 10", 5, 50, 6, 0.0),
                Arguments.of("functions.test:179", Fn.RATE, "0+80x10", 5, 50, 50, 0.26666666666666666),
                // functions.test:198-213 zero cutoff of the left extrapolation
                Arguments.of("functions.test:199", Fn.RATE, "0+240x10", 4, 10, 20, 0.5),
                Arguments.of("functions.test:200", Fn.RATE, "60+240x10", 4, 10, 20, 0.55),
                Arguments.of("functions.test:201", Fn.RATE, "120+240x10", 4, 10, 20, 0.6),
                Arguments.of("functions.test:204", Fn.RATE, "300+240x10", 4, 10, 20, 0.6),
                Arguments.of("functions.test:208", Fn.RATE, "0+240x10", 4, 50, 20, 0.6),
                // functions.test:230-239 irate
                Arguments.of("functions.test:232", Fn.IRATE, "0+10x10", 5, 50, 50, 0.03333333333333333),
                Arguments.of("functions.test:239", Fn.IRATE, "0+10x5 0+10x5", 5, 30, 50, 0.0),
                // functions.test:285-288 delta, 319-322 idelta
                Arguments.of("functions.test:287", Fn.DELTA, "0 50 100 150 200", 5, 20, 20, 200.0),
                Arguments.of("functions.test:288", Fn.DELTA, "200 150 100 50 0", 5, 20, 20, -200.0),
                Arguments.of("functions.test:321", Fn.IDELTA, "0 50 100 150", 5, 20, 20, 50.0),
                Arguments.of("functions.test:322", Fn.IDELTA, "0 50 100 50", 5, 20, 20, -50.0),
                // Hand-computed: a line of slope 10 per 5m.
                Arguments.of("hand: deriv of a line", Fn.DERIV, "0+10x10", 5, 50, 50, 10.0 / 300),
                Arguments.of("hand: avg of 1..4", Fn.AVG, "1 2 3 4", 1, 3, 10, 2.5),
                Arguments.of("hand: sum of 1..4", Fn.SUM, "1 2 3 4", 1, 3, 10, 10.0),
                Arguments.of("hand: min ignores NaN", Fn.MIN, "NaN 3 1 NaN", 1, 3, 10, 1.0),
                Arguments.of("hand: max ignores NaN", Fn.MAX, "NaN 3 1 NaN", 1, 3, 10, 3.0),
                Arguments.of("hand: stdvar of 2 4 4 4 5 5 7 9", Fn.STDVAR, "2 4 4 4 5 5 7 9", 1, 7, 10, 4.0),
                Arguments.of("hand: stddev of 2 4 4 4 5 5 7 9", Fn.STDDEV, "2 4 4 4 5 5 7 9", 1, 7, 10, 2.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPrometheus(String source, Fn fn, String spec, int intervalMinutes, int atMinutes, int rangeMinutes,
            double expected) {
        Series s = Series.load(m(intervalMinutes), spec);
        double got = apply(fn, s, m(atMinutes), m(rangeMinutes));
        assertThat(RangeFunctions.isNone(got)).as("has a result").isFalse();
        assertThat(got).isCloseTo(expected, within(close(expected) + 1e-12));
    }

    @Test
    void noOutputWithTooFewSamples() {
        // functions.test:11 resets(http_requests[5m]) at 50m: the left-open range holds one sample
        // for rate, none for changes' empty window at 5m? One sample: resets gives 0, rate gives nothing.
        Series s = Series.load(m(5), "1 2 3 0 1 0 0 1 2 0");
        assertThat(RangeFunctions.isNone(apply(Fn.RATE, s, m(45), m(5)))).isTrue();
        // functions.test:165 rate(testcounter_reset_end_total[5m]) has no result
        Series reset = Series.load(m(5), "0+10x9 0 10");
        assertThat(RangeFunctions.isNone(apply(Fn.RATE, reset, m(50), m(5)))).isTrue();
        assertThat(RangeFunctions.isNone(RangeFunctions.avgOverTime(s.v, 3, 3))).isTrue();
        assertThat(RangeFunctions.isNone(Double.NaN)).isFalse();
    }

    @Test
    void irateKeepsNaNs() {
        // functions.test:241 irate(http_requests_nan[15m1s]) over 1 NaN NaN 5 11
        Series s = Series.load(m(5), "1 NaN NaN 5 11");
        assertThat(apply(Fn.IRATE, s, m(5), m(15) + 1000)).isNaN();
        assertThat(apply(Fn.IRATE, s, m(20), m(15) + 1000)).isCloseTo(0.02, within(1e-12));
        // functions.test:324 idelta
        assertThat(apply(Fn.IDELTA, s, m(20), m(15) + 1000)).isEqualTo(6);
    }

    @Test
    void predictLinearAndSmoothing() {
        // Hand: a line 0,10,20,... every 5m predicts +10 per 5m from the evaluation time.
        Series s = Series.load(m(5), "0+10x10");
        double p = RangeFunctions.predictLinear(s.t, s.v, 0, s.size, m(50), 3600);
        assertThat(p).isCloseTo(100 + 120, within(1e-9));
        // Constant series: slope 0, intercept the constant; infinite constant gives NaN.
        Series c = Series.load(m(1), "3x4");
        assertThat(RangeFunctions.predictLinear(c.t, c.v, 0, c.size, m(4), 100)).isEqualTo(3);
        Series inf = Series.load(m(1), "Inf Inf");
        assertThat(RangeFunctions.deriv(inf.t, inf.v, 0, inf.size)).isNaN();
        // Hand-computed double exponential smoothing of 1,2,3 with sf=tf=0.5:
        // s1=1,b=1; i=1: x=1, y=0.5*(1+1)=1 -> s1=2; i=2: b=0.5*(2-1)+0.5*1=1, x=1.5, y=0.5*(2+1)=1.5 -> 3
        assertThat(RangeFunctions.doubleExponentialSmoothing(new double[] {1, 2, 3}, 0, 3, 0.5, 0.5)).isEqualTo(3);
        assertThat(RangeFunctions.checkSmoothingFactors(1, 0.5))
                .isEqualTo("invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000");
        assertThat(RangeFunctions.checkSmoothingFactors(0.5, 0.5)).isNull();
    }

    @Test
    void avgOverTimeSwitchesToIncrementalMeanOnOverflow() {
        double max = Double.MAX_VALUE;
        double[] v = {max, max, -max, 0};
        // Direct summing overflows at the second value; the incremental mean gets (max+max-max+0)/4.
        assertThat(RangeFunctions.avgOverTime(v, 0, 4)).isCloseTo(max / 4, within(max * 1e-12));
        // Kahan keeps small values next to large ones (functions.test avg_over_time precision cases).
        assertThat(RangeFunctions.avgOverTime(new double[] {1e100, 1, -1e100, 1}, 0, 4)).isEqualTo(0.5);
        assertThat(RangeFunctions.sumOverTime(new double[] {1e100, 1, -1e100, 1}, 0, 4)).isEqualTo(2);
    }

    @Test
    void quantileAndMadOverTime() {
        double[] v = {4, 1, 3, 2};
        double[] scratch = new double[4];
        Notes notes = new Notes();
        assertThat(RangeFunctions.quantileOverTime(0.5, v, 0, 4, scratch, notes)).isEqualTo(2.5);
        assertThat(v).containsExactly(4, 1, 3, 2);
        assertThat(RangeFunctions.quantileOverTime(0.75, v, 0, 4, scratch, notes)).isEqualTo(3.25);
        assertThat(notes.flags()).isZero();
        assertThat(RangeFunctions.quantileOverTime(2, v, 0, 4, scratch, notes)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(notes.has(Notes.INVALID_QUANTILE)).isTrue();
        // median 2.5, deviations 1.5 1.5 0.5 0.5 -> median 1
        assertThat(RangeFunctions.madOverTime(v, 0, 4, scratch)).isEqualTo(1);
    }

    @Test
    void tsOfMinMaxTakeTheLastOccurrence() {
        long[] t = {1000, 2000, 3000, 4000};
        double[] v = {5, 1, 5, 1};
        assertThat(RangeFunctions.tsOfMaxOverTime(t, v, 0, 4)).isEqualTo(3);
        assertThat(RangeFunctions.tsOfMinOverTime(t, v, 0, 4)).isEqualTo(4);
        assertThat(RangeFunctions.tsOfFirst(Long.MIN_VALUE, 2500)).isEqualTo(2.5);
    }

    @Test
    void anchoredAndSmoothedRate() {
        // Hand: samples 0 at 0s, 10 at 60s, 20 at 120s; range (30s, 90s].
        long[] t = {0, 60_000, 120_000};
        double[] v = {0, 10, 20};
        // Anchored: last sample at/before start (0) to last in range (10).
        assertThat(RangeFunctions.extendedRate(t, v, 0, 2, 30_000, 90_000, true, false, false)).isEqualTo(10);
        // Smoothed: interpolated 5 at 30s and 15 at 90s.
        assertThat(RangeFunctions.extendedRate(t, v, 0, 3, 30_000, 90_000, true, false, true)).isEqualTo(10);
        assertThat(RangeFunctions.extendedRate(t, v, 0, 3, 30_000, 90_000, true, true, true))
                .isCloseTo(10 / 60.0, within(1e-12));
        // A reset counts the new value from zero: 10 -> (reset) 2 -> 4 increases by 2 + 2.
        double[] reset = {10, 2, 4};
        assertThat(RangeFunctions.extendedRate(t, reset, 0, 3, 0, 120_000, true, false, false)).isEqualTo(4);
    }

    @Test
    void startTimestampsRevealResets() {
        long[] t = {0, 60_000, 120_000};
        double[] v = {10, 15, 20};
        long[] st = {-1000, -1000, 90_000};
        // The third sample started after the second: a reset, so its whole value counts.
        double withSt = RangeFunctions.increase(t, v, 0, 3, st, -1, 120_000);
        double without = RangeFunctions.increase(t, v, 0, 3, null, -1, 120_000);
        assertThat(withSt).isGreaterThan(without);
        assertThat(RangeFunctions.isStartTimestampReset(0, 60_000, 60_000, 120_000)).isFalse();
        assertThat(RangeFunctions.isStartTimestampReset(5, 60_000, 60_000, 120_000)).isTrue();
    }

    @Test
    void rateOverAWindowAllocatesNothing() {
        Series s = Series.load(m(0.25), "0+10x200 0+10x200");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += RangeFunctions.rate(s.t, s.v, i % 50, s.size, null, -1, s.t[s.size - 1]);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            sink += RangeFunctions.rate(s.t, s.v, i % 50, s.size, null, -1, s.t[s.size - 1]);
            sink += RangeFunctions.avgOverTime(s.v, i % 50, s.size);
            sink += RangeFunctions.deriv(s.t, s.v, i % 50, s.size);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isFinite();
        // Measuring itself may box a little; thirty thousand kernel calls must not allocate per call.
        assertThat(allocated).isLessThan(1024);
    }
}
