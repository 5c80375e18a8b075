package io.mantis.metrics.tsdb.block;

import java.util.Arrays;

/**
 * Sorted, merged closed time intervals {@code [mint, maxt]} (no two overlap or touch). Immutable;
 * the deleted ranges of one series.
 */
public final class Intervals {

    public static final Intervals EMPTY = new Intervals(new long[0]);

    /** mint0, maxt0, mint1, maxt1, ... */
    private final long[] bounds;

    private Intervals(long[] bounds) {
        this.bounds = bounds;
    }

    public static Intervals of(long mint, long maxt) {
        check(mint, maxt);
        return new Intervals(new long[] {mint, maxt});
    }

    private static void check(long mint, long maxt) {
        if (mint > maxt) {
            throw new IllegalArgumentException("interval [" + mint + ", " + maxt + "] is empty");
        }
    }

    public int size() {
        return bounds.length / 2;
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    public long mint(int i) {
        return bounds[2 * i];
    }

    public long maxt(int i) {
        return bounds[2 * i + 1];
    }

    /** These intervals plus {@code [mint, maxt]}, merged. */
    public Intervals add(long mint, long maxt) {
        check(mint, maxt);
        int n = size();
        long[] out = new long[bounds.length + 2];
        int o = 0;
        int i = 0;
        // intervals ending before mint - 1 stay as they are (touching ones merge)
        while (i < n && maxt(i) < mint && maxt(i) + 1 < mint) {
            out[o++] = mint(i);
            out[o++] = maxt(i);
            i++;
        }
        long lo = mint;
        long hi = maxt;
        while (i < n && (mint(i) <= hi || mint(i) - 1 <= hi)) {
            lo = Math.min(lo, mint(i));
            hi = Math.max(hi, maxt(i));
            i++;
        }
        out[o++] = lo;
        out[o++] = hi;
        while (i < n) {
            out[o++] = mint(i);
            out[o++] = maxt(i);
            i++;
        }
        return new Intervals(o == out.length ? out : Arrays.copyOf(out, o));
    }

    /** These intervals plus all of {@code other}'s. */
    public Intervals union(Intervals other) {
        Intervals r = this;
        for (int i = 0; i < other.size(); i++) {
            r = r.add(other.mint(i), other.maxt(i));
        }
        return r;
    }

    /**
     * Index of the first interval whose end is {@code >= t}, or {@link #size()}: where an
     * iterator moving forward in time looks next.
     */
    public int indexFrom(long t) {
        int lo = 0;
        int hi = size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (maxt(mid) < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether {@code t} lies in one of the intervals. */
    public boolean contains(long t) {
        int i = indexFrom(t);
        return i < size() && mint(i) <= t;
    }

    /** Whether all of {@code [mint, maxt]} lies in one interval. */
    public boolean covers(long mint, long maxt) {
        int i = indexFrom(mint);
        return i < size() && mint(i) <= mint && maxt(i) >= maxt;
    }

    /** Whether some interval intersects {@code [mint, maxt]}. */
    public boolean intersects(long mint, long maxt) {
        int i = indexFrom(mint);
        return i < size() && mint(i) <= maxt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Intervals other && Arrays.equals(bounds, other.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('[').append(mint(i)).append(", ").append(maxt(i)).append(']');
        }
        return sb.append(']').toString();
    }
}
