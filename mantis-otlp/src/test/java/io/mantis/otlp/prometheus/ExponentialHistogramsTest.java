package io.mantis.otlp.prometheus;

import static io.mantis.otlp.prometheus.Otlp.buckets;
import static io.mantis.otlp.prometheus.Otlp.expPoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExponentialHistogramsTest {

    private static NativeHistogram convert(ExponentialHistogramDataPoint.Builder p) {
        return ExponentialHistograms.toNative(p.build(), 1000, false);
    }

    @Test
    void indexesShiftByOneAndSmallGapsAreFilled() {
        NativeHistogram h = convert(expPoint(0, 0, 0, 0, buckets(0, 1, 0, 0, 2), buckets(0)));
        assertThat(h.positiveSpans()).containsExactly(new NativeHistogram.BucketSpan(1, 4));
        assertThat(h.positiveDeltas()).containsExactly(1, -1, 0, 2);
        assertThat(h.negativeSpans()).isEmpty();
        assertThat(h.negativeDeltas()).isEmpty();
    }

    @Test
    void gapsOfMoreThanTwoStartANewSpan() {
        NativeHistogram h = convert(expPoint(0, 0, 0, 0, buckets(-3, 1, 0, 0, 0, 2, 3), buckets(0)));
        // OTLP -3 -> Prometheus -2; OTLP 1, 2 -> Prometheus 2, 3; gap of 3 between -2 and 2.
        assertThat(h.positiveSpans()).containsExactly(
                new NativeHistogram.BucketSpan(-2, 1), new NativeHistogram.BucketSpan(3, 2));
        assertThat(h.positiveDeltas()).containsExactly(1, 1, 1);
        assertThat(h.positiveBuckets()).containsExactly(
                new NativeHistogram.Bucket(-2, 1), new NativeHistogram.Bucket(2, 2), new NativeHistogram.Bucket(3, 3));
    }

    @Test
    void leadingAndTrailingEmptyBucketsAreLeftOut() {
        NativeHistogram h = convert(expPoint(0, 2, 0, 0, buckets(5, 0, 0, 7, 0, 0), buckets(-1, 0, 4)));
        assertThat(h.positiveBuckets()).containsExactly(new NativeHistogram.Bucket(8, 7));
        assertThat(h.negativeBuckets()).containsExactly(new NativeHistogram.Bucket(1, 4));
        assertThat(h.schema()).isEqualTo(2);
        assertThat(h.count()).isEqualTo(11);
    }

    @Test
    void scaleAboveEightIsMergedDownToSchemaEight() {
        // Scale 10 -> 8 merges groups of four OTLP buckets: OTLP -3..-1 -> -1, 0..2 -> 0.
        NativeHistogram h = convert(expPoint(0, 10, 3, 5.5, buckets(-3, 1, 2, 3, 4, 5, 6), buckets(0)));
        assertThat(h.schema()).isEqualTo(8);
        assertThat(h.positiveSpans()).containsExactly(new NativeHistogram.BucketSpan(0, 2));
        assertThat(h.positiveDeltas()).containsExactly(6, 9);
        assertThat(h.count()).isEqualTo(24);
        assertThat(h.zeroCount()).isEqualTo(3);
        assertThat(h.sum()).isEqualTo(5.5);
    }

    /**
     * For random layouts at scales 9..20, every OTLP bucket must land in the one Prometheus
     * bucket whose range contains it, and counts must add up exactly. Ranges are compared as
     * exponent intervals: OTLP bucket i at scale s is (i, i+1] / 2^s, Prometheus bucket j at
     * schema 8 is (j-1, j] / 2^8.
     */
    @Test
    void downscalingPreservesCountsAndBucketRanges() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int scale = 9 + random.nextInt(12);
            int offset = random.nextInt(4001) - 2000;
            int n = 1 + random.nextInt(300);
            long[] counts = new long[n];
            long total = 0;
            for (int i = 0; i < n; i++) {
                counts[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(1000);
                total += counts[i];
            }
            NativeHistogram h = convert(expPoint(0, scale, 0, 0, buckets(offset, counts), buckets(offset, counts)));
            assertThat(h.schema()).isEqualTo(8);
            assertThat(h.count()).isEqualTo(2 * total);

            for (List<NativeHistogram.Bucket> side : List.of(h.positiveBuckets(), h.negativeBuckets())) {
                TreeMap<Integer, Long> expected = new TreeMap<>();
                long factor = 1L << (scale - 8);
                for (int i = 0; i < n; i++) {
                    if (counts[i] == 0) {
                        continue;
                    }
                    long otlpIndex = offset + i;
                    int match = Integer.MIN_VALUE;
                    for (NativeHistogram.Bucket b : side) {
                        long j = b.index();
                        if ((j - 1) * factor <= otlpIndex && otlpIndex + 1 <= j * factor) {
                            assertThat(match).as("bucket contained twice").isEqualTo(Integer.MIN_VALUE);
                            match = b.index();
                        }
                    }
                    assertThat(match).as("OTLP bucket %d at scale %d has a home", otlpIndex, scale)
                            .isNotEqualTo(Integer.MIN_VALUE);
                    expected.merge(match, counts[i], Long::sum);
                }
                TreeMap<Integer, Long> actual = new TreeMap<>();
                for (NativeHistogram.Bucket b : side) {
                    if (b.count() != 0) {
                        actual.put(b.index(), (long) b.count());
                    }
                }
                assertThat(actual).isEqualTo(expected);
                assertThat(actual.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
            }
        }
    }

    @Test
    void zeroThresholdComesFromThePointOrDefaultsToTheCollectorsValue() {
        assertThat(convert(expPoint(0, 0, 1, 0, buckets(0), buckets(0))).zeroThreshold()).isEqualTo(1e-128);
        assertThat(convert(expPoint(0, 0, 1, 0, buckets(0), buckets(0)).setZeroThreshold(0.001)).zeroThreshold())
                .isEqualTo(0.001);
    }

    @Test
    void scaleBelowMinusFourCannotBeConverted() {
        assertThat(convert(expPoint(0, -5, 0, 0, buckets(0, 1), buckets(0)))).isNull();
        assertThat(convert(expPoint(0, -4, 0, 0, buckets(0, 1), buckets(0))).schema()).isEqualTo(-4);
    }

    @Test
    void emptyHistogramHasNoSpans() {
        NativeHistogram h = convert(expPoint(0, 0, 0, 0, buckets(0), buckets(0)));
        assertThat(h.positiveSpans()).isEmpty();
        assertThat(h.count()).isZero();
    }
}
