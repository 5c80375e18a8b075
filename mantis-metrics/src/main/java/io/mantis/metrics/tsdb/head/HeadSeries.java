package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunkenc.FloatHistogramChunk;
import io.mantis.metrics.tsdb.chunkenc.HistogramChunk;
import io.mantis.metrics.tsdb.chunkenc.ValueType;
import io.mantis.metrics.tsdb.chunkenc.XorChunk;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.SeriesSink;
import java.util.Arrays;

/**
 * One series in the head: its labels and its chunks, oldest first, the last one open for
 * appends. Every field below the labels is guarded by the series' own monitor; the writer holds it
 * per sample batch and a reader holds it only to take a {@link Snapshot}, so queries never block
 * ingestion for longer than an array copy.
 */
final class HeadSeries {

    /** Dense head-wide id (postings use it); the series reference handed out is {@code id + 1}. */
    final int id;
    final Labels labels;

    /** Whether a SERIES record for this series is in the WAL (set after the write succeeded). */
    volatile boolean logged;

    // ---- guarded by this ----
    // A million series cost what one costs times a million, so the common state (one open chunk,
    // floats in order) lives in plain fields and everything else is allocated when first needed.
    /** The chunk open for appends, or null; its samples span [openMinT, maxT]. */
    private Chunk open;
    private long openMinT;
    private ChunkAppender appender;
    private long nextCut = Long.MIN_VALUE;
    /** Timestamp of the newest in-order sample, {@code Long.MIN_VALUE} when empty. */
    long maxT = Long.MIN_VALUE;
    private long lastValueBits;
    private boolean lastWasHistogram;
    /** Closed chunks, oldest first, as (chunk file ref, minT, maxT) triples; null while there are none. */
    private long[] closed;
    /** The closed chunks themselves when the head keeps them on the heap (no chunk files); else null. */
    private Chunk[] closedChunks;
    private int numClosed;
    /** Histogram state, out-of-order samples, deletions and the newest exemplar, or null. */
    private Extras extras;
    /** Type/unit/help of the series' family, as last reported. */
    volatile Metadata metadata;

    /** The parts most series never need. */
    private static final class Extras {
        FloatHistogram lastHistogram;
        /** Out-of-order float samples (within the window), sorted by time. */
        long[] oooT;
        double[] oooV;
        int oooN;
        /**
         * Out-of-order histograms, sorted by time, apart from the floats so that a series with
         * late floats only pays nothing for them. Each histogram is a private copy, never
         * changed once stored, so snapshots share them.
         */
        long[] oooHT;
        FloatHistogram[] oooH;
        int oooHN;
        /** Deleted time ranges, closed intervals as (mint, maxt) pairs, sorted and disjoint; or null. */
        long[] deleted;
        // The newest stored exemplar: exemplars of a series are kept in time order, as Prometheus'
        // exemplar storage does, so a resent batch does not store them twice.
        long exemplarT = Long.MIN_VALUE;
        double exemplarV;
        Labels exemplarLabels;
    }

    private Extras extras() {
        Extras e = extras;
        if (e == null) {
            e = new Extras();
            extras = e;
        }
        return e;
    }

    private int numChunks() {
        return numClosed + (open != null ? 1 : 0);
    }

    private long chunkMinT(int i) {
        return i == numClosed ? openMinT : closed[3 * i + 1];
    }

    private long chunkMaxT(int i) {
        return i == numClosed ? maxT : closed[3 * i + 2];
    }

    private int oooN() {
        Extras e = extras;
        return e == null ? 0 : e.oooN;
    }

    private int oooHN() {
        Extras e = extras;
        return e == null ? 0 : e.oooHN;
    }

    record Metadata(io.mantis.otlp.prometheus.MetricType type, String unit, String help) {
    }

    HeadSeries(int id, Labels labels) {
        this.id = id;
        this.labels = labels;
    }

    long ref() {
        return id + 1L;
    }

    /** Outcome of {@link #checkFloat} / {@link #checkHistogram}. */
    static final int OK = 0, DUPLICATE_SAME = 1, DUPLICATE_DIFFERENT = 2, OUT_OF_ORDER = 3, OUT_OF_WINDOW = 4;

