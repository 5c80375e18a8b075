package io.mantis.metrics.ingest;

/**
 * Head series references keyed by a 64-bit hash of the label bytes exactly as a remote-write
 * sender encoded them. Senders encode a series the same way every time, so a known series is found
 * without building its label strings; the caller verifies every hit against the series' labels,
 * which makes a collision or a stale reference (the series left the head) a miss, never a wrong
 * series.
 *
 * <p>Open addressing in primitive arrays, split into independently locked segments so that
 * concurrent writers rarely meet; about 12 bytes per slot.
 */
final class RawSeriesRefs {

    private static final int SEGMENTS = 64;

    private final Segment[] segments = new Segment[SEGMENTS];

    RawSeriesRefs() {
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment();
        }
    }

    /** The reference remembered for {@code hash}, or 0. */
    long get(long hash) {
        long k = key(hash);
        return segment(k).get(k);
    }

    void put(long hash, long ref) {
        long k = key(hash);
        segment(k).put(k, (int) ref);
    }

    int size() {
        int n = 0;
        for (Segment s : segments) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }

    void clear() {
        for (Segment s : segments) {
            synchronized (s) {
                s.keys = new long[Segment.INITIAL];
                s.refs = new int[Segment.INITIAL];
                s.size = 0;
            }
        }
    }

    /** 0 marks an empty slot. */
    private static long key(long hash) {
        return hash == 0 ? 1 : hash;
    }

    private Segment segment(long key) {
        return segments[(int) (key >>> 58)];
    }

    private static final class Segment {
        static final int INITIAL = 1024;

        long[] keys = new long[INITIAL];
        int[] refs = new int[INITIAL];
        int size;

        synchronized long get(long key) {
            long[] ks = keys;
            int mask = ks.length - 1;
            for (int i = (int) key & mask; ; i = (i + 1) & mask) {
                long k = ks[i];
                if (k == key) {
                    return refs[i] & 0xFFFFFFFFL;
                }
                if (k == 0) {
                    return 0;
                }
            }
        }

        synchronized void put(long key, int ref) {
            if ((size + 1) * 10L > keys.length * 7L) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = (int) key & mask; ; i = (i + 1) & mask) {
                long k = keys[i];
                if (k == key) {
                    refs[i] = ref;
                    return;
                }
                if (k == 0) {
                    keys[i] = key;
                    refs[i] = ref;
                    size++;
                    return;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldRefs = refs;
            keys = new long[oldKeys.length * 2];
            refs = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                long k = oldKeys[j];
                if (k != 0) {
                    int i = (int) k & mask;
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = k;
                    refs[i] = oldRefs[j];
                }
            }
        }
    }
}
