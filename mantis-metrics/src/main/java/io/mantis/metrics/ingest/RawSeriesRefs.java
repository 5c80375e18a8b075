package io.mantis.metrics.ingest;

/**
 * Head series references keyed by a 64-bit hash of the label bytes exactly as a remote-write
 * sender encoded them. Senders encode a series the same way every time, so a known series is found
 * without building its label strings; the caller verifies every hit against the series' labels,
 * which makes a collision or a stale reference (the series left the head) a miss, never a wrong
 * series.
 *
 * <p>Because every hit is verified, the table may be approximate, and that makes it cheap: a slot
 * is one {@code long}, the low 32 bits of the hash (which also give the slot, and the top bits of
 * the hash the segment) over the 32-bit reference, so a lookup costs one cache miss, and readers
 * take no lock (a reader racing a writer sees the old entry, none, or the new one, each safe).
 * Writers lock their segment; 64 segments keep them apart.
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
        return segments[(int) (hash >>> 58)].get(hash);
    }

    void put(long hash, long ref) {
        if (ref <= 0 || ref > 0xFFFF_FFFFL) {
            return; // not representable; such a series simply keeps taking the decoding path
        }
        segments[(int) (hash >>> 58)].put(hash, (int) ref);
    }

    int size() {
        int n = 0;
        for (Segment s : segments) {
            n += s.size;
        }
        return n;
    }

    void clear() {
        for (Segment s : segments) {
            s.clear();
        }
    }

    private static final class Segment {
        private static final int INITIAL = 1024;
        private static final long TAG = 0xFFFF_FFFF_0000_0000L;

        /** Slots: the hash's low 32 bits above the reference; 0 is empty (references are positive). */
        private volatile long[] slots = new long[INITIAL];
        /** Changed under the lock; read unlocked only by {@link RawSeriesRefs#size()}, an estimate. */
        private volatile int size;

        long get(long hash) {
            long[] s = slots;
            int mask = s.length - 1;
            long tag = hash << 32;
            for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
                long slot = s[i];
                if (slot == 0) {
                    return 0;
                }
                if ((slot & TAG) == tag) {
                    return slot & 0xFFFF_FFFFL;
                }
            }
        }

        synchronized void put(long hash, int ref) {
            long[] s = slots;
            if ((size + 1) * 10L > s.length * 7L) {
                s = grown(s);
                slots = s;
            }
            int mask = s.length - 1;
            long tag = hash << 32;
            long entry = tag | (ref & 0xFFFF_FFFFL);
            for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
                long slot = s[i];
                if (slot == 0) {
                    s[i] = entry;
                    size++;
                    return;
                }
                if ((slot & TAG) == tag) {
                    s[i] = entry;
                    return;
                }
            }
        }

        synchronized void clear() {
            slots = new long[INITIAL];
            size = 0;
        }

        /** A table twice as large with every entry, built aside and then published whole. */
        private static long[] grown(long[] old) {
            long[] s = new long[old.length * 2];
            int mask = s.length - 1;
            for (long slot : old) {
                if (slot != 0) {
                    int i = (int) (slot >>> 32) & mask;
                    while (s[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    s[i] = slot;
                }
            }
            return s;
        }
    }
}