    synchronized int checkFloat(long t, double v, long oooWindow, HeadChunkFiles files) {
        if (t > maxT) {
            return OK;
        }
        if (t == maxT) {
            return !lastWasHistogram && Double.doubleToRawLongBits(v) == lastValueBits ? DUPLICATE_SAME
                    : DUPLICATE_DIFFERENT;
        }
        if (oooWindow > 0 && t >= maxT - oooWindow) {
            int taken = sampleAt(t, v, null, files);
            return taken == OK ? OUT_OF_ORDER : taken;
        }
        return OUT_OF_WINDOW;
    }

    /**
     * OK, DUPLICATE_SAME (equal to the newest exemplar: a no-op) or OUT_OF_ORDER. Exemplars at
     * the newest one's time are accepted in a fixed order (value, then labels' hash), which
     * admits several per scrape (one per histogram bucket) and still refuses a resent one.
     */
    synchronized int checkExemplar(Labels labels, double v, long t) {
        Extras e = extras;
        if (e == null || e.exemplarLabels == null || t > e.exemplarT) {
            return OK;
        }
        if (t == e.exemplarT) {
            if (labels.equals(e.exemplarLabels)
                    && Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(e.exemplarV)) {
                return DUPLICATE_SAME;
            }
            int c = Double.compare(v, e.exemplarV);
            if (c > 0 || (c == 0 && labels.hashCode() > e.exemplarLabels.hashCode())) {
                return OK;
            }
        }
        return OUT_OF_ORDER;
    }

    /** Records the exemplar as the newest if {@link #checkExemplar} allows it; returns whether it did. */
    synchronized boolean noteExemplar(Labels labels, double v, long t) {
        if (checkExemplar(labels, v, t) != OK) {
            return false;
        }
        Extras e = extras();
        e.exemplarT = t;
        e.exemplarV = v;
        e.exemplarLabels = labels;
        return true;
    }

    /**
     * Like {@link #checkFloat}: a histogram at the newest sample's time is a duplicate (the same
     * one, or not, as Prometheus has it even when the newest is a float); an older one within the
     * window is out of order unless its timestamp is taken.
     */
    synchronized int checkHistogram(long t, FloatHistogram h, long oooWindow, HeadChunkFiles files) {
        if (t > maxT) {
            return OK;
        }
        if (t == maxT) {
            return lastWasHistogram && h.equals(extras.lastHistogram) ? DUPLICATE_SAME : DUPLICATE_DIFFERENT;
        }
        if (oooWindow > 0 && t >= maxT - oooWindow) {
            int taken = sampleAt(t, 0, h, files);
            return taken == OK ? OUT_OF_ORDER : taken;
        }
        return OUT_OF_WINDOW;
    }

    /**
     * Whether a stored sample (in order or late) has timestamp {@code t}: OK if none, else
     * DUPLICATE_SAME or DUPLICATE_DIFFERENT against the float {@code v} (h null) or histogram
     * {@code h}. Only samples behind the newest get here, so the chunk walk is off the common path.
     */
    private int sampleAt(long t, double v, FloatHistogram h, HeadChunkFiles files) {
        Extras e = extras;
        if (e != null && e.oooN > 0) {
            int pos = Arrays.binarySearch(e.oooT, 0, e.oooN, t);
            if (pos >= 0) {
                return h == null && Double.doubleToRawLongBits(e.oooV[pos]) == Double.doubleToRawLongBits(v)
                        ? DUPLICATE_SAME : DUPLICATE_DIFFERENT;
            }
        }
        if (e != null && e.oooHN > 0) {
            int pos = Arrays.binarySearch(e.oooHT, 0, e.oooHN, t);
            if (pos >= 0) {
                return h != null && h.equals(e.oooH[pos]) ? DUPLICATE_SAME : DUPLICATE_DIFFERENT;
            }
        }
        for (int i = 0, n = numChunks(); i < n; i++) {
            if (t >= chunkMinT(i) && t <= chunkMaxT(i)) {
                var it = chunkAt(i, files).iterator(null);
                ValueType vt = it.seek(t);
                if (vt == ValueType.NONE || it.timestamp() != t) {
                    return OK;
                }
                if (vt == ValueType.FLOAT) {
                    return h == null && Double.doubleToRawLongBits(it.value()) == Double.doubleToRawLongBits(v)
                            ? DUPLICATE_SAME : DUPLICATE_DIFFERENT;
                }
                if (h == null) {
                    return DUPLICATE_DIFFERENT;
                }
                FloatHistogram stored = new FloatHistogram();
                it.histogram(stored);
                return sameObservations(stored, h) ? DUPLICATE_SAME : DUPLICATE_DIFFERENT;
            }
        }
        return OK;
    }

