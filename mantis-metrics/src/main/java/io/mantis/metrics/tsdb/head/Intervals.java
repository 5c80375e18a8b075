package io.mantis.metrics.tsdb.head;

import java.util.Arrays;

/** Sorted, disjoint closed intervals kept as a flat (mint, maxt) array; deletions of a series. */
final class Intervals {

    private Intervals() {
    }

    /** {@code set} plus [mint, maxt], merging overlapping and adjacent intervals; a new array. */
    static long[] add(long[] set, long mint, long maxt) {
        if (mint > maxt) {
            return set;
        }
        int n = set == null ? 0 : set.length / 2;
        // the existing intervals with the new one inserted in start order, then merged in one pass
        long[] all = new long[(n + 1) * 2];
        int pos = 0;
        while (pos < n && set[2 * pos] <= mint) {
            pos++;
        }
        if (pos > 0) {
            System.arraycopy(set, 0, all, 0, 2 * pos);
        }
        all[2 * pos] = mint;
        all[2 * pos + 1] = maxt;
        if (pos < n) {
            System.arraycopy(set, 2 * pos, all, 2 * pos + 2, 2 * (n - pos));
        }
        int k = 0;
        for (int i = 0; i <= n; i++) {
            long a = all[2 * i];
            long b = all[2 * i + 1];
            // adjacent (previous end + 1 == start) intervals merge too: timestamps are integers
            if (k > 0 && (all[k - 1] == Long.MAX_VALUE || a <= all[k - 1] + 1)) {
                all[k - 1] = Math.max(all[k - 1], b);
            } else {
                all[k++] = a;
                all[k++] = b;
            }
        }
        return Arrays.copyOf(all, k);
    }

    /** Whether t lies in one of the intervals. */
    static boolean contains(long[] set, long t) {
        if (set == null) {
            return false;
        }
        for (int i = 0; i < set.length; i += 2) {
            if (t < set[i]) {
                return false;
            }
            if (t <= set[i + 1]) {
                return true;
            }
        }
        return false;
    }
}
