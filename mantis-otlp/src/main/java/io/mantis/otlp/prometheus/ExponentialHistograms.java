package io.mantis.otlp.prometheus;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * OTLP exponential histogram points to Prometheus native histograms.
 *
 * <p>The two bucket layouts are the same family of base-2 exponential buckets, with two
 * differences handled here:
 * <ul>
 *   <li>OTLP bucket {@code i} covers {@code (base^i, base^(i+1)]} while Prometheus bucket
 *       {@code i} covers {@code (base^(i-1), base^i]}, so Prometheus index = OTLP index + 1.</li>
 *   <li>Prometheus only knows schemas -4..8. A finer OTLP scale {@code s > 8} is brought down to
 *       8 by merging each group of {@code 2^(s-8)} adjacent buckets: at scale {@code s - d} the
 *       bucket holding OTLP bucket {@code i} is {@code i >> d} (an arithmetic shift, which floors
 *       negative indexes too). Counts are only added up, so no observation is lost. A scale
 *       below -4 would need buckets split, which cannot be done, so such points are refused.</li>
 * </ul>
 */
final class ExponentialHistograms {

    static final int MIN_SCHEMA = -4;
    static final int MAX_SCHEMA = 8;

    /**
     * Zero threshold used when the OTLP point leaves it at 0 (older SDKs); the collector uses
     * this same tiny width so that only exact zeros land in the zero bucket.
     */
    static final double DEFAULT_ZERO_THRESHOLD = 1e-128;

    private ExponentialHistograms() {
    }

    /**
     * Converts one point, or returns {@code null} if its scale is below {@link #MIN_SCHEMA}.
     * A stale point becomes a histogram whose sum is the stale NaN and that has no buckets.
     */
    static NativeHistogram toNative(ExponentialHistogramDataPoint p, long timestampMillis, boolean stale) {
        int scale = p.getScale();
        if (scale < MIN_SCHEMA) {
            return null;
        }
        int scaleDown = Math.max(0, scale - MAX_SCHEMA);
        int schema = scale - scaleDown;
        double zeroThreshold = p.getZeroThreshold() > 0 ? p.getZeroThreshold() : DEFAULT_ZERO_THRESHOLD;
        if (stale) {
            return NativeHistogram.ofIntegers(timestampMillis, schema, zeroThreshold, 0, 0, SeriesSink.STALE_NAN,
                    List.of(), new long[0], List.of(), new long[0], NativeHistogram.ResetHint.UNKNOWN);
        }
        SpanBuilder positive = new SpanBuilder();
        SpanBuilder negative = new SpanBuilder();
        convert(p.getPositive(), scaleDown, positive);
        convert(p.getNegative(), scaleDown, negative);
        long[] positiveDeltas = positive.finish();
        long[] negativeDeltas = negative.finish();
        return NativeHistogram.ofIntegers(timestampMillis, schema, zeroThreshold, p.getZeroCount(), p.getCount(),
                p.hasSum() ? p.getSum() : 0,
                positive.spans, positiveDeltas, negative.spans, negativeDeltas,
                NativeHistogram.ResetHint.UNKNOWN);
    }

    private static void convert(ExponentialHistogramDataPoint.Buckets buckets, int scaleDown, SpanBuilder out) {
        int n = buckets.getBucketCountsCount();
        long offset = buckets.getOffset();
        long pendingIndex = 0;
        long pending = 0;
        boolean hasPending = false;
        for (int i = 0; i < n; i++) {
            long count = buckets.getBucketCounts(i);
            long promIndex = ((offset + i) >> scaleDown) + 1;
            if (hasPending && promIndex == pendingIndex) {
                pending += count;
                continue;
            }
            if (hasPending) {
                out.add(pendingIndex, pending);
            }
            pendingIndex = promIndex;
            pending = count;
            hasPending = true;
        }
        if (hasPending) {
            out.add(pendingIndex, pending);
        }
    }

    /**
     * Builds spans and deltas from buckets given in increasing index order. Empty buckets are
     * left out; a gap of up to two buckets is filled with explicit zeros instead of starting a
     * new span, because a span costs more bytes than two zero deltas (the same trade-off
     * Prometheus' own clients make).
     */
    static final class SpanBuilder {
        final List<NativeHistogram.BucketSpan> spans = new ArrayList<>();
        private long[] deltas = new long[16];
        private int deltaCount;
        private long lastIndex;
        private long lastCount;
        private int spanOffset;
        private int spanLength;
        private boolean open;

        void add(long index, long count) {
            if (count == 0) {
                return;
            }
            if (!open) {
                spanOffset = Math.toIntExact(index);
                spanLength = 0;
                open = true;
            } else {
                long gap = index - lastIndex - 1;
                if (gap > 2) {
                    spans.add(new NativeHistogram.BucketSpan(spanOffset, spanLength));
                    spanOffset = Math.toIntExact(gap);
                    spanLength = 0;
                } else {
                    for (long g = 0; g < gap; g++) {
                        appendDelta(0);
                    }
                }
            }
            appendDelta(count);
            lastIndex = index;
        }

        private void appendDelta(long count) {
            if (deltaCount == deltas.length) {
                deltas = Arrays.copyOf(deltas, deltaCount * 2);
            }
            deltas[deltaCount++] = count - lastCount;
            lastCount = count;
            spanLength++;
        }

        /** Closes the last span and returns the deltas; {@link #spans} is complete afterwards. */
        long[] finish() {
            if (open) {
                spans.add(new NativeHistogram.BucketSpan(spanOffset, spanLength));
                open = false;
            }
            return Arrays.copyOf(deltas, deltaCount);
        }
    }
}