    /**
     * Equality of what two histograms observed, not of how they are laid out: a chunk widens the
     * bucket spans of its samples to a common layout and derives the hint, so a histogram read
     * back from one differs from the one appended in both while saying the same.
     */
    static boolean sameObservations(FloatHistogram a, FloatHistogram b) {
        if (a.schema() != b.schema()
                || Double.doubleToLongBits(a.zeroThreshold()) != Double.doubleToLongBits(b.zeroThreshold())
                || Double.doubleToLongBits(a.zeroCount()) != Double.doubleToLongBits(b.zeroCount())
                || Double.doubleToLongBits(a.count()) != Double.doubleToLongBits(b.count())
                || Double.doubleToLongBits(a.sum()) != Double.doubleToLongBits(b.sum())
                || a.customBoundCount() != b.customBoundCount()) {
            return false;
        }
        for (int i = 0; i < a.customBoundCount(); i++) {
            if (Double.doubleToLongBits(a.customBound(i)) != Double.doubleToLongBits(b.customBound(i))) {
                return false;
            }
        }
        return sameBuckets(a.positive(), b.positive()) && sameBuckets(a.negative(), b.negative());
    }

    /** Same non-zero bucket counts at the same bucket indexes. */
    private static boolean sameBuckets(FloatHistogram.Buckets a, FloatHistogram.Buckets b) {
        int[] ia = a.indexes(new int[0]);
        int[] ib = b.indexes(new int[0]);
        int i = 0;
        int j = 0;
        while (true) {
            while (i < a.bucketCount() && a.count(i) == 0) {
                i++;
            }
            while (j < b.bucketCount() && b.count(j) == 0) {
                j++;
            }
            if (i == a.bucketCount() || j == b.bucketCount()) {
                return i == a.bucketCount() && j == b.bucketCount();
            }
            if (ia[i] != ib[j] || Double.doubleToLongBits(a.count(i)) != Double.doubleToLongBits(b.count(j))) {
                return false;
            }
            i++;
            j++;
        }
    }

    /**
     * Appends an in-order float sample; returns false (and changes nothing) if it is not newer
     * than the last one, which happens when another appender committed first.
     */
    synchronized boolean appendFloat(long t, double v, long chunkRange, int maxSamples, HeadChunkFiles files) {
        if (t <= maxT) {
            if (t == maxT && !lastWasHistogram && Double.doubleToRawLongBits(v) == lastValueBits) {
                return true; // an exact duplicate is a no-op, as in Prometheus
            }
            return false;
        }
        if (lastWasHistogram && SeriesSink.isStaleMarker(v) && appender != null) {
            // A staleness marker ends a histogram series as a histogram sample with a stale sum,
            // so that the chunk keeps one value type.
            FloatHistogram stale = new FloatHistogram().setStale();
            return appendHistogram(t, stale, chunkRange, maxSamples, files);
        }
        Chunk head = open;
        if (head == null || head.encoding() != Encoding.XOR || head.numSamples() >= maxSamples || t >= nextCut) {
            cut(new XorChunk(), t, chunkRange, files);
        }
        appender.append(t, v);
        maxT = t;
        lastValueBits = Double.doubleToRawLongBits(v);
        lastWasHistogram = false;
        return true;
    }

