package io.mantis.metrics.tsdb.head;

import io.mantis.metrics.model.FloatHistogram;
import io.mantis.metrics.tsdb.AppendException;
import io.mantis.metrics.tsdb.Appender;
import io.mantis.otlp.prometheus.Labels;
import io.mantis.otlp.prometheus.MetricType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Buffers one write in primitive arrays, validates each sample against its series as it arrives
 * (so refusals are reported per sample, as Prometheus does), and on commit logs the whole write
 * before applying it. A sample that another appender overtook between validation and commit is
 * dropped and counted as out of order, as in Prometheus.
 */
final class HeadAppender implements Appender, PendingWrite {

    private final Head head;
    private final HeadLog log;
    private final long minValidTime;

    private final List<HeadSeries> unlogged = new ArrayList<>();
    private final java.util.Set<HeadSeries> unloggedSet =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private HeadSeries[] fSeries = new HeadSeries[64];
    private long[] fT = new long[64];
    private double[] fV = new double[64];
    private boolean[] fOoo = new boolean[64];
    private int nf;

    private HeadSeries[] hSeries = new HeadSeries[0];
    private long[] hT = new long[0];
    private FloatHistogram[] hH = new FloatHistogram[0];
    private int nh;

    private HeadSeries[] eSeries = new HeadSeries[0];
    private Labels[] eLabels = new Labels[0];
    private double[] eV = new double[0];
    private long[] eT = new long[0];
    private int ne;

    private HeadSeries[] mSeries = new HeadSeries[0];
    private HeadSeries.Metadata[] mData = new HeadSeries.Metadata[0];
    private int nm;

    private boolean spent;

    HeadAppender(Head head, HeadLog log) {
        this.head = head;
        this.log = log;
        this.minValidTime = head.minValidTime();
    }

    private HeadSeries resolve(long ref, Labels labels) {
        HeadSeries s = ref > 0 ? head.series(ref) : null;
        if (s == null || (labels != null && !s.labels.equals(labels))) {
            if (labels == null) {
                throw new IllegalArgumentException("unknown series reference " + ref + " and no labels");
            }
            s = head.getOrCreate(labels);
        }
        if (!s.logged && unloggedSet.add(s)) {
            unlogged.add(s);
        }
        return s;
    }

    private void checkSpent() {
        if (spent) {
            throw new IllegalStateException("appender already committed or rolled back");
        }
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) throws AppendException {
        checkSpent();
        if (t < minValidTime) {
            throw reject(AppendException.Kind.OUT_OF_BOUNDS);
        }
        HeadSeries s = resolve(ref, labels);
        boolean ooo = false;
        switch (s.checkFloat(t, v, head.options().outOfOrderWindow(), head.chunkFiles())) {
            case HeadSeries.OK -> {
            }
            case HeadSeries.DUPLICATE_SAME -> {
                return s.ref();
            }
            case HeadSeries.DUPLICATE_DIFFERENT -> throw reject(AppendException.Kind.DUPLICATE);
            case HeadSeries.OUT_OF_ORDER -> ooo = true;
            default -> throw reject(head.options().outOfOrderWindow() > 0
                    ? AppendException.Kind.TOO_OLD : AppendException.Kind.OUT_OF_ORDER);
        }
        if (nf == fT.length) {
            int n = nf * 2;
            fSeries = Arrays.copyOf(fSeries, n);
            fT = Arrays.copyOf(fT, n);
            fV = Arrays.copyOf(fV, n);
            fOoo = Arrays.copyOf(fOoo, n);
        }
        fSeries[nf] = s;
        fT[nf] = t;
        fV[nf] = v;
        fOoo[nf] = ooo;
        nf++;
        return s.ref();
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) throws AppendException {
        checkSpent();
        if (t < minValidTime) {
            throw reject(AppendException.Kind.OUT_OF_BOUNDS);
        }
        HeadSeries s = resolve(ref, labels);
        // Late histograms take the window floats take, with the same refusals (Prometheus 3).
        switch (s.checkHistogram(t, h, head.options().outOfOrderWindow(), head.chunkFiles())) {
            case HeadSeries.OK, HeadSeries.OUT_OF_ORDER -> {
            }
            case HeadSeries.DUPLICATE_SAME -> {
                return s.ref();
            }
            case HeadSeries.DUPLICATE_DIFFERENT -> throw reject(AppendException.Kind.DUPLICATE);
            default -> throw reject(head.options().outOfOrderWindow() > 0
                    ? AppendException.Kind.TOO_OLD : AppendException.Kind.OUT_OF_ORDER);
        }
        if (nh == hT.length) {
            int n = Math.max(8, nh * 2);
            hSeries = Arrays.copyOf(hSeries, n);
            hT = Arrays.copyOf(hT, n);
            hH = Arrays.copyOf(hH, n);
        }
        FloatHistogram copy = hH[nh] == null ? new FloatHistogram() : hH[nh];
        copy.copyFrom(h);
        hSeries[nh] = s;
        hT[nh] = t;
        hH[nh] = copy;
        nh++;
        return s.ref();
    }

