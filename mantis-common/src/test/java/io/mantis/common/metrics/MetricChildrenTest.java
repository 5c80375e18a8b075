package io.mantis.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricChildrenTest {

    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void counterCountsIntegralAndFractionalIncrements() {
        Counter c = registry.counter("c", "").unlabelled();
        assertThat(c.get()).isZero();
        c.inc();
        c.inc(4L);
        c.inc(2.0);
        assertThat(c.get()).isEqualTo(7);
        c.inc(0.25);
        c.inc(0.5);
        assertThat(c.get()).isEqualTo(7.75);
        c.inc(0L);
        c.inc(0.0);
        assertThat(c.get()).isEqualTo(7.75);
    }

    @Test
    void counterRejectsNegativeAndNonFiniteIncrements() {
        Counter c = registry.counter("c", "").unlabelled();
        assertThatThrownBy(() -> c.inc(-1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.inc(-0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.inc(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.inc(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.get()).isZero();
    }

    @Test
    void counterHandlesHugeDoubleIncrements() {
        Counter c = registry.counter("c", "").unlabelled();
        c.inc(0x1p63); // 2^63: does not fit in a long
        c.inc(1e300);
        assertThat(c.get()).isEqualTo(1e300, within(1e285));
    }

    @Test
    void gaugeOperations() {
        Gauge g = registry.gauge("g", "").unlabelled();
        assertThat(g.get()).isZero();
        g.set(10);
        g.inc();
        g.dec();
        g.dec();
        g.add(0.5);
        g.add(-2);
        assertThat(g.get()).isEqualTo(7.5);
        g.set(Double.NaN);
        assertThat(g.get()).isNaN();
        g.set(-3);
        assertThat(g.get()).isEqualTo(-3);
    }

    @Test
    void histogramBucketsAreLessOrEqual() {
        Histogram h = registry.histogram("h", "", new double[] {1, 2, 4}).unlabelled();
        for (double v : new double[] {-5, 0, 1, 1.5, 2, 3, 4, 4.0001, 1e9, Double.POSITIVE_INFINITY}) {
            h.observe(v);
        }
        h.observe(Double.NaN); // ignored
        assertThat(h.count()).isEqualTo(10);
        RecordingSink sink = new RecordingSink();
        h.collect(sink, MetricSink.NO_LABELS, MetricSink.NO_LABELS);
        // Cumulative: <=1: -5,0,1  <=2: +1.5,2  <=4: +3,4  +Inf: +4.0001,1e9,Inf
        assertThat(sink.lines).containsExactly(
                "bucket 1.0 3.0", "bucket 2.0 5.0", "bucket 4.0 7.0", "bucket Infinity 10.0",
                "count 10.0", "sum Infinity");
    }

    @Test
    void binarySearchMatchesALinearReference() {
        double[] bounds = Histogram.exponentialBuckets(0.001, 1.5, 30);
        HistogramFamily family = registry.histogram("h", "", bounds, "i");
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            double value = i % 10 == 0 ? bounds[random.nextInt(bounds.length)] // exactly on a bound
                    : random.nextDouble() * 300 - 1;
            Histogram single = family.labels(Integer.toString(i));
            single.observe(value);
            int expected = bounds.length;
            for (int b = 0; b < bounds.length; b++) {
                if (value <= bounds[b]) {
                    expected = b;
                    break;
                }
            }
            RecordingSink sink = new RecordingSink();
            single.collect(sink, MetricSink.NO_LABELS, MetricSink.NO_LABELS);
            // The first bucket whose cumulative count is 1 is the one the value went into.
            int firstNonZero = -1;
            for (int b = 0; b < sink.lines.size(); b++) {
                if (sink.lines.get(b).endsWith(" 1.0")) {
                    firstNonZero = b;
                    break;
                }
            }
            assertThat(firstNonZero).as("value %s", value).isEqualTo(expected);
        }
    }

    @Test
    void histogramSum() {
        Histogram h = registry.histogram("h", "", Histogram.DEFAULT_BUCKETS).unlabelled();
        h.observe(0.5);
        h.observe(0.25);
        assertThat(h.sum()).isEqualTo(0.75);
        assertThat(h.count()).isEqualTo(2);
    }

    @Test
    void bucketHelpers() {
        assertThat(Histogram.DEFAULT_BUCKETS)
                .containsExactly(.005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10);
        assertThat(Histogram.exponentialBuckets(0.001, 2, 4)).containsExactly(0.001, 0.002, 0.004, 0.008);
        assertThat(Histogram.linearBuckets(1, 0.5, 3)).containsExactly(1, 1.5, 2);
        assertThatThrownBy(() -> Histogram.exponentialBuckets(0, 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Histogram.exponentialBuckets(1, 1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Histogram.exponentialBuckets(1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Histogram.linearBuckets(0, 0, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Records bucket/count/sum calls as strings. */
    private static final class RecordingSink implements MetricSink {
        final java.util.List<String> lines = new java.util.ArrayList<>();

        @Override
        public void family(String name, MetricType type, String help, String unit) {
            lines.add("family " + name);
        }

        @Override
        public void sample(String[] labelNames, String[] labelValues, double value, long timestampMillis) {
            lines.add("sample " + value);
        }

        @Override
        public void bucket(String[] labelNames, String[] labelValues, double upperBound, double cumulativeCount) {
            lines.add("bucket " + upperBound + " " + cumulativeCount);
        }

        @Override
        public void quantile(String[] labelNames, String[] labelValues, double quantile, double value) {
            lines.add("quantile " + quantile + " " + value);
        }

        @Override
        public void count(String[] labelNames, String[] labelValues, double count) {
            lines.add("count " + count);
        }

        @Override
        public void sum(String[] labelNames, String[] labelValues, double sum) {
            lines.add("sum " + sum);
        }
    }
}