    synchronized boolean appendHistogram(long t, FloatHistogram h, long chunkRange, int maxSamples,
            HeadChunkFiles files) {
        if (t <= maxT) {
            return t == maxT && lastWasHistogram && h.equals(extras.lastHistogram);
        }
        Chunk head = open;
        // A stale marker continues whatever histogram chunk is open; otherwise integral counts
        // take the integer encoding, which compresses better.
        Encoding want = h.isStale() && head != null && head.encoding() != Encoding.XOR ? head.encoding()
                : h.hasIntegerCounts() ? Encoding.HISTOGRAM : Encoding.FLOAT_HISTOGRAM;
        boolean fitted = false;
        if (head != null && head.encoding() == want && head.numSamples() < maxSamples && t < nextCut) {
            fitted = appender.appendHistogram(t, h);
        }
        if (!fitted) {
            io.mantis.metrics.tsdb.chunkenc.CounterResetHeader header =
                    head != null && head.encoding() == want ? appender.nextChunkHeader(h) : null;
            Chunk fresh = want == Encoding.HISTOGRAM ? new HistogramChunk() : new FloatHistogramChunk();
            if (header != null) {
                fresh.setCounterResetHeader(header);
            }
            cut(fresh, t, chunkRange, files);
            if (!appender.appendHistogram(t, h)) {
                throw new IllegalStateException("a fresh histogram chunk refused its first sample");
            }
        }
        maxT = t;
        Extras e = extras();
        if (e.lastHistogram == null) {
            e.lastHistogram = new FloatHistogram();
        }
        e.lastHistogram.copyFrom(h);
        lastWasHistogram = true;
        return true;
    }

    /** Inserts an out-of-order float sample; false if that timestamp is already taken. */
    synchronized boolean insertOutOfOrder(long t, double v, HeadChunkFiles files) {
        Extras e = extras();
        if (e.oooT == null) {
            e.oooT = new long[8];
            e.oooV = new double[8];
        }
        int pos = Arrays.binarySearch(e.oooT, 0, e.oooN, t);
        if (pos >= 0) {
            return Double.doubleToRawLongBits(e.oooV[pos]) == Double.doubleToRawLongBits(v);
        }
        if ((e.oooHN > 0 && Arrays.binarySearch(e.oooHT, 0, e.oooHN, t) >= 0) || containsInOrder(t, files)) {
            return false;
        }
        pos = -pos - 1;
        if (e.oooN == e.oooT.length) {
            e.oooT = Arrays.copyOf(e.oooT, e.oooN * 2);
            e.oooV = Arrays.copyOf(e.oooV, e.oooN * 2);
        }
        System.arraycopy(e.oooT, pos, e.oooT, pos + 1, e.oooN - pos);
        System.arraycopy(e.oooV, pos, e.oooV, pos + 1, e.oooN - pos);
        e.oooT[pos] = t;
        e.oooV[pos] = v;
        e.oooN++;
        return true;
    }

    /**
     * Inserts an out-of-order histogram (copied) if it is within {@code oooWindow} of the newest
     * sample; false if it is not, or if its timestamp is taken by a different sample (an equal
     * one is a no-op that counts as inserted).
     */
    synchronized boolean insertOutOfOrderHistogram(long t, FloatHistogram h, long oooWindow, HeadChunkFiles files) {
        if (t >= maxT || t < maxT - oooWindow) {
            return false;
        }
        return insertLateHistogram(t, h, files);
    }

    /** WAL replay: the write was acknowledged, so only a taken timestamp refuses it. */
    synchronized boolean insertLateHistogram(long t, FloatHistogram h, HeadChunkFiles files) {
        int taken = sampleAt(t, 0, h, files);
        if (taken != OK) {
            return taken == DUPLICATE_SAME;
        }
        Extras e = extras();
        if (e.oooHT == null) {
            e.oooHT = new long[4];
            e.oooH = new FloatHistogram[4];
        }
        int pos = -Arrays.binarySearch(e.oooHT, 0, e.oooHN, t) - 1;
        if (e.oooHN == e.oooHT.length) {
            e.oooHT = Arrays.copyOf(e.oooHT, e.oooHN * 2);
            e.oooH = Arrays.copyOf(e.oooH, e.oooHN * 2);
        }
        System.arraycopy(e.oooHT, pos, e.oooHT, pos + 1, e.oooHN - pos);
        System.arraycopy(e.oooH, pos, e.oooH, pos + 1, e.oooHN - pos);
        e.oooHT[pos] = t;
        e.oooH[pos] = h.copy();
        e.oooHN++;
        return true;
    }

    private boolean containsInOrder(long t, HeadChunkFiles files) {
        for (int i = 0, n = numChunks(); i < n; i++) {
            if (t >= chunkMinT(i) && t <= chunkMaxT(i)) {
                var it = chunkAt(i, files).iterator(null);
                if (it.seek(t) != io.mantis.metrics.tsdb.chunkenc.ValueType.NONE && it.timestamp() == t) {
                    return true;
                }
            }
        }
        return false;
    }