    @Override
    public long appendExemplar(long ref, Labels labels, Labels exemplarLabels, double value, long t)
            throws AppendException {
        checkSpent();
        int runes = 0;
        for (int i = 0; i < exemplarLabels.size(); i++) {
            runes += exemplarLabels.name(i).codePointCount(0, exemplarLabels.name(i).length());
            runes += exemplarLabels.value(i).codePointCount(0, exemplarLabels.value(i).length());
        }
        if (runes > 128) {
            throw reject(AppendException.Kind.EXEMPLAR_LABELS_TOO_LONG);
        }
        HeadSeries s = resolve(ref, labels);
        switch (s.checkExemplar(exemplarLabels, value, t)) {
            case HeadSeries.OK -> {
            }
            case HeadSeries.DUPLICATE_SAME -> {
                return s.ref();
            }
            default -> throw reject(AppendException.Kind.OUT_OF_ORDER_EXEMPLAR);
        }
        if (ne == eT.length) {
            int n = Math.max(8, ne * 2);
            eSeries = Arrays.copyOf(eSeries, n);
            eLabels = Arrays.copyOf(eLabels, n);
            eV = Arrays.copyOf(eV, n);
            eT = Arrays.copyOf(eT, n);
        }
        eSeries[ne] = s;
        eLabels[ne] = exemplarLabels;
        eV[ne] = value;
        eT[ne] = t;
        ne++;
        return s.ref();
    }

    @Override
    public long updateMetadata(long ref, Labels labels, MetricType type, String unit, String help) {
        checkSpent();
        HeadSeries s = resolve(ref, labels);
        HeadSeries.Metadata m = new HeadSeries.Metadata(type, unit == null ? "" : unit, help == null ? "" : help);
        if (m.equals(s.metadata)) {
            return s.ref();
        }
        if (nm == mSeries.length) {
            int n = Math.max(8, nm * 2);
            mSeries = Arrays.copyOf(mSeries, n);
            mData = Arrays.copyOf(mData, n);
        }
        mSeries[nm] = s;
        mData[nm] = m;
        nm++;
        return s.ref();
    }

    private AppendException reject(AppendException.Kind kind) {
        head.rejected[kind.ordinal()].increment();
        return kind.exception();
    }

