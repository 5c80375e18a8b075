package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.Series;
import io.mantis.metrics.tsdb.SeriesSet;
import io.mantis.metrics.tsdb.chunkenc.ChunkIterator;
import io.mantis.otlp.prometheus.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.roaringbitmap.RoaringBitmap;

/** Queries the head over [mint, maxt]: postings select the series, snapshots give their samples. */
final class HeadQuerier implements Querier {

    private final Head head;
    private final long mint;
    private final long maxt;

    HeadQuerier(Head head, long mint, long maxt) {
        this.head = head;
        this.mint = mint;
        this.maxt = maxt;
    }

    @Override
    public SeriesSet select(boolean sorted, Matcher... matchers) {
        RoaringBitmap ids = head.select(matchers);
        List<HeadSeries> found = new ArrayList<>(ids.getCardinality());
        for (int id : ids) {
            HeadSeries s = head.seriesById(id);
            if (s != null && s.overlaps(mint, maxt)) {
                found.add(s);
            }
        }
        if (sorted) {
            found.sort((a, b) -> a.labels.compareTo(b.labels));
        }
        return new SeriesSet() {
            private int i = -1;
            private final SnapshotSeries current = new SnapshotSeries();

            @Override
            public boolean next() {
                while (++i < found.size()) {
                    HeadSeries s = found.get(i);
                    current.series = s;
                    current.labels = s.labels;
                    // A series whose newest sample is known has samples in range: its chunks are
                    // only copied if someone asks for the iterator (an instant selector does not).
                    if (s.latestIn(mint, maxt, current.latestT, current.latestV)) {
                        current.snapshot = null;
                        current.latestKnown = true;
                        return true;
                    }
                    HeadSeries.Snapshot snap = s.snapshot(mint, maxt, head.chunkFiles());
                    if (!snap.isEmpty() && (snap.deleted() == null || hasSamples(snap))) {
                        current.snapshot = snap;
                        current.latestKnown = false;
                        return true;
                    }
                }
                return false;
            }

            @Override
            public Series at() {
                return current;
            }
        };
    }

    /** Whether the series has a sample in range that is not deleted. */
    private boolean visible(HeadSeries s) {
        if (s == null || !s.overlaps(mint, maxt)) {
            return false;
        }
        if (!s.hasDeletions()) {
            return true;
        }
        return hasSamples(s.snapshot(mint, maxt, head.chunkFiles()));
    }

    /** Whether deletions leave any sample of the snapshot in range (a fully deleted series is not listed). */
    private boolean hasSamples(HeadSeries.Snapshot snap) {
        SnapshotIterator probe = new SnapshotIterator();
        probe.reset(snap, mint, maxt);
        return probe.next() != io.mantis.metrics.tsdb.chunkenc.ValueType.NONE;
    }

    private final class SnapshotSeries implements Series {
        Labels labels;
        HeadSeries series;
        /** Taken on the first call to {@link #iterator} when {@link #next} did not need it. */
        HeadSeries.Snapshot snapshot;
        boolean latestKnown;
        final long[] latestT = new long[1];
        final double[] latestV = new double[1];

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public boolean latestFloat(long[] ft, double[] fv) {
            if (!latestKnown) {
                return false;
            }
            ft[0] = latestT[0];
            fv[0] = latestV[0];
            return true;
        }

        @Override
        public ChunkIterator iterator(ChunkIterator reuse) {
            if (snapshot == null) {
                snapshot = series.snapshot(mint, maxt, head.chunkFiles());
            }
            SnapshotIterator it = reuse instanceof SnapshotIterator si ? si : new SnapshotIterator();
            it.reset(snapshot, mint, maxt);
            return it;
        }
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
        TreeSet<String> names = new TreeSet<>();
        if (matchers.length == 0) {
            if (!overlapsHead()) {
                return List.of();
            }
            names.addAll(head.postings().labelNames());
            return new ArrayList<>(names);
        }
        for (int id : head.select(matchers)) {
            HeadSeries s = head.seriesById(id);
            if (visible(s)) {
                for (int i = 0; i < s.labels.size(); i++) {
                    names.add(s.labels.name(i));
                }
            }
        }
        return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
        if (matchers.length == 0) {
            if (!overlapsHead()) {
                return List.of();
            }
            return new ArrayList<>(new TreeSet<>(head.postings().labelValues(name)));
        }
        TreeSet<String> values = new TreeSet<>();
        for (int id : head.select(matchers)) {
            HeadSeries s = head.seriesById(id);
            if (visible(s)) {
                String v = s.labels.get(name);
                if (v != null && !v.isEmpty()) {
                    values.add(v);
                }
            }
        }
        return new ArrayList<>(values);
    }

    /**
     * Whether the window meets the head's time range at all. Without matchers, names and values
     * come from the postings (every series in the head), which is only right when the window
     * touches the head's data: a window wholly before or after it answers nothing, as Prometheus'
     * head does.
     */
    private boolean overlapsHead() {
        return mint <= head.maxTime() && maxt >= head.minTime();
    }

    @Override
    public void close() {
    }
}
