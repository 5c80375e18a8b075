package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.chunkenc.Chunk;
import io.mantis.metrics.tsdb.chunkenc.ChunkAppender;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import io.mantis.metrics.tsdb.chunkenc.FloatHistogramChunk;
import io.mantis.metrics.tsdb.chunkenc.HistogramChunk;
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
    /** Chunks in time order; a full chunk moved to the chunk files is null here, its ref in chunkRefs. */
    private Chunk[] chunks = new Chunk[2];
    private long[] chunkRefs = new long[2];
    private long[] chunkMinT = new long[2];
    private long[] chunkMaxT = new long[2];
    private int numChunks;
    private ChunkAppender appender;
    private long nextCut = Long.MIN_VALUE;
    /** Timestamp of the newest in-order sample, {@code Long.MIN_VALUE} when empty. */
    long maxT = Long.MIN_VALUE;
    private long lastValueBits;
    private FloatHistogram lastHistogram;
    private boolean lastWasHistogram;
    /** Out-of-order samples (within the window), sorted by time; floats only. */
    private long[] oooT;
    private double[] oooV;
    private int oooN;
    /** Deleted time ranges, closed intervals as (mint, maxt) pairs, sorted and disjoint; or null. */
    private long[] deleted;
    /** Type/unit/help of the series' family, as last reported. */
    volatile Metadata metadata;

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

    synchronized int checkFloat(long t, double v, long oooWindow) {
        if (t > maxT) {
            return OK;
        }
        if (t == maxT && !lastWasHistogram) {
            return Double.doubleToRawLongBits(v) == lastValueBits ? DUPLICATE_SAME : DUPLICATE_DIFFERENT;
        }
        if (oooWindow > 0 && t >= maxT - oooWindow) {
            return OUT_OF_ORDER;
        }
        return OUT_OF_WINDOW;
    }

    // The newest stored exemplar: exemplars of a series are kept in time order, as Prometheus'
    // exemplar storage does, so a resent batch does not store them twice.
    private long exemplarT = Long.MIN_VALUE;
    private double exemplarV;
    private Labels exemplarLabels;

    /**
     * OK, DUPLICATE_SAME (equal to the newest exemplar: a no-op) or OUT_OF_ORDER. Exemplars at
     * the newest one's time are accepted in a fixed order (value, then labels' hash), which
     * admits several per scrape (one per histogram bucket) and still refuses a resent one.
     */
    synchronized int checkExemplar(Labels labels, double v, long t) {
        if (exemplarLabels == null || t > exemplarT) {
            return OK;
        }
        if (t == exemplarT) {
            if (labels.equals(exemplarLabels) && Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(exemplarV)) {
                return DUPLICATE_SAME;
            }
            int c = Double.compare(v, exemplarV);
            if (c > 0 || (c == 0 && labels.hashCode() > exemplarLabels.hashCode())) {
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
        exemplarT = t;
        exemplarV = v;
        exemplarLabels = labels;
        return true;
    }

    synchronized int checkHistogram(long t, FloatHistogram h) {
        if (t > maxT) {
            return OK;
        }
        if (t == maxT && lastWasHistogram) {
            return h.equals(lastHistogram) ? DUPLICATE_SAME : DUPLICATE_DIFFERENT;
        }
        return OUT_OF_WINDOW;
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
        Chunk head = numChunks == 0 ? null : chunks[numChunks - 1];
        if (head == null || head.encoding() != Encoding.XOR || head.numSamples() >= maxSamples || t >= nextCut) {
            cut(new XorChunk(), t, chunkRange, files);
        }
        appender.append(t, v);
        chunkMaxT[numChunks - 1] = t;
        maxT = t;
        lastValueBits = Double.doubleToRawLongBits(v);
        lastWasHistogram = false;
        return true;
    }

    synchronized boolean appendHistogram(long t, FloatHistogram h, long chunkRange, int maxSamples,
            HeadChunkFiles files) {
        if (t <= maxT) {
            return t == maxT && lastWasHistogram && h.equals(lastHistogram);
        }
        Chunk head = numChunks == 0 ? null : chunks[numChunks - 1];
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
        chunkMaxT[numChunks - 1] = t;
        maxT = t;
        if (lastHistogram == null) {
            lastHistogram = new FloatHistogram();
        }
        lastHistogram.copyFrom(h);
        lastWasHistogram = true;
        return true;
    }

    /** Inserts an out-of-order float sample; false if that timestamp is already taken. */
    synchronized boolean insertOutOfOrder(long t, double v, HeadChunkFiles files) {
        if (oooT == null) {
            oooT = new long[8];
            oooV = new double[8];
        }
        int pos = Arrays.binarySearch(oooT, 0, oooN, t);
        if (pos >= 0) {
            return Double.doubleToRawLongBits(oooV[pos]) == Double.doubleToRawLongBits(v);
        }
        if (containsInOrder(t, files)) {
            return false;
        }
        pos = -pos - 1;
        if (oooN == oooT.length) {
            oooT = Arrays.copyOf(oooT, oooN * 2);
            oooV = Arrays.copyOf(oooV, oooN * 2);
        }
        System.arraycopy(oooT, pos, oooT, pos + 1, oooN - pos);
        System.arraycopy(oooV, pos, oooV, pos + 1, oooN - pos);
        oooT[pos] = t;
        oooV[pos] = v;
        oooN++;
        return true;
    }

    private boolean containsInOrder(long t, HeadChunkFiles files) {
        for (int i = 0; i < numChunks; i++) {
            if (t >= chunkMinT[i] && t <= chunkMaxT[i]) {
                var it = chunkAt(i, files).iterator(null);
                if (it.seek(t) != io.mantis.metrics.tsdb.chunkenc.ValueType.NONE && it.timestamp() == t) {
                    return true;
                }
            }
        }
        return false;
    }

    private Chunk chunkAt(int i, HeadChunkFiles files) {
        Chunk c = chunks[i];
        return c != null ? c : files.read(chunkRefs[i]);
    }

    private void cut(Chunk chunk, long t, long chunkRange, HeadChunkFiles files) {
        if (files != null && numChunks > 0) {
            // The chunk being closed is full: move it off the heap.
            int last = numChunks - 1;
            chunkRefs[last] = files.write(ref(), chunkMinT[last], chunkMaxT[last], chunks[last]);
            chunks[last] = null;
        }
        if (numChunks == chunks.length) {
            int n = numChunks * 2;
            chunks = Arrays.copyOf(chunks, n);
            chunkRefs = Arrays.copyOf(chunkRefs, n);
            chunkMinT = Arrays.copyOf(chunkMinT, n);
            chunkMaxT = Arrays.copyOf(chunkMaxT, n);
        }
        chunks[numChunks] = chunk;
        chunkMinT[numChunks] = t;
        chunkMaxT[numChunks] = t;
        numChunks++;
        appender = chunk.appender();
        // A chunk never crosses a block boundary, so cutting a block never splits a chunk.
        nextCut = Math.floorDiv(t, chunkRange) * chunkRange + chunkRange;
    }

    synchronized int chunkCount() {
        return numChunks;
    }

    /** Marks [mint, maxt] deleted: queries skip it and blocks cut from the head leave it out. */
    synchronized void delete(long mint, long maxt) {
        deleted = Intervals.add(deleted, mint, maxt);
    }

    synchronized boolean hasDeletions() {
        return deleted != null;
    }

    /** Whether the series holds nothing (all dropped by truncation). */
    synchronized boolean isEmpty() {
        return numChunks == 0 && oooN == 0;
    }

    synchronized long minTime() {
        long min = numChunks == 0 ? Long.MAX_VALUE : chunkMinT[0];
        return oooN > 0 ? Math.min(min, oooT[0]) : min;
    }

    /**
     * Drops every chunk that ends before {@code mint} and out-of-order samples before it; returns
     * the number of chunks removed. The open chunk is never dropped while it has newer samples.
     */
    synchronized int truncateBefore(long mint) {
        int drop = 0;
        while (drop < numChunks && chunkMaxT[drop] < mint) {
            drop++;
        }
        if (drop == numChunks && drop > 0) {
            appender = null;
            nextCut = Long.MIN_VALUE;
        }
        if (drop > 0) {
            System.arraycopy(chunks, drop, chunks, 0, numChunks - drop);
            System.arraycopy(chunkRefs, drop, chunkRefs, 0, numChunks - drop);
            System.arraycopy(chunkMinT, drop, chunkMinT, 0, numChunks - drop);
            System.arraycopy(chunkMaxT, drop, chunkMaxT, 0, numChunks - drop);
            Arrays.fill(chunks, numChunks - drop, numChunks, null);
            numChunks -= drop;
        }
        int k = 0;
        while (k < oooN && oooT[k] < mint) {
            k++;
        }
        if (k > 0) {
            System.arraycopy(oooT, k, oooT, 0, oooN - k);
            System.arraycopy(oooV, k, oooV, 0, oooN - k);
            oooN -= k;
        }
        return drop;
    }

    /**
     * A consistent view of the samples in {@code [mint, maxt]}: the completed chunks are shared
     * (immutable), the open chunk is copied, since its appender keeps writing.
     */
    synchronized Snapshot snapshot(long mint, long maxt, HeadChunkFiles files) {
        int first = 0;
        while (first < numChunks && chunkMaxT[first] < mint) {
            first++;
        }
        int last = numChunks - 1;
        while (last >= first && chunkMinT[last] > maxt) {
            last--;
        }
        int n = last - first + 1;
        Chunk[] view = new Chunk[Math.max(n, 0)];
        for (int i = 0; i < n; i++) {
            int idx = first + i;
            view[i] = idx == numChunks - 1 ? copyOf(chunks[idx]) : chunkAt(idx, files);
        }
        long[] ot = null;
        double[] ov = null;
        int on = 0;
        if (oooN > 0) {
            int from = 0;
            while (from < oooN && oooT[from] < mint) {
                from++;
            }
            int to = from;
            while (to < oooN && oooT[to] <= maxt) {
                to++;
            }
            on = to - from;
            if (on > 0) {
                ot = Arrays.copyOfRange(oooT, from, to);
                ov = Arrays.copyOfRange(oooV, from, to);
            }
        }
        return new Snapshot(view, ot, ov, on, deleted);
    }

    /** The open chunk keeps changing (and may re-encode itself), so readers get a private copy. */
    private static Chunk copyOf(Chunk c) {
        java.nio.ByteBuffer b = c.bytes();
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        return Chunk.wrap(c.encoding(), copy, 0, copy.length);
    }

    /** Whether any sample lies in {@code [mint, maxt]}. */
    synchronized boolean overlaps(long mint, long maxt) {
        for (int i = 0; i < numChunks; i++) {
            if (chunkMinT[i] <= maxt && chunkMaxT[i] >= mint) {
                return true;
            }
        }
        for (int i = 0; i < oooN; i++) {
            if (oooT[i] >= mint && oooT[i] <= maxt) {
                return true;
            }
        }
        return false;
    }

    /** Chunks and out-of-order samples as of {@link #snapshot}. */
    record Snapshot(Chunk[] chunks, long[] oooT, double[] oooV, int oooN, long[] deleted) {
        boolean isEmpty() {
            return chunks.length == 0 && oooN == 0;
        }
    }
}
