package io.mantis.metrics.tsdb.head;

import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A fixed-size ring of the newest exemplars across all series, as Prometheus keeps them: old
 * exemplars are overwritten, never flushed to blocks. Parallel primitive arrays keep it to one
 * object per exemplar (its label set). Queries scan the ring; at the default capacity of 100 000
 * that is well under a millisecond and needs no per-series chains to maintain on overwrite.
 */
final class ExemplarStorage {

    /** One exemplar as returned by a query. */
    record Exemplar(int seriesId, Labels labels, double value, long timestampMillis) {
    }

    private final int capacity;
    private final int[] series;
    private final long[] ts;
    private final double[] values;
    private final Labels[] labels;
    private int next;
    private int size;

    ExemplarStorage(int capacity) {
        this.capacity = capacity;
        int n = Math.max(capacity, 1);
        this.series = new int[n];
        this.ts = new long[n];
        this.values = new double[n];
        this.labels = new Labels[n];
    }

    int capacity() {
        return capacity;
    }

    synchronized int size() {
        return size;
    }

    synchronized void add(int seriesId, Labels exemplarLabels, double value, long t) {
        if (capacity == 0) {
            return;
        }
        series[next] = seriesId;
        ts[next] = t;
        values[next] = value;
        labels[next] = exemplarLabels;
        next = (next + 1) % capacity;
        if (size < capacity) {
            size++;
        }
    }

    /** Exemplars of the series {@code wanted} accepts with timestamps in [mint, maxt], oldest first. */
    synchronized List<Exemplar> select(IntPredicate wanted, long mint, long maxt) {
        List<Exemplar> out = new ArrayList<>();
        int start = size < capacity ? 0 : next;
        for (int k = 0; k < size; k++) {
            int i = (start + k) % capacity;
            if (ts[i] >= mint && ts[i] <= maxt && wanted.test(series[i])) {
                out.add(new Exemplar(series[i], labels[i], values[i], ts[i]));
            }
        }
        return out;
    }
}
