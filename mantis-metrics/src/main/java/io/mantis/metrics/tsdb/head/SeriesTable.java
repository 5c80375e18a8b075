package io.mantis.metrics.tsdb.head;

import io.mantis.otlp.prometheus.Labels;
import java.util.function.IntFunction;

/**
 * Head series by label set: an open-addressing table of series ids (4 bytes a slot, at most half
 * full) instead of a map with an entry object per series, which saves about 30 bytes per series.
 * The labels live in the series themselves, found by id.
 *
 * <p>Writers (create, remove) hold the head's lock. Readers take none: a reader racing a writer
 * can miss a series that exists, never find a wrong one (every hit is checked against the
 * series' labels). A miss sends the head to its locked create path, which looks again under the
 * lock, so a racing miss costs time, not correctness.
 */
final class SeriesTable {

    private final IntFunction<HeadSeries> byId;
    /** Slot: series id + 1, or 0 when empty. */
    private volatile int[] slots = new int[1024];
    private int size;

    SeriesTable(IntFunction<HeadSeries> byId) {
        this.byId = byId;
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B9;
    }

    HeadSeries get(Labels labels) {
        int[] s = slots;
        int mask = s.length - 1;
        for (int i = spread(labels.hashCode()) & mask; ; i = (i + 1) & mask) {
            int slot = s[i];
            if (slot == 0) {
                return null;
            }
            HeadSeries series = byId.apply(slot - 1);
            if (series != null && series.labels.equals(labels)) {
                return series;
            }
        }
    }

    /** Adds a series whose labels are not in the table; caller holds the head's lock. */
    void add(HeadSeries series) {
        int[] s = slots;
        if ((size + 1) * 2 > s.length) {
            s = grown(s);
            slots = s;
        }
        insert(s, series.labels.hashCode(), series.id + 1);
        size++;
    }

    private static void insert(int[] s, int hash, int slot) {
        int mask = s.length - 1;
        int i = spread(hash) & mask;
        while (s[i] != 0) {
            i = (i + 1) & mask;
        }
        s[i] = slot;
    }

    private int[] grown(int[] old) {
        int[] s = new int[old.length * 2];
        for (int slot : old) {
            if (slot != 0) {
                insert(s, byId.apply(slot - 1).labels.hashCode(), slot);
            }
        }
        return s;
    }

    /**
     * Removes a series (still reachable by id while this runs); caller holds the head's lock.
     * Linear probing's deletion: later entries of the run move back into the gap, so that no
     * lookup stops early at it.
     */
    void remove(HeadSeries series) {
        int[] s = slots;
        int mask = s.length - 1;
        int i = spread(series.labels.hashCode()) & mask;
        while (s[i] != series.id + 1) {
            if (s[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        s[i] = 0;
        size--;
        for (int j = (i + 1) & mask; s[j] != 0; j = (j + 1) & mask) {
            int home = spread(byId.apply(s[j] - 1).labels.hashCode()) & mask;
            // Move s[j] into the gap at i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                s[i] = s[j];
                s[j] = 0;
                i = j;
            }
        }
    }
}