    private Chunk chunkAt(int i, HeadChunkFiles files) {
        if (i == numClosed) {
            return open;
        }
        return closedChunks != null ? closedChunks[i] : files.read(closed[3 * i]);
    }

    private void cut(Chunk chunk, long t, long chunkRange, HeadChunkFiles files) {
        if (open != null) {
            // The open chunk is full: close it, off the heap when there are chunk files.
            if (closed == null) {
                closed = new long[3 * 2];
            } else if (3 * numClosed == closed.length) {
                closed = Arrays.copyOf(closed, closed.length * 2);
            }
            int at = 3 * numClosed;
            if (files != null) {
                closed[at] = files.write(ref(), openMinT, maxT, open);
            } else {
                if (closedChunks == null) {
                    closedChunks = new Chunk[2];
                } else if (numClosed == closedChunks.length) {
                    closedChunks = Arrays.copyOf(closedChunks, numClosed * 2);
                }
                closedChunks[numClosed] = open;
            }
            closed[at + 1] = openMinT;
            closed[at + 2] = maxT;
            numClosed++;
        }
        open = chunk;
        openMinT = t;
        appender = chunk.appender();
        // A chunk never crosses a block boundary, so cutting a block never splits a chunk.
        nextCut = Math.floorDiv(t, chunkRange) * chunkRange + chunkRange;
    }

    synchronized int chunkCount() {
        return numChunks();
    }

    /** Marks [mint, maxt] deleted: queries skip it and blocks cut from the head leave it out. */
    synchronized void delete(long mint, long maxt) {
        Extras e = extras();
        e.deleted = Intervals.add(e.deleted, mint, maxt);
    }

    synchronized boolean hasDeletions() {
        return extras != null && extras.deleted != null;
    }

    /** Whether the series holds nothing (all dropped by truncation). */
    synchronized boolean isEmpty() {
        return numChunks() == 0 && oooN() == 0 && oooHN() == 0;
    }

    synchronized long minTime() {
        long min = numChunks() == 0 ? Long.MAX_VALUE : chunkMinT(0);
        min = oooN() > 0 ? Math.min(min, extras.oooT[0]) : min;
        return oooHN() > 0 ? Math.min(min, extras.oooHT[0]) : min;
    }

    /**
     * Drops every chunk that ends before {@code mint} and out-of-order samples before it; returns
     * the number of chunks removed. The open chunk is never dropped while it has newer samples.
     */
    synchronized int truncateBefore(long mint) {
        int numChunks = numChunks();
        int drop = 0;
        while (drop < numChunks && chunkMaxT(drop) < mint) {
            drop++;
        }
        if (drop > 0) {
            int closedDrop = Math.min(drop, numClosed);
            int keep = numClosed - closedDrop;
            if (closedDrop > 0) {
                System.arraycopy(closed, 3 * closedDrop, closed, 0, 3 * keep);
            }
            if (closedChunks != null) {
                System.arraycopy(closedChunks, closedDrop, closedChunks, 0, keep);
                Arrays.fill(closedChunks, keep, numClosed, null);
            }
            numClosed = keep;
            if (drop > closedDrop) {
                // Everything went, the open chunk too: the next sample starts a fresh one.
                open = null;
                appender = null;
                nextCut = Long.MIN_VALUE;
            }
        }
        Extras e = extras;
        if (e != null && e.oooN > 0) {
            int k = 0;
            while (k < e.oooN && e.oooT[k] < mint) {
                k++;
            }
            if (k > 0) {
                System.arraycopy(e.oooT, k, e.oooT, 0, e.oooN - k);
                System.arraycopy(e.oooV, k, e.oooV, 0, e.oooN - k);
                e.oooN -= k;
            }
        }
        if (e != null && e.oooHN > 0) {
            int k = 0;
            while (k < e.oooHN && e.oooHT[k] < mint) {
                k++;
            }
            if (k > 0) {
                System.arraycopy(e.oooHT, k, e.oooHT, 0, e.oooHN - k);
                System.arraycopy(e.oooH, k, e.oooH, 0, e.oooHN - k);
                Arrays.fill(e.oooH, e.oooHN - k, e.oooHN, null);
                e.oooHN -= k;
            }
        }
        return drop;
    }

