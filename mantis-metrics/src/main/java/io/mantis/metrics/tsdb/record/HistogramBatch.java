package io.mantis.metrics.tsdb.record;

import io.mantis.otlp.prometheus.NativeHistogram;
import java.util.Arrays;

/**
 * The entries of a histogram record (HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES or their
 * CUSTOM_BUCKETS_ variants): native histogram samples of series, at the histograms' own timestamps.
 *
 * <p>Reusable: {@link #clear()} keeps the arrays, so a holder that has grown to the largest
 * record decodes the next ones without allocating (beyond the objects a record holds).
 */
public final class HistogramBatch {

    private long[] refs = new long[16];
    private NativeHistogram[] histograms = new NativeHistogram[16];
    private int size;

    /** Empties the holder, keeping its capacity. */
    public HistogramBatch clear() {
        Arrays.fill(histograms, 0, size, null);
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** Adds an entry. */
    public HistogramBatch add(long ref, NativeHistogram histogram) {
        if (size == refs.length) {
            grow();
        }
        refs[size] = ref;
        histograms[size] = histogram;
        size++;
        return this;
    }

    /** The series reference of entry {@code i}. */
    public long ref(int i) {
        return refs[i];
    }

    /** The histogram of entry {@code i}; its timestamp is the sample's. */
    public NativeHistogram histogram(int i) {
        return histograms[i];
    }

    private void grow() {
        int capacity = refs.length * 2;
        refs = Arrays.copyOf(refs, capacity);
        histograms = Arrays.copyOf(histograms, capacity);
    }
}
