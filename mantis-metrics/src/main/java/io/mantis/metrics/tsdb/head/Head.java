package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.model.Matcher;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.metrics.tsdb.Querier;
import io.mantis.metrics.tsdb.Queryable;
import io.mantis.metrics.tsdb.index.IndexReader;
import io.mantis.metrics.tsdb.index.MemPostings;
import io.mantis.metrics.tsdb.index.MemPostingsIndexReader;
import io.mantis.metrics.tsdb.index.PostingsForMatchers;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import org.roaringbitmap.RoaringBitmap;

/**
 * The mutable, in-memory part of the store: every series with samples newer than the last block,
 * their chunks, the inverted index over their labels and the newest exemplars. Writes go through
 * {@link #appender()}, which logs each commit to the {@link HeadLog} before applying it.
 *
 * <p>Concurrency: the series map and postings are concurrent; each series guards its own chunks.
 * Appenders on different series never contend; appenders on the same series serialise per sample
 * batch.
 */
public final class Head implements Queryable {

    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private final HeadOptions options;
    private final HeadLog log;
    private final SeriesTable byLabels = new SeriesTable(this::seriesById);
    private volatile AtomicReferenceArray<AtomicReferenceArray<HeadSeries>> pages =
            new AtomicReferenceArray<>(16);
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger numSeries = new AtomicInteger();
    private final MemPostings postings = new MemPostings();
    private final IndexReader index = new MemPostingsIndexReader(postings, this::labelsOf);
    private final ExemplarStorage exemplars;
    private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
    /** Samples older than this are out of bounds: they belong to blocks already cut. */
    private volatile long minValidTime = Long.MIN_VALUE;

    final LongAdder samplesAppended = new LongAdder();
    final LongAdder histogramsAppended = new LongAdder();
    final LongAdder seriesCreated = new LongAdder();
    final LongAdder seriesRemoved = new LongAdder();
    final LongAdder outOfOrderAccepted = new LongAdder();
    final LongAdder[] rejected = new LongAdder[io.mantis.metrics.tsdb.AppendException.Kind.values().length];

    /** Full chunks moved off the heap, or null to keep every chunk in memory. */
    private final HeadChunkFiles chunkFiles;

    /** A head that keeps every chunk on the Java heap. */
    public Head(HeadOptions options, HeadLog log) {
        this(options, log, null, 0);
    }