    @Override
    public void commit() throws IOException {
        checkSpent();
        spent = true;
        if (nf == 0 && nh == 0 && ne == 0 && nm == 0 && unlogged.isEmpty()) {
            return;
        }
        log.write(this);
        for (HeadSeries s : unlogged) {
            s.logged = true;
        }
        long chunkRange = head.options().chunkRange();
        int maxSamples = head.options().maxSamplesPerChunk();
        HeadChunkFiles files = head.chunkFiles();
        long appended = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < nf; i++) {
            HeadSeries s = fSeries[i];
            long t = fT[i];
            boolean ok = s.appendFloat(t, fV[i], chunkRange, maxSamples, files);
            if (!ok && (fOoo[i] || head.options().outOfOrderWindow() > 0) && t >= s.maxT - head.options().outOfOrderWindow()) {
                ok = s.insertOutOfOrder(t, fV[i], files);
                if (ok) {
                    head.outOfOrderAccepted.increment();
                }
            }
            if (ok) {
                appended++;
                min = Math.min(min, t);
                max = Math.max(max, t);
            } else {
                head.rejected[AppendException.Kind.OUT_OF_ORDER.ordinal()].increment();
            }
        }
        long hist = 0;
        long window = head.options().outOfOrderWindow();
        for (int i = 0; i < nh; i++) {
            // In order as validated, unless another appender (or this one) moved the series on.
            boolean ok = hSeries[i].appendHistogram(hT[i], hH[i], chunkRange, maxSamples, files);
            if (!ok && window > 0 && hSeries[i].insertOutOfOrderHistogram(hT[i], hH[i], window, files)) {
                ok = true;
                head.outOfOrderAccepted.increment();
            }
            if (ok) {
                hist++;
                min = Math.min(min, hT[i]);
                max = Math.max(max, hT[i]);
            } else {
                head.rejected[AppendException.Kind.OUT_OF_ORDER.ordinal()].increment();
            }
        }
        for (int i = 0; i < ne; i++) {
            // Checked again: this write may hold several for the series, or another committed first.
            if (eSeries[i].noteExemplar(eLabels[i], eV[i], eT[i])) {
                head.exemplars().add(eSeries[i].id, eLabels[i], eV[i], eT[i]);
            }
        }
        for (int i = 0; i < nm; i++) {
            mSeries[i].metadata = mData[i];
        }
        if (min != Long.MAX_VALUE) {
            head.noteTime(min);
            head.noteTime(max);
        }
        head.samplesAppended.add(appended);
        head.histogramsAppended.add(hist);
    }

    @Override
    public void rollback() {
        spent = true;
    }

    // ---------------------------------------------------------------- PendingWrite

    @Override
    public int seriesCount() {
        return unlogged.size();
    }

    @Override
    public long seriesRef(int i) {
        return unlogged.get(i).ref();
    }

    @Override
    public Labels seriesLabels(int i) {
        return unlogged.get(i).labels;
    }

    @Override
    public int floatCount() {
        return nf;
    }

    @Override
    public long floatRef(int i) {
        return fSeries[i].ref();
    }

    @Override
    public long floatTimestamp(int i) {
        return fT[i];
    }

    @Override
    public double floatValue(int i) {
        return fV[i];
    }

    @Override
    public int histogramCount() {
        return nh;
    }

    @Override
    public long histogramRef(int i) {
        return hSeries[i].ref();
    }

    @Override
    public long histogramTimestamp(int i) {
        return hT[i];
    }

    @Override
    public FloatHistogram histogram(int i) {
        return hH[i];
    }

    @Override
    public int exemplarCount() {
        return ne;
    }

    @Override
    public long exemplarRef(int i) {
        return eSeries[i].ref();
    }

    @Override
    public Labels exemplarLabels(int i) {
        return eLabels[i];
    }

    @Override
    public double exemplarValue(int i) {
        return eV[i];
    }

    @Override
    public long exemplarTimestamp(int i) {
        return eT[i];
    }

    @Override
    public int metadataCount() {
        return nm;
    }

    @Override
    public long metadataRef(int i) {
        return mSeries[i].ref();
    }

    @Override
    public MetricType metadataType(int i) {
        return mData[i].type();
    }

    @Override
    public String metadataUnit(int i) {
        return mData[i].unit();
    }

    @Override
    public String metadataHelp(int i) {
        return mData[i].help();
    }
}
