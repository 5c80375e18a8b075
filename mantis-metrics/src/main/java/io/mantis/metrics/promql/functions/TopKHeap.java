package io.mantis.metrics.promql.functions;

import java.util.Arrays;

/**
 * The k-element selection of {@code topk} / {@code bottomk} for one group, replaying
 * Prometheus' heap operations step by step so that ties and NaNs end up where Prometheus puts
 * them: NaN ranks below every number, a newcomer only replaces the heap's weakest element when it
 * is strictly better, and the final order is by value (descending for topk, ascending for
 * bottomk) with NaNs last. Works on the caller's series indexes; reusable and allocation-free
 * once grown.
 */
public final class TopKHeap {

    private int[] ids = new int[8];
    private double[] vals = new double[8];
    private int size;
    private long k;
    private boolean bottom;

    /** Starts a group; {@code k < 1} selects nothing. */
    public TopKHeap reset(long k, boolean bottom) {
        this.k = k;
        this.bottom = bottom;
        size = 0;
        return this;
    }

    /** Offers series {@code id} with value {@code v}, in input order. */
    public void offer(int id, double v) {
        if (k < 1) {
            return;
        }
        if (size < k) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                vals = Arrays.copyOf(vals, size * 2);
            }
            ids[size] = id;
            vals[size] = v;
            size++;
            up(size - 1);
            return;
        }
        double top = vals[0];
        boolean better = bottom ? top > v : top < v;
        if (better || Double.isNaN(top) && !Double.isNaN(v)) {
            ids[0] = id;
            vals[0] = v;
            if (k > 1 && !down(0, size)) {
                up(0);
            }
        }
    }

    /** Orders the selection for output; then read {@link #id(int)} / {@link #value(int)}. */
    public void finish() {
        if (size <= 1) {
            return;
        }
        if (size <= 12) {
            // Go's sort uses insertion sort for short inputs; replaying it keeps tie order.
            for (int i = 1; i < size; i++) {
                for (int j = i; j > 0 && less(j - 1, j); j--) {
                    swap(j, j - 1);
                }
            }
            return;
        }
        // Longer selections: a stable sort by the same order (ties may differ from Prometheus).
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> less(b, a) ? -1 : less(a, b) ? 1 : 0);
        int[] newIds = new int[size];
        double[] newVals = new double[size];
        for (int i = 0; i < size; i++) {
            newIds[i] = ids[order[i]];
            newVals[i] = vals[order[i]];
        }
        System.arraycopy(newIds, 0, ids, 0, size);
        System.arraycopy(newVals, 0, vals, 0, size);
    }

    public int size() {
        return size;
    }

    public int id(int i) {
        return ids[i];
    }

    public double value(int i) {
        return vals[i];
    }

    /** The heap order: the weakest element is "least" (NaN weakest of all). */
    private boolean less(int i, int j) {
        double vi = vals[i];
        if (Double.isNaN(vi)) {
            return true;
        }
        return bottom ? vi > vals[j] : vi < vals[j];
    }

    private void swap(int i, int j) {
        int id = ids[i];
        ids[i] = ids[j];
        ids[j] = id;
        double v = vals[i];
        vals[i] = vals[j];
        vals[j] = v;
    }

    private void up(int j) {
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(j, i)) {
                break;
            }
            swap(i, j);
            j = i;
        }
    }

    private boolean down(int i0, int n) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) {
                break;
            }
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(j2, j1)) {
                j = j2;
            }
            if (!less(j, i)) {
                break;
            }
            swap(i, j);
            i = j;
        }
        return i > i0;
    }
}