    /**
     * A head that moves full chunks to memory-mapped files in {@code chunksDir} (emptied now: the
     * WAL replay refills it).
     */
    public Head(HeadOptions options, HeadLog log, java.nio.file.Path chunksDir, int segmentBytes)
            throws java.io.UncheckedIOException {
        this.options = options;
        this.log = log;
        try {
            this.chunkFiles = chunksDir == null ? null : new HeadChunkFiles(chunksDir, segmentBytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare the head chunk directory " + chunksDir, e);
        }
        this.exemplars = new ExemplarStorage(options.maxExemplars());
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    public HeadOptions options() {
        return options;
    }

    public Appender appender() {
        return new HeadAppender(this, log);
    }

    // ---------------------------------------------------------------- series

    HeadSeries series(long ref) {
        if (ref <= 0 || ref > Integer.MAX_VALUE) {
            return null;
        }
        int id = (int) (ref - 1);
        AtomicReferenceArray<HeadSeries> page = pageFor(id, false);
        return page == null ? null : page.get(id & (PAGE_SIZE - 1));
    }

    HeadSeries seriesById(int id) {
        AtomicReferenceArray<HeadSeries> page = pageFor(id, false);
        return page == null ? null : page.get(id & (PAGE_SIZE - 1));
    }

    /** The series for {@code labels}, created (with a new id) if absent. */
    HeadSeries getOrCreate(Labels labels) {
        labels = withoutEmptyValues(labels);
        HeadSeries s = byLabels.get(labels);
        if (s != null) {
            return s;
        }
        return create(labels, -1);
    }

    /** An empty label value means an absent label; series are keyed without such pairs. */
    static Labels withoutEmptyValues(Labels labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (labels.value(i).isEmpty()) {
                java.util.Map<String, String> m = new java.util.HashMap<>();
                for (int k = 0; k < labels.size(); k++) {
                    m.put(labels.name(k), labels.value(k));
                }
                return Labels.of(m);
            }
        }
        return labels;
    }

    private HeadSeries create(Labels labels, int forcedId) {
        synchronized (this) {
            HeadSeries existing = byLabels.get(labels);
            if (existing != null) {
                return existing;
            }
            int id;
            if (forcedId >= 0) {
                id = forcedId;
                nextId.accumulateAndGet(forcedId + 1, Math::max);
            } else {
                id = nextId.getAndIncrement();
            }
            // The index hands back the label set built from its canonical strings, so equal
            // label strings are one object across all head series.
            AtomicReferenceArray<HeadSeries> page = pageFor(id, true);
            HeadSeries s = new HeadSeries(id, postings.add(id, labels));
            page.set(id & (PAGE_SIZE - 1), s);
            byLabels.add(s);
            numSeries.incrementAndGet();
            seriesCreated.increment();
            return s;
        }
    }

    /** Every series, by id; a snapshot of the pages, safe to walk while series come and go. */
    private Iterable<HeadSeries> allSeries() {
        int end = nextId.get();
        return () -> new java.util.Iterator<>() {
            private int id = -1;
            private HeadSeries next = advance();

            private HeadSeries advance() {
                while (++id < end) {
                    HeadSeries s = seriesById(id);
                    if (s != null) {
                        return s;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public HeadSeries next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                HeadSeries s = next;
                next = advance();
                return s;
            }
        };
    }

    private AtomicReferenceArray<HeadSeries> pageFor(int id, boolean create) {
        int p = id >>> PAGE_BITS;
        AtomicReferenceArray<AtomicReferenceArray<HeadSeries>> ps = pages;
        if (p >= ps.length()) {
            if (!create) {
                return null;
            }
            synchronized (this) {
                ps = pages;
                if (p >= ps.length()) {
                    AtomicReferenceArray<AtomicReferenceArray<HeadSeries>> grown =
                            new AtomicReferenceArray<>(Math.max(p + 1, ps.length() * 2));
                    for (int i = 0; i < ps.length(); i++) {
                        grown.set(i, ps.get(i));
                    }
                    pages = grown;
                    ps = grown;
                }
            }
        }
        AtomicReferenceArray<HeadSeries> page = ps.get(p);
        if (page == null && create) {
            ps.compareAndSet(p, null, new AtomicReferenceArray<>(PAGE_SIZE));
            page = ps.get(p);
        }
        return page;
    }

    public int numSeries() {
        return numSeries.get();
    }

    public long minTime() {
        return minTime.get();
    }

    public long maxTime() {
        return maxTime.get();
    }

    long minValidTime() {
        long mv = minValidTime;
        long max = maxTime.get();
        // Like Prometheus: besides what blocks cover, nothing older than half a block range
        // behind the newest sample, so the head never has to keep an unbounded past open.
        if (max != Long.MIN_VALUE) {
            mv = Math.max(mv, max - options.chunkRange() / 2);
        }
        return mv;
    }

    /** The time before which the head holds nothing (it went to blocks); Long.MIN_VALUE at first. */
    public long truncatedBefore() {
        return minValidTime;
    }

    /** Samples before {@code t} are refused from now on (they belong to cut blocks). */
    public void setMinValidTime(long t) {
        minValidTime = Math.max(minValidTime, t);
    }

    void noteTime(long t) {
        minTime.accumulateAndGet(t, Math::min);
        maxTime.accumulateAndGet(t, Math::max);
    }

    HeadChunkFiles chunkFiles() {
        return chunkFiles;
    }

    /** Releases the chunk files' mappings. */
    public void close() {
        if (chunkFiles != null) {
            chunkFiles.close();
        }
    }

    ExemplarStorage exemplars() {
        return exemplars;
    }

    MemPostings postings() {
        return postings;
    }

    // ---------------------------------------------------------------- replay

    /** WAL replay: re-creates a series under its logged reference. */
    public void replaySeries(long ref, Labels labels) {
        HeadSeries s = create(withoutEmptyValues(labels), (int) (ref - 1));
        s.logged = true;
    }

    /** WAL replay of a float sample; samples of unknown series are skipped (their series record was lost). */
    public boolean replayFloat(long ref, long t, double v) {
        HeadSeries s = series(ref);
        if (s == null || t < minValidTime) {
            return false;
        }
        boolean ok = s.appendFloat(t, v, options.chunkRange(), options.maxSamplesPerChunk(), chunkFiles);
        if (!ok && options.outOfOrderWindow() > 0) {
            ok = s.insertOutOfOrder(t, v, chunkFiles);
        }
        if (ok) {
            noteTime(t);
        }
        return ok;
    }

    public boolean replayHistogram(long ref, long t, FloatHistogram h) {
        HeadSeries s = series(ref);
        if (s == null || t < minValidTime) {
            return false;
        }
        boolean ok = s.appendHistogram(t, h, options.chunkRange(), options.maxSamplesPerChunk(), chunkFiles);
        if (!ok && options.outOfOrderWindow() > 0) {
            // No window check: the write was acknowledged, and concurrent appenders may have
            // logged it before a newer sample they applied after it.
            ok = s.insertLateHistogram(t, h, chunkFiles);
        }
        if (ok) {
            noteTime(t);
        }
        return ok;
    }

    public void replayExemplar(long ref, Labels labels, double value, long t) {
        HeadSeries s = series(ref);
        if (s != null && s.noteExemplar(labels, value, t)) {
            exemplars.add(s.id, labels, value, t);
        }
    }

    public void replayMetadata(long ref, MetricType type, String unit, String help) {
        HeadSeries s = series(ref);
        if (s != null) {
            s.metadata = new HeadSeries.Metadata(type, unit, help);
        }
    }

    // ---------------------------------------------------------------- deletion

    /**
     * Deletes the samples in [mint, maxt] of the series matching the matchers, durably (logged
     * before applied); returns how many series were affected.
     */
    public int delete(long mint, long maxt, Matcher... matchers) throws java.io.IOException {
        RoaringBitmap ids = select(matchers);
        long[] refs = new long[ids.getCardinality()];
        List<HeadSeries> hit = new ArrayList<>(refs.length);
        for (int id : ids) {
            HeadSeries s = seriesById(id);
            if (s != null && s.overlaps(mint, maxt)) {
                refs[hit.size()] = s.ref();
                hit.add(s);
            }
        }
        if (hit.isEmpty()) {
            return 0;
        }
        log.writeTombstones(refs, hit.size(), mint, maxt);
        for (HeadSeries s : hit) {
            s.delete(mint, maxt);
        }
        return hit.size();
    }

    /** WAL replay of a deletion. */
    public void replayTombstone(long ref, long mint, long maxt) {
        HeadSeries s = series(ref);
        if (s != null) {
            s.delete(mint, maxt);
        }
    }

    // ---------------------------------------------------------------- truncation

    /**
     * Drops everything before {@code mint} (it has been written to a block) and the series left
     * empty; returns how many series were removed.
     */
    public int truncateBefore(long mint) {
        setMinValidTime(mint);
        RoaringBitmap removed = new RoaringBitmap();
        for (HeadSeries s : allSeries()) {
            s.truncateBefore(mint);
            if (s.isEmpty()) {
                removed.add(s.id);
            }
        }
        if (!removed.isEmpty()) {
            synchronized (this) {
                List<Labels> gone = new ArrayList<>();
                for (int id : removed.toArray()) {
                    HeadSeries s = seriesById(id);
                    if (s == null || !s.isEmpty()) {
                        removed.remove(id);
                        continue;
                    }
                    gone.add(s.labels);
                }
                postings.delete(removed, gone);
                for (int id : removed) {
                    HeadSeries s = seriesById(id);
                    byLabels.remove(s);
                    pageFor(id, false).set(id & (PAGE_SIZE - 1), null);
                    numSeries.decrementAndGet();
                    seriesRemoved.increment();
                }
            }
        }
        if (chunkFiles != null) {
            chunkFiles.truncateBefore(mint);
        }
        long newMin = Long.MAX_VALUE;
        for (HeadSeries s : allSeries()) {
            newMin = Math.min(newMin, s.minTime());
        }
        minTime.set(newMin == Long.MAX_VALUE ? Math.max(mint, minTime.get()) : newMin);
        return removed.getCardinality();
    }

    /** Whether the series with this reference is still in the head (WAL checkpoints keep only those). */
    public boolean hasSeries(long ref) {
        return series(ref) != null;
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Querier querier(long mint, long maxt) {
        return new HeadQuerier(this, mint, maxt);
    }

    /** Ids of the series matching every matcher. */
    RoaringBitmap select(Matcher... matchers) {
        return PostingsForMatchers.select(index, matchers);
    }

    /** The labels of the head series {@code ref}, or null when no such series is in the head. */
    public Labels seriesLabels(long ref) {
        HeadSeries s = series(ref);
        return s == null ? null : s.labels;
    }

    Labels labelsOf(int id) {
        HeadSeries s = seriesById(id);
        return s == null ? null : s.labels;
    }

    /** Exemplars of the series matching the matchers, in [mint, maxt], grouped by series. */
    public List<SeriesExemplars> exemplars(long mint, long maxt, Matcher... matchers) {
        RoaringBitmap ids = select(matchers);
        IntPredicate wanted = ids::contains;
        List<ExemplarStorage.Exemplar> found = exemplars.select(wanted, mint, maxt);
        java.util.LinkedHashMap<Integer, SeriesExemplars> bySeries = new java.util.LinkedHashMap<>();
        for (ExemplarStorage.Exemplar e : found) {
            HeadSeries s = seriesById(e.seriesId());
            if (s == null) {
                continue;
            }
            bySeries.computeIfAbsent(e.seriesId(), k -> new SeriesExemplars(s.labels, new ArrayList<>()))
                    .exemplars().add(new SeriesExemplars.Exemplar(e.labels(), e.value(), e.timestampMillis()));
        }
        return new ArrayList<>(bySeries.values());
    }

    /** Metadata per metric family name as last reported, over every head series. */
    public java.util.Map<String, List<SeriesMetadata>> metadata() {
        java.util.TreeMap<String, List<SeriesMetadata>> out = new java.util.TreeMap<>();
        for (HeadSeries s : allSeries()) {
            HeadSeries.Metadata m = s.metadata;
            if (m == null) {
                continue;
            }
            String family = familyOf(s.labels.metricName(), m.type());
            SeriesMetadata sm = new SeriesMetadata(m.type(), m.help(), m.unit());
            List<SeriesMetadata> list = out.computeIfAbsent(family, k -> new ArrayList<>());
            if (!list.contains(sm)) {
                list.add(sm);
            }
        }
        return out;
    }

    private static String familyOf(String name, MetricType type) {
        if (name == null) {
            return "";
        }
        if (type == MetricType.HISTOGRAM || type == MetricType.SUMMARY) {
            for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
                if (name.endsWith(suffix)) {
                    return name.substring(0, name.length() - suffix.length());
                }
            }
        }
        return name;
    }

    /** Iterates every series (for block writing and statistics). */
    public void forEachSeries(java.util.function.Consumer<HeadSeriesView> action) {
        for (HeadSeries s : allSeries()) {
            action.accept(new HeadSeriesView(s));
        }
    }

    /** Exemplars of one series. */
    public record SeriesExemplars(Labels seriesLabels, List<Exemplar> exemplars) {
        public record Exemplar(Labels labels, double value, long timestampMillis) {
        }
    }

    /** One metadata entry of a family. */
    public record SeriesMetadata(MetricType type, String help, String unit) {
    }

    /** Read access to a head series for block writing. */
    public static final class HeadSeriesView {
        private final HeadSeries series;

        HeadSeriesView(HeadSeries series) {
            this.series = series;
        }

        public Labels labels() {
            return series.labels;
        }

        public long ref() {
            return series.ref();
        }

        public int chunkCount() {
            return series.chunkCount();
        }
    }
}