    /**
     * A consistent view of the samples in {@code [mint, maxt]}: the completed chunks are shared
     * (immutable), the open chunk is copied, since its appender keeps writing.
     */
    synchronized Snapshot snapshot(long mint, long maxt, HeadChunkFiles files) {
        int numChunks = numChunks();
        int first = 0;
        while (first < numChunks && chunkMaxT(first) < mint) {
            first++;
        }
        int last = numChunks - 1;
        while (last >= first && chunkMinT(last) > maxt) {
            last--;
        }
        int n = last - first + 1;
        Chunk[] view = new Chunk[Math.max(n, 0)];
        for (int i = 0; i < n; i++) {
            int idx = first + i;
            // The open chunk keeps changing (and may re-encode itself): readers get a private copy.
            view[i] = idx == numClosed ? open.copy() : chunkAt(idx, files);
        }
        long[] ot = null;
        double[] ov = null;
        int on = 0;
        Extras e = extras;
        if (e != null && e.oooN > 0) {
            int from = firstAtOrAfter(e.oooT, 0, e.oooN, mint);
            int to = firstAfter(e.oooT, from, e.oooN, maxt);
            on = to - from;
            if (on > 0) {
                ot = Arrays.copyOfRange(e.oooT, from, to);
                ov = Arrays.copyOfRange(e.oooV, from, to);
            }
        }
        long[] hts = null;
        FloatHistogram[] hs = null;
        int hn = 0;
        if (e != null && e.oooHN > 0) {
            int from = firstAtOrAfter(e.oooHT, 0, e.oooHN, mint);
            int to = firstAfter(e.oooHT, from, e.oooHN, maxt);
            hn = to - from;
            if (hn > 0) {
                hts = Arrays.copyOfRange(e.oooHT, from, to);
                hs = Arrays.copyOfRange(e.oooH, from, to);
            }
        }
        return new Snapshot(view, ot, ov, on, hts, hs, hn, e == null ? null : e.deleted);
    }

    /**
     * The newest sample in {@code [mint, maxt]} when it is the open float chunk's last one and
     * nothing late or deleted lies beside it: its time to {@code t[0]}, value to {@code v[0]},
     * true, without copying or decoding the chunk.
     */
    synchronized boolean latestIn(long mint, long maxt, long[] t, double[] v) {
        if (!(open instanceof XorChunk x)) {
            return false;
        }
        long lt = x.latestTime();
        if (lt == Long.MIN_VALUE || lt < mint || lt > maxt) {
            return false;
        }
        Extras e = extras;
        if (e != null && (e.deleted != null || anyIn(e.oooT, e.oooN, mint, maxt) || anyIn(e.oooHT, e.oooHN, mint, maxt))) {
            return false;
        }
        t[0] = lt;
        v[0] = x.latestValue();
        return true;
    }

    private static boolean anyIn(long[] sortedTimes, int n, long mint, long maxt) {
        int i = firstAtOrAfter(sortedTimes, 0, n, mint);
        return i < n && sortedTimes[i] <= maxt;
    }

    /** The first index from {@code from} whose time is after {@code t} ({@code n} if none). */
    private static int firstAfter(long[] sortedTimes, int from, int n, long t) {
        int i = from;
        while (i < n && sortedTimes[i] <= t) {
            i++;
        }
        return i;
    }

    /** The first index from {@code from} whose time is at least {@code t} ({@code n} if none). */
    private static int firstAtOrAfter(long[] sortedTimes, int from, int n, long t) {
        int i = from;
        while (i < n && sortedTimes[i] < t) {
            i++;
        }
        return i;
    }

    /** Whether any sample lies in {@code [mint, maxt]}. */
    synchronized boolean overlaps(long mint, long maxt) {
        for (int i = 0, n = numChunks(); i < n; i++) {
            if (chunkMinT(i) <= maxt && chunkMaxT(i) >= mint) {
                return true;
            }
        }
        Extras e = extras;
        return e != null && (anyIn(e.oooT, e.oooN, mint, maxt) || anyIn(e.oooHT, e.oooHN, mint, maxt));
    }

    /** Chunks and out-of-order floats and histograms as of {@link #snapshot}. */
    record Snapshot(Chunk[] chunks, long[] oooT, double[] oooV, int oooN, long[] oooHT, FloatHistogram[] oooH,
            int oooHN, long[] deleted) {
        boolean isEmpty() {
            return chunks.length == 0 && oooN == 0 && oooHN == 0;
        }
    }
}
