package io.mantis.metrics.tsdb.index;

import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's inverted index: label name → label value → the ids of the series carrying that
 * pair, plus the set of all series ids.
 *
 * <h2>Concurrency</h2>
 *
 * Series are added while queries run. Each postings list has its own monitor: {@link #add}
 * takes, per label pair, a lock-free map lookup and one short critical section that appends the
 * id, so concurrent writers only meet on the same label pair (for example {@code job="node"})
 * and then for the few nanoseconds of a bitmap append. Readers take the same monitor to copy a
 * list (or OR it into their own accumulator), so every list a reader sees is a consistent
 * snapshot, at the price of an O(list) copy per list read, which the query would pay anyway to
 * intersect it. No global lock exists, and no list is copied on write.
 *
 * <p>Lists are not read together atomically: a query concurrent with {@code add(id)} may see the
 * new series in some of its lists and not others. {@code add} updates the all-series list last
 * and {@link #delete} updates it first; {@link PostingsForMatchers} snapshots the all-series list
 * before it reads any other list whenever it subtracts: a series in that snapshot is already in
 * all of its lists, so a subtraction ({@code a!="x"}) cannot miss a half-added series. A series deleted during the query may still be returned: callers resolve
 * the selected ids to series and skip ids that no longer resolve.
 *
 * <h2>Interning</h2>
 *
 * The maps' keys double as the canonical label strings: {@link #add} returns the series' label
 * set rebuilt from them, so all head series share one String object per distinct name and value
 * without a separate interning table (the strings live exactly as long as a series uses them).
 *
 * <h2>Memory</h2>
 *
 * Lists of up to {@value #SMALL_MAX} ids are plain sorted int arrays; only longer lists become
 * RoaringBitmaps. High-cardinality labels (one series per value) thus cost a few dozen bytes
 * per value rather than a bitmap's ~170.
 */
public final class MemPostings {

    static final int SMALL_MAX = 32;

    private final ConcurrentHashMap<String, LabelName> names = new ConcurrentHashMap<>();
    private final PostingsList all = new PostingsList("");

    /** One label name and its values. Never removed once created (see {@link #labelNames}). */
    private static final class LabelName {
        final String name;
        final ConcurrentHashMap<String, PostingsList> values = new ConcurrentHashMap<>();

        LabelName(String name) {
            this.name = name;
        }
    }

    /** The ids of one label pair; all access under its monitor. */
    static final class PostingsList {
        final String value;
        private int[] small = new int[1];
        private int size;
        private RoaringBitmap big;
        /** Set once the list became empty and left its map; adders then retry with a new list. */
        private boolean removed;

        PostingsList(String value) {
            this.value = value;
        }

        synchronized boolean add(int id) {
            if (removed) {
                return false;
            }
            if (big != null) {
                big.add(id);
                return true;
            }
            if (size > 0 && small[size - 1] >= id) {
                int at = Arrays.binarySearch(small, 0, size, id);
                if (at >= 0) {
                    return true;
                }
                insertSmall(-at - 1, id);
                return true;
            }
            insertSmall(size, id);
            return true;
        }

        private void insertSmall(int at, int id) {
            if (size == SMALL_MAX) {
                big = new RoaringBitmap();
                big.addN(small, 0, size);
                big.add(id);
                small = null;
                size = 0;
                return;
            }
            if (size == small.length) {
                small = Arrays.copyOf(small, Math.min(SMALL_MAX, size * 2));
            }
            System.arraycopy(small, at, small, at + 1, size - at);
            small[at] = id;
            size++;
        }

        synchronized RoaringBitmap snapshot() {
            if (big != null) {
                return big.clone();
            }
            RoaringBitmap r = new RoaringBitmap();
            r.addN(small, 0, size);
            return r;
        }

        synchronized void orInto(RoaringBitmap acc) {
            if (big != null) {
                acc.or(big);
            } else {
                acc.addN(small, 0, size);
            }
        }

        synchronized boolean intersects(RoaringBitmap other) {
            if (big != null) {
                return RoaringBitmap.intersects(big, other);
            }
            for (int i = 0; i < size; i++) {
                if (other.contains(small[i])) {
                    return true;
                }
            }
            return false;
        }

        synchronized int cardinality() {
            return big != null ? big.getCardinality() : size;
        }

        /**
         * Removes {@code ids}; returns true if the list is now empty, in which case it is marked
         * removed when {@code unlinkWhenEmpty}.
         */
        synchronized boolean removeAll(RoaringBitmap ids, boolean unlinkWhenEmpty) {
            if (big != null) {
                big.andNot(ids);
                if (!big.isEmpty()) {
                    return false;
                }
            } else {
                int n = 0;
                for (int i = 0; i < size; i++) {
                    if (!ids.contains(small[i])) {
                        small[n++] = small[i];
                    }
                }
                size = n;
                if (n > 0) {
                    return false;
                }
            }
            removed = unlinkWhenEmpty;
            return true;
        }
    }

    /**
     * Indexes series {@code id} under each of its label pairs (pairs with an empty value are
     * skipped: an empty value is an absent label). Each id must be added once.
     *
     * @return the same label set built from this index's canonical strings (equal to
     *     {@code labels} minus empty-valued pairs); the input itself if it already uses them
     */
    public Labels add(int id, Labels labels) {
        int n = labels.size();
        String[] canonical = null;
        for (int i = 0; i < n; i++) {
            String name = labels.name(i);
            String value = labels.value(i);
            if (value.isEmpty()) {
                if (canonical == null) {
                    canonical = copyPrefix(labels, i);
                }
                canonical[2 * i] = null;
                continue;
            }
            LabelName ln = names.get(name);
            if (ln == null) {
                ln = names.computeIfAbsent(name, LabelName::new);
            }
            PostingsList list;
            while (true) {
                list = ln.values.get(value);
                if (list == null) {
                    list = ln.values.computeIfAbsent(value, PostingsList::new);
                }
                if (list.add(id)) {
                    break;
                }
                // Emptied and unlinked by a concurrent delete; make sure it is gone and retry.
                ln.values.remove(value, list);
            }
            if (canonical == null && (ln.name != name || list.value != value)) {
                canonical = copyPrefix(labels, i);
            }
            if (canonical != null) {
                canonical[2 * i] = ln.name;
                canonical[2 * i + 1] = list.value;
            }
        }
        // Last, so that "all minus postings" never includes a half-indexed series.
        all.add(id);
        if (canonical == null) {
            return labels;
        }
        List<String> pairs = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            if (canonical[2 * i] != null) {
                pairs.add(canonical[2 * i]);
                pairs.add(canonical[2 * i + 1]);
            }
        }
        return Labels.of(pairs.toArray(new String[0]));
    }

    private static String[] copyPrefix(Labels labels, int upTo) {
        String[] out = new String[2 * labels.size()];
        for (int i = 0; i < upTo; i++) {
            if (!labels.value(i).isEmpty()) {
                out[2 * i] = labels.name(i);
                out[2 * i + 1] = labels.value(i);
            }
        }
        return out;
    }

    /**
     * Removes series from the index, given their label sets (so only the affected lists are
     * touched). Lists that become empty are dropped, and so are their values.
     */
    public void delete(RoaringBitmap ids, Iterable<Labels> labelsOfDeleted) {
        // First, so that "all minus postings" never includes a half-removed series.
        all.removeAll(ids, false);
        Map<PostingsList, LabelName> touched = new IdentityHashMap<>();
        for (Labels labels : labelsOfDeleted) {
            for (int i = 0; i < labels.size(); i++) {
                LabelName ln = names.get(labels.name(i));
                if (ln == null) {
                    continue;
                }
                PostingsList list = ln.values.get(labels.value(i));
                if (list != null) {
                    touched.put(list, ln);
                }
            }
        }
        touched.forEach((list, ln) -> {
            if (list.removeAll(ids, true)) {
                ln.values.remove(list.value, list);
            }
        });
    }

    /** Removes series from the index by scanning every list; for when their labels are not at hand. */
    public void delete(RoaringBitmap ids) {
        all.removeAll(ids, false);
        for (LabelName ln : names.values()) {
            for (PostingsList list : ln.values.values()) {
                if (list.removeAll(ids, true)) {
                    ln.values.remove(list.value, list);
                }
            }
        }
    }

    /** Number of series indexed. */
    public int seriesCount() {
        return all.cardinality();
    }

    /** Snapshot of all series ids. */
    public RoaringBitmap all() {
        return all.snapshot();
    }

    /** Snapshot of the series with {@code name="value"}; empty if none. */
    public RoaringBitmap get(String name, String value) {
        LabelName ln = names.get(name);
        PostingsList list = ln == null ? null : ln.values.get(value);
        return list == null ? new RoaringBitmap() : list.snapshot();
    }

    /** ORs into {@code acc} the series of every value of {@code name} that {@code accept} takes. */
    public void unionInto(String name, Predicate<String> accept, RoaringBitmap acc) {
        LabelName ln = names.get(name);
        if (ln == null) {
            return;
        }
        for (PostingsList list : ln.values.values()) {
            if (accept.test(list.value)) {
                list.orInto(acc);
            }
        }
    }

    /** ORs into {@code acc} the series of the given values of {@code name}. */
    public void unionInto(String name, Iterable<String> values, RoaringBitmap acc) {
        LabelName ln = names.get(name);
        if (ln == null) {
            return;
        }
        for (String v : values) {
            PostingsList list = ln.values.get(v);
            if (list != null) {
                list.orInto(acc);
            }
        }
    }

    /**
     * Label names with at least one series. A name whose series were all deleted keeps its
     * (empty) entry so that concurrent adders never write into an unlinked map; it is not
     * listed.
     */
    public List<String> labelNames() {
        List<String> out = new ArrayList<>(names.size());
        for (LabelName ln : names.values()) {
            if (!ln.values.isEmpty()) {
                out.add(ln.name);
            }
        }
        out.sort(CodePointOrder.INSTANCE);
        return out;
    }

    /** Label names that at least one of {@code series} carries. */
    public List<String> labelNames(RoaringBitmap series) {
        List<String> out = new ArrayList<>();
        for (LabelName ln : names.values()) {
            for (PostingsList list : ln.values.values()) {
                if (list.intersects(series)) {
                    out.add(ln.name);
                    break;
                }
            }
        }
        out.sort(CodePointOrder.INSTANCE);
        return out;
    }

    /** Values of {@code name}, sorted. */
    public List<String> labelValues(String name) {
        LabelName ln = names.get(name);
        if (ln == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(ln.values.keySet());
        out.sort(CodePointOrder.INSTANCE);
        return out;
    }

    /** Values of {@code name} that at least one of {@code series} has, sorted. */
    public List<String> labelValues(String name, RoaringBitmap series) {
        LabelName ln = names.get(name);
        if (ln == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (PostingsList list : ln.values.values()) {
            if (list.intersects(series)) {
                out.add(list.value);
            }
        }
        out.sort(CodePointOrder.INSTANCE);
        return out;
    }

    /** Number of distinct values of {@code name}. */
    public int valueCount(String name) {
        LabelName ln = names.get(name);
        return ln == null ? 0 : ln.values.size();
    }

    /**
     * Every label name and value in use, sorted and distinct: the symbol table a block index
     * written from the head needs.
     */
    public Set<String> symbols() {
        TreeSet<String> out = new TreeSet<>(CodePointOrder.INSTANCE);
        for (LabelName ln : names.values()) {
            if (!ln.values.isEmpty()) {
                out.add(ln.name);
                out.addAll(ln.values.keySet());
            }
        }
        return Collections.unmodifiableSet(out);
    }
}
