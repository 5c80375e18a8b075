package io.mantis.metrics.tsdb.block;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.Series;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * A querier over several queriers (the head and the blocks overlapping a query): series with
 * equal labels are one series whose samples are merged by timestamp. Where several queriers hold
 * a sample of one series at the same timestamp, the <b>first querier in the list wins</b>: pass
 * the newest data first (the head, then blocks by descending ULID). Label names and values are the
 * sorted union; the warnings of every part are passed on. Closing it closes every querier.
 *
 * <p>The merge needs each part's series in label order, so parts are always asked for sorted
 * series, and the result is sorted whatever {@code sorted} says. Not thread-safe per series set.
 */
public final class MergeQuerier implements Querier {

    private final Querier[] queriers;

    /** Takes ownership of {@code queriers}, the first winning ties. */
    public MergeQuerier(List<? extends Querier> queriers) {
        this.queriers = queriers.toArray(new Querier[0]);
    }

    /**
     * {@code queriers} as one querier: the single querier itself when there is one, an empty
     * querier when there is none.
     */
    public static Querier of(List<? extends Querier> queriers) {
        return queriers.size() == 1 ? queriers.get(0) : new MergeQuerier(queriers);
    }

    @Override
    public SeriesSet select(boolean sorted, Matcher... matchers) {
        if (queriers.length == 0) {
            return SeriesSet.empty();
        }
        if (queriers.length == 1) {
            return queriers[0].select(sorted, matchers);
        }
        SeriesSet[] sets = new SeriesSet[queriers.length];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = queriers[i].select(true, matchers);
        }
        return new MergedSet(sets);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
        TreeSet<String> all = new TreeSet<>();
        for (Querier q : queriers) {
            all.addAll(q.labelNames(matchers));
        }
        return new ArrayList<>(all);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
        TreeSet<String> all = new TreeSet<>();
        for (Querier q : queriers) {
            all.addAll(q.labelValues(name, matchers));
        }
        return new ArrayList<>(all);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Querier q : queriers) {
            try {
                q.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Sorted merge of the parts' series sets; a series present in several parts is merged. */
    private static final class MergedSet implements SeriesSet {
        private final SeriesSet[] sets;
        /** Whether sets[i] stands on a series (after the first advance). */
        private final boolean[] live;
        private boolean started;
        private final int[] members;
        private int memberCount;
        private final MergedSeries merged = new MergedSeries();

        MergedSet(SeriesSet[] sets) {
            this.sets = sets;
            this.live = new boolean[sets.length];
            this.members = new int[sets.length];
        }

        @Override
        public boolean next() {
            if (!started) {
                started = true;
                for (int i = 0; i < sets.length; i++) {
                    live[i] = sets[i].next();
                }
            } else {
                for (int k = 0; k < memberCount; k++) {
                    int i = members[k];
                    live[i] = sets[i].next();
                }
            }
            Labels min = null;
            memberCount = 0;
            for (int i = 0; i < sets.length; i++) {
                if (!live[i]) {
                    continue;
                }
                Labels l = sets[i].at().labels();
                int c = min == null ? -1 : l.compareTo(min);
                if (c < 0) {
                    min = l;
                    memberCount = 0;
                    members[memberCount++] = i;
                } else if (c == 0) {
                    members[memberCount++] = i;
                }
            }
            return memberCount > 0;
        }

        @Override
        public Series at() {
            return merged;
        }

        @Override
        public List<String> warnings() {
            LinkedHashSet<String> all = new LinkedHashSet<>();
            for (SeriesSet s : sets) {
                all.addAll(s.warnings());
            }
            return new ArrayList<>(all);
        }

        private final class MergedSeries implements Series {
            @Override
            public Labels labels() {
                return sets[members[0]].at().labels();
            }

            @Override
            public ChunkIterator iterator(ChunkIterator reuse) {
                if (memberCount == 1) {
                    return sets[members[0]].at().iterator(reuse instanceof MergeIterator ? null : reuse);
                }
                MergeIterator m = reuse instanceof MergeIterator mi ? mi : new MergeIterator();
                m.reset(memberCount);
                // Pooled by querier index, so each part recycles an iterator of its own kind.
                for (int k = 0; k < memberCount; k++) {
                    int q = members[k];
                    ChunkIterator it = sets[q].at().iterator(m.pooled(q));
                    m.pool(q, it);
                    m.set(k, it);
                }
                return m;
            }
        }
    }
}
